// The demo city's catalog: a registered (accepted) system of the public security bureau with a graded and
// approved resource, an ungraded resource, and a system still in draft, so a newcomer sees the registry,
// the catalog, a grading and the dashboard at once. Loaded through the services as the demo people
// themselves, so every rule and audit event applies as in real use. DEMO ONLY.
import type { Services } from '../../app/services.ts';
import { loadActor } from '../org/actor.repo.ts';
import type { Actor } from '../org/actor.ts';
import { demoResidents, demoSource } from '../protection/demo-dataset.ts';

async function actorOf(services: Services, username: string): Promise<Actor> {
  const row = await services.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const actor = await loadActor(services.db, row.id, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null });
  if (!actor) throw new Error(`demo account ${username} is not active`);
  return actor;
}

export async function seedDemoCatalog(services: Services): Promise<void> {
  const steward = await actorOf(services, 'psb.steward');
  const security = await actorOf(services, 'psb.security');
  const authority = await actorOf(services, 'city.admin');
  const psb = steward.institutionId;

  const population = await services.systems.create(steward, {
    institutionId: psb,
    name: '人口信息管理系统',
    description: '常住人口、户籍登记与居民身份证业务的市级平台',
    securityLead: { name: '王建华', title: '分管副局长', phone: '0591-87000000' },
    securityMeasures: '政务云部署；数据库字段级国密加密；堡垒机运维；操作日志集中审计',
    assessmentResult: '2025 年度数据安全风险评估：中风险 2 项，已完成整改',
    assessmentOn: '2025-06-30',
    auditConclusion: '2025 年内部审计未发现违规访问',
    mlpsLevel: 3,
    mlpsFilingNo: '35010099999-25001',
    mlpsEvaluatedOn: '2025-08-15',
    cryptoStatus: 'assessed',
    cryptoAssessedOn: '2025-09-10',
    cii: false,
    hosting: 'government_cloud',
    trustedTerminals: [{ name: '户政业务终端 01', identifier: 'PSB-HZ-0001', location: '户政大厅', holder: '户政科' }],
    storageCarriers: [{ name: '政务云数据库集群', kind: 'database', protectionLevel: 'important', encrypted: true, location: '市政务云' }],
    lastVulnScanOn: '2025-10-20',
  });
  const filing = await services.systems.submit(steward, population.id, { eventDate: '2025-09-26', summary: '系统上线登记' });
  await services.systems.review(authority, filing.id, { decision: 'accept' });

  const residents = await services.resources.create(steward, {
    systemId: population.id,
    name: '常住人口基本信息',
    description: '常住人口的身份、户籍与联系方式',
    fields: [
      { name: 'xm', dataType: 'string', description: '姓名' },
      { name: 'sfzh', dataType: 'string', description: '公民身份号码' },
      { name: 'csrq', dataType: 'date', description: '出生日期' },
      { name: 'hjdz', dataType: 'string', description: '户籍地址' },
      { name: 'lxdh', dataType: 'string', description: '联系电话' },
    ],
    shareAttribute: 'conditional',
    shareBasis: '《中华人民共和国居民身份证法》；仅向依法履职需要的部门共享',
    openAttribute: 'not_open',
    openBasis: '涉及个人信息',
    updateFrequency: 'daily',
    recordCount: 1_250_000,
    retentionMonths: 360,
    collection: {
      purpose: '户籍管理与居民身份证办理',
      legalBasis: '《户口登记条例》《居民身份证法》',
      method: '窗口受理、政务服务网',
      frequency: '随业务办理实时采集',
      scope: '本市常住人口',
    },
    pi: { records: 1_250_000, people: 1_180_000, sensitive: false },
    published: true,
  });
  const fieldId = (name: string) => residents.fields.find((f) => f.name === name)?.id as string;
  const proposal = await services.grading.propose(steward, residents.id, {
    categories: ['public_security.population.household_register'],
    harms: [
      { object: 'individual', degree: 'serious', reason: '逾百万人的身份与联系方式，泄露后可被用于诈骗' },
      { object: 'social_order', degree: 'serious', reason: '全市人口规模，泄露影响社会秩序' },
    ],
    chosenLevel: 'important',
    fieldLabels: [
      { fieldId: fieldId('xm'), level: 'general-3', piType: 'name', piSensitive: false },
      { fieldId: fieldId('sfzh'), level: 'general-4', piType: 'id_number', piSensitive: false },
      { fieldId: fieldId('csrq'), level: 'general-3', piType: 'birth_date', piSensitive: false },
      { fieldId: fieldId('hjdz'), level: 'general-3', piType: 'address', piSensitive: false },
      { fieldId: fieldId('lxdh'), level: 'general-3', piType: 'phone', piSensitive: false },
    ],
  });
  await services.grading.decide(security, proposal.id, { decision: 'approve', reason: '分级依据充分' });
  // Its data, aggregated into the platform (LIF-13): synthetic residents, sealed where the grade says so.
  await services.datasets.load(steward, residents.id, demoSource(demoResidents()), { mode: 'replace', keyField: 'sfzh' });

  await services.resources.create(steward, {
    systemId: population.id,
    name: '居住证办理记录',
    description: '居住证申领、签注与变更记录',
    fields: [
      { name: 'xm', dataType: 'string', description: '姓名' },
      { name: 'zjhm', dataType: 'string', description: '证件号码' },
      { name: 'jzdz', dataType: 'string', description: '居住地址' },
      { name: 'blrq', dataType: 'date', description: '办理日期' },
    ],
    shareAttribute: 'not_shared',
    shareBasis: '含个人住址，尚未完成共享评估',
    openAttribute: 'not_open',
    updateFrequency: 'daily',
    recordCount: 230_000,
    pi: { records: 230_000, people: 210_000, sensitive: false },
  });

  await services.systems.create(steward, {
    institutionId: psb,
    name: '视频监控联网平台',
    description: '城市公共视频监控资源的联网共享平台（建设中）',
    hosting: 'own_machine_room',
    mlpsLevel: 3,
  });
}
