// LIF-4 (HZ-22, DG-17): the data security protection agreement (数据安全保护协议) a share request's two parties
// sign, written by the platform in numbered Chinese articles. Deterministic: the same input gives the same
// text byte for byte (no clock, no random), so its SM3 identifies it and the SM2 signatures cover exactly it.
import { sm3 } from '../gm/index.ts';
import { DG12_CASE_LABELS, DG12_CASES, DG12_PROCESSING_STOPPED, dg12Ordinal } from './dg12.ts';

export interface AgreementRowCondition {
  field: string;
  op: 'eq' | 'in';
  value?: string | number | boolean;
  values?: (string | number | boolean)[];
}

export interface AgreementInput {
  agreementNumber: string;
  requestNumber: string;
  provider: { name: string; code: string | null };
  applicant: { name: string; code: string | null };
  resource: { name: string; level: string | null; levelLabel: string | null };
  fields: { name: string; description: string | null }[];
  purpose: string;
  purposeCode: string;
  legalBasis: string;
  scenario: string;
  rowFilter: AgreementRowCondition[] | null;
  method: 'interface' | 'file';
  termStart: string;
  termEnd: string;
  securityMeasures: string;
  ratePerMinute: number;
  rowsPerDay: number;
  /** PRT-9: only aggregate results leave (important/core data). */
  aggregateOnly: boolean;
  /** The authority's recorded exception for not-shared data, if any. */
  exception: { legalBasis: string } | null;
  /**
   * LIF-8 (HZ-23, GZ-15): present only when the request was flagged for joint/association analysis: the
   * resources it may be linked with and the measures the authority's assessment requires (null: none named).
   */
  association?: { linkedResources: string[]; declared: boolean; measures: string | null } | null;
}

const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七'];

function dateZh(d: string): string {
  const [y, m, day] = d.split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
}

function valueText(v: string | number | boolean): string {
  return typeof v === 'string' ? `“${v}”` : String(v);
}

function scopeText(filter: AgreementRowCondition[] | null): string {
  if (!filter || filter.length === 0) return '本协议不限定记录范围，以共享授权所列字段为限。';
  const parts = filter.map((c) =>
    c.op === 'eq' ? `字段 ${c.field} 等于 ${valueText(c.value ?? '')}` : `字段 ${c.field} 取值属于 {${(c.values ?? []).map(valueText).join('、')}}`,
  );
  return `仅限同时满足以下条件的记录：${parts.join('；')}。超出该范围的记录不在共享之列。`;
}

/** LIF-8: the clause of a request flagged for association analysis (linked resources in the given order, deduplicated). */
function associationClause(a: { linkedResources: string[]; declared: boolean; measures: string | null }): string {
  const linked = [...new Set(a.linkedResources)];
  const what = [
    ...(linked.length ? [`乙方已获取或正在申请的数据资源${linked.map((n) => `“${n}”`).join('、')}`] : []),
    ...(a.declared ? ['乙方声明的其他数据'] : []),
  ].join('及');
  return `关联分析安全要求。本次共享数据可能与${what}进行关联分析，经数据主管部门评估后批准。${
    a.measures ? `乙方应当落实评估要求的以下安全措施：${a.measures}。` : ''
  }乙方不得通过数据碰撞、关联分析重新识别特定自然人，不得推导、汇聚形成涉密数据或敏感个人信息、商业秘密；关联分析结果按其中最高的数据级别管理，发现可能产生涉密数据的，应当立即停止分析并报告数据主管部门。`;
}

/** The agreement text; articles numbered 第一条, 第二条 … */
export function agreementText(input: AgreementInput): string {
  const party = (p: { name: string; code: string | null }) => (p.code ? `${p.name}（统一社会信用代码：${p.code}）` : p.name);
  const fieldList = input.fields.map((f) => (f.description ? `${f.name}（${f.description}）` : f.name)).join('、');
  const articles: string[] = [
    `协议双方。数据提供单位（甲方）：${party(input.provider)}；数据使用单位（乙方）：${party(input.applicant)}。双方依据《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》及本市公共数据安全管理规定，就共享申请 ${input.requestNumber} 订立本协议。`,
    `共享内容。甲方通过本平台向乙方共享数据资源“${input.resource.name}”${input.resource.levelLabel ? `（数据级别：${input.resource.levelLabel}）` : ''}的下列字段：${fieldList}。${input.aggregateOnly ? '该数据仅以统计结果方式提供（可用不可见），乙方不得获取明细记录。' : ''}`,
    `使用目的与依据。乙方仅为以下目的使用共享数据：${input.purpose}（用途代码：${input.purposeCode}，每次调用须声明）。应用场景：${input.scenario}。法律依据：${input.legalBasis}。${input.exception ? `本数据原属不予共享数据，经数据主管部门依据“${input.exception.legalBasis}”例外批准共享。` : ''}`,
    `共享范围。${scopeText(input.rowFilter)}`,
    `共享方式。${input.method === 'interface' ? '通过本平台数据服务接口调用' : '通过本平台以文件方式交付'}；每分钟调用不超过 ${input.ratePerMinute} 次，每日获取记录不超过 ${input.rowsPerDay} 条。数据经脱敏、加注数字水印后提供。`,
    `使用期限。自${dateZh(input.termStart)}起至${dateZh(input.termEnd)}止。期满未续签的，授权自动终止。`,
    `安全保护措施。乙方承诺采取以下措施保护共享数据：${input.securityMeasures}。乙方应当落实数据安全管理责任，存储、加工环境满足相应级别的安全要求。`,
    '双方权利义务。甲方负责所提供数据的准确性并及时纠正错误；乙方发现数据错误应当及时通过平台反馈。乙方应当配合甲方和数据主管部门的安全检查，发生数据安全事件时立即采取处置措施并报告。',
    '禁止转让与超范围使用。乙方不得将共享数据提供给任何第三方，不得用于本协议约定目的以外的用途，不得以任何方式试图重新识别已脱敏的个人信息，不得将共享数据与其他数据关联以识别特定个人。',
    ...(input.association ? [associationClause(input.association)] : []),
    [
      '删除义务。出现下列情形之一的，乙方应当及时删除共享数据，并通过平台确认删除结果：',
      ...DG12_CASES.map((c) => `${dg12Ordinal(c)}${DG12_CASE_LABELS[c].zh}；`),
      DG12_PROCESSING_STOPPED.zh,
    ].join('\n'),
    '违约责任。乙方违反本协议的，甲方或数据主管部门有权立即撤销共享授权；造成损失的，乙方依法承担相应责任；涉嫌违法犯罪的，依法移送有关机关处理。',
    '审计与水印告知。乙方知悉并同意：每一次数据调用均记入平台审计日志；提供的数据带有可追溯至乙方的数字水印，泄露数据可据此追查来源。',
    '协议生效。本协议由双方经办人员使用本人 SM2 签名密钥在平台上签署，双方签署完成后生效，共享授权同时生成。本协议文本的 SM3 摘要与双方签名一并存档，任何改动均使签名失效。',
  ];
  const body = articles.map((a, i) => `第${ORDINALS[i]}条　${a}`).join('\n');
  return `数据安全保护协议\n协议编号：${input.agreementNumber}\n\n${body}\n`;
}

/** The SM3 of the agreement's UTF-8 text, hex (what the signatures cover and the trigger keeps fixed). */
export function agreementTextSm3(text: string): string {
  return sm3(Buffer.from(text, 'utf8')).toString('hex');
}
