import { describe, expect, it } from 'vitest';
import { type AssociationField, assessAssociation, type HeldResource } from './association.ts';

const f = (name: string, piType: string | null, o: Partial<AssociationField> = {}): AssociationField => ({
  name,
  piType,
  piSensitive: false,
  level: 'general-2',
  ...o,
});
const held = (resourceId: string, fields: AssociationField[], via: 'grant' | 'request' = 'grant'): HeldResource => ({
  resourceId,
  resourceName: `资源${resourceId}`,
  via,
  refId: `${via}-${resourceId}`,
  fields,
});
const requested = [f('sfzh', 'id_number'), f('xm', 'name'), f('csrq', 'birth_date'), f('qx', null)];

describe('assessAssociation (LIF-8, HZ-23, GZ-15)', () => {
  it('nothing held, nothing declared: not flagged', () => {
    expect(assessAssociation({ resourceId: 'r', requested, held: [] })).toEqual({ flagged: false, reasons: [] });
  });
  it('no PI type in common: not flagged, whatever the field names', () => {
    const r = assessAssociation({ resourceId: 'r', requested, held: [held('a', [f('sfzh', null), f('phone', 'phone'), f('xm', 'education_work')])] });
    expect(r.flagged).toBe(false);
  });
  it('one direct link key in common, matched by PI type not by name: LINK_KEY', () => {
    const r = assessAssociation({ resourceId: 'r', requested, held: [held('a', [f('zjhm', 'id_number'), f('dz', 'address')])] });
    expect(r).toEqual({
      flagged: true,
      reasons: [{ code: 'LINK_KEY', resourceId: 'a', resourceName: '资源a', via: 'grant', refId: 'grant-a', keys: ['id_number'], sensitive: false }],
    });
  });
  it('a single quasi-identifier is not enough; two are (QUASI_IDENTIFIERS)', () => {
    const one = assessAssociation({ resourceId: 'r', requested, held: [held('a', [f('name', 'name')])] });
    expect(one.flagged).toBe(false);
    const two = assessAssociation({ resourceId: 'r', requested, held: [held('b', [f('name', 'name'), f('birthday', 'birth_date')], 'request')] });
    expect(two.reasons).toEqual([
      { code: 'QUASI_IDENTIFIERS', resourceId: 'b', resourceName: '资源b', via: 'request', refId: 'request-b', keys: ['birth_date', 'name'], sensitive: false },
    ]);
  });
  it('a link key wins over quasi-identifiers on the same resource (one reason per held resource)', () => {
    const r = assessAssociation({ resourceId: 'r', requested, held: [held('a', [f('x', 'id_number'), f('y', 'name'), f('z', 'birth_date')])] });
    expect(r.reasons.map((x) => [x.code, x.keys])).toEqual([['LINK_KEY', ['id_number']]]);
  });
  it('every link key type links; other PI types (health) do not', () => {
    for (const t of ['id_number', 'phone', 'email', 'financial_account', 'device_id', 'vehicle']) {
      const r = assessAssociation({ resourceId: 'r', requested: [f('k', t)], held: [held('a', [f('k2', t)])] });
      expect(r.reasons[0]?.code, t).toBe('LINK_KEY');
    }
    expect(assessAssociation({ resourceId: 'r', requested: [f('k', 'health')], held: [held('a', [f('k', 'health')])] }).flagged).toBe(false);
  });
  it('the same resource held again is not a link', () => {
    expect(assessAssociation({ resourceId: 'r', requested, held: [held('r', requested)] }).flagged).toBe(false);
  });
  it('sensitive when either side holds sensitive PI or a field graded general-4 or above', () => {
    const base = [f('zjhm', 'id_number')];
    const plain = assessAssociation({ resourceId: 'r', requested: base, held: [held('a', [f('sfzh', 'id_number')])] });
    expect(plain.reasons[0]?.sensitive).toBe(false);
    const theirs = assessAssociation({
      resourceId: 'r',
      requested: base,
      held: [held('a', [f('sfzh', 'id_number'), f('bl', 'health', { piSensitive: true })])],
    });
    expect(theirs.reasons[0]?.sensitive).toBe(true);
    const graded = assessAssociation({
      resourceId: 'r',
      requested: [f('zjhm', 'id_number', { level: 'general-4' })],
      held: [held('a', [f('sfzh', 'id_number')])],
    });
    expect(graded.reasons[0]?.sensitive).toBe(true);
    const g3 = assessAssociation({ resourceId: 'r', requested: [f('zjhm', 'id_number', { level: 'general-3' })], held: [held('a', [f('sfzh', 'id_number')])] });
    expect(g3.reasons[0]?.sensitive).toBe(false);
  });
  it('declared by the applicant: flagged even with nothing held; reasons sorted deterministically', () => {
    const d = assessAssociation({ resourceId: 'r', requested, held: [], declaration: { intended: true, description: '与学籍数据比对' } });
    expect(d).toEqual({
      flagged: true,
      reasons: [{ code: 'DECLARED', resourceId: null, resourceName: null, via: null, refId: null, keys: [], sensitive: false }],
    });
    expect(assessAssociation({ resourceId: 'r', requested, held: [], declaration: { intended: false } }).flagged).toBe(false);
    const many = assessAssociation({
      resourceId: 'r',
      requested,
      held: [held('b', [f('n', 'name'), f('b', 'birth_date')]), held('c', [f('s', 'id_number')]), held('a', [f('s', 'id_number')], 'request')],
      declaration: { intended: true },
    });
    expect(many.reasons.map((x) => `${x.code}:${x.resourceId ?? '-'}`)).toEqual(['DECLARED:-', 'LINK_KEY:a', 'LINK_KEY:c', 'QUASI_IDENTIFIERS:b']);
  });
});
