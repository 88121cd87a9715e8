// The demo city's sharing (LIF-4): the education bureau's request for the public security bureau's published
// residents resource, approved by the bureau and the city authority and signed by both parties (so a grant
// exists), and a second request still waiting for the provider. Made through the services as the demo
// people themselves, re-authenticating with the demo password, so every rule and audit event applies as in
// real use. DEMO ONLY; skipped when the catalog demo has no published resource with a dataset.
import type { Services } from '../../app/services.ts';
import { beijingToday } from '../catalog/deadlines.ts';
import { loadActor } from '../org/actor.repo.ts';
import type { Actor } from '../org/actor.ts';
import { DEMO_PASSWORD } from '../org/demo-city.ts';

async function actorOf(services: Services, username: string): Promise<Actor> {
  const row = await services.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const actor = await loadActor(services.db, row.id, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null });
  if (!actor) throw new Error(`demo account ${username} is not active`);
  return actor;
}

export async function seedDemoSharing(services: Services): Promise<void> {
  const user = await actorOf(services, 'edu.user');
  const steward = await actorOf(services, 'psb.steward');
  const officer = await actorOf(services, 'city.officer');
  const residents = await services.db
    .selectFrom('data_resources as r')
    .innerJoin('datasets as d', 'd.resource_id', 'r.id')
    .select('r.id')
    .where('r.institution_id', '=', steward.institutionId)
    .where('r.published', '=', true)
    .where('r.name', '=', '常住人口基本信息')
    .executeTakeFirst();
  if (!residents) return;
  const today = beijingToday();
  const year = Number(today.slice(0, 4));
  const common = {
    resourceId: residents.id,
    legalBasis: '《中华人民共和国义务教育法》第十二条；《示范市义务教育招生入学工作实施意见》',
    method: 'interface' as const,
    termStart: today,
    termEnd: `${year + 1}-08-31`,
    securityMeasures: '政务外网专线接入；调用系统部署于政务云并通过三级等保测评；数据库国密加密；专人专岗、操作留痕',
    liabilityAccepted: true,
  };
  const granted = await services.shareRequests.create(user, {
    ...common,
    fields: ['xm', 'csrq', 'hjdz'],
    purpose: '义务教育新生入学资格审核：核验适龄儿童户籍',
    purposeCode: 'edu.enrolment',
    scenario: '每年 5–8 月新生入学报名期间，招生系统按报名儿童逐条核验户籍地址',
    ratePerMinute: 120,
    rowsPerDay: 20000,
  });
  await services.shareRequests.decide(steward, granted.id, { decision: 'approve', reason: '用途明确，字段符合最小必要' });
  const approved = await services.shareRequests.decide(officer, granted.id, { decision: 'approve', reason: '依法履职需要，同意共享' });
  if (approved.agreementId) {
    await services.shareAgreements.sign(user, approved.agreementId, { password: DEMO_PASSWORD });
    await services.shareAgreements.sign(steward, approved.agreementId, { password: DEMO_PASSWORD });
  }
  await services.shareRequests.create(user, {
    ...common,
    fields: ['xm', 'lxdh'],
    purpose: '学生资助对象家庭联系核实',
    purposeCode: 'edu.student-aid',
    scenario: '学生资助申请复核时联系监护人',
    rowFilter: [{ field: 'hjdz', op: 'eq', value: '示范市南湖区' }],
  });
}
