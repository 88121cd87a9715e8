import { describe, expect, it } from 'vitest';
import { type AgreementInput, agreementText, agreementTextSm3 } from './agreement-text.ts';
import { DG12_CASE_LABELS, DG12_CASES } from './dg12.ts';

const input: AgreementInput = {
  agreementNumber: 'XY-2026-000001',
  requestNumber: 'GX-2026-000001',
  provider: { name: '示范市公安局', code: '11350100MB0A0004X' },
  applicant: { name: '示范市教育局', code: null },
  resource: { name: '常住人口基本信息', level: 'important', levelLabel: '重要数据' },
  fields: [
    { name: 'xm', description: '姓名' },
    { name: 'csrq', description: null },
  ],
  purpose: '义务教育入学资格核验',
  purposeCode: 'edu.enrolment',
  legalBasis: '《义务教育法》第十二条',
  scenario: '新生入学报名时核验户籍',
  rowFilter: [
    { field: 'hjdz', op: 'eq', value: '南湖区' },
    { field: 'csrq', op: 'in', values: ['2019-01-01', 2020] },
  ],
  method: 'interface',
  termStart: '2026-09-01',
  termEnd: '2027-08-31',
  securityMeasures: '专网访问；国密加密存储',
  ratePerMinute: 60,
  rowsPerDay: 100000,
  aggregateOnly: false,
  exception: null,
};

describe('agreementText (LIF-4)', () => {
  it('is deterministic and numbered in Chinese articles', () => {
    const a = agreementText(input);
    expect(agreementText(structuredClone(input))).toBe(a);
    expect(agreementTextSm3(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toMatch(/^数据安全保护协议\n协议编号：XY-2026-000001/);
    for (const n of ['第一条', '第二条', '第十条', '第十三条']) expect(a).toContain(n);
    expect(a).toContain('示范市公安局（统一社会信用代码：11350100MB0A0004X）');
    expect(a).toContain('xm（姓名）、csrq');
    expect(a).toContain('2026年9月1日起至2027年8月31日止');
    expect(a).toContain('字段 hjdz 等于 “南湖区”；字段 csrq 取值属于 {“2019-01-01”、2020}');
    expect(a).toContain('不得将共享数据提供给任何第三方');
  });
  it('lists the nine DG-12 deletion cases in order', () => {
    const a = agreementText(input);
    let at = 0;
    for (const c of DG12_CASES) {
      const i = a.indexOf(DG12_CASE_LABELS[c].zh, at);
      expect(i, c).toBeGreaterThan(at);
      at = i;
    }
    expect(a).toContain('（九）法律、法规、规章规定的其他情形');
  });
  it('LIF-8: the association clause only when flagged, naming the linked resources and measures, deterministic', () => {
    const plain = agreementText(input);
    expect(plain).not.toContain('关联分析安全要求');
    expect(agreementText({ ...input, association: null })).toBe(plain);
    const withAssoc = {
      ...input,
      association: { linkedResources: ['学籍信息', '社保参保信息', '学籍信息'], declared: true, measures: '在隔离环境中比对，结果只保留统计值' },
    };
    const a = agreementText(withAssoc);
    expect(agreementText(structuredClone(withAssoc))).toBe(a);
    expect(a).toContain('第十条　关联分析安全要求。本次共享数据可能与乙方已获取或正在申请的数据资源“学籍信息”、“社保参保信息”及乙方声明的其他数据进行关联分析');
    expect(a).toContain('乙方应当落实评估要求的以下安全措施：在隔离环境中比对，结果只保留统计值。');
    expect(a).toContain('不得通过数据碰撞、关联分析重新识别特定自然人');
    expect(a).toContain('第十四条　协议生效');
    expect(agreementTextSm3(a)).not.toBe(agreementTextSm3(plain));
    const noMeasures = agreementText({ ...input, association: { linkedResources: ['学籍信息'], declared: false, measures: null } });
    expect(noMeasures).not.toContain('安全措施：在隔离');
    expect(noMeasures).toContain('数据资源“学籍信息”进行关联分析');
  });
  it('states aggregate-only delivery and a recorded exception; a different input changes the hash', () => {
    const b = agreementText({ ...input, aggregateOnly: true, exception: { legalBasis: '市政府专题会议纪要' }, rowFilter: null });
    expect(b).toContain('仅以统计结果方式提供');
    expect(b).toContain('例外批准共享');
    expect(b).toContain('不限定记录范围');
    expect(agreementTextSm3(b)).not.toBe(agreementTextSm3(agreementText(input)));
  });
});
