import { describe, expect, it } from 'vitest';
import { WorkdayCalendar } from '../workdays/index.ts';
import {
  DEFAULT_SHARING_DEADLINES,
  isOverdue,
  nearestAuthority,
  nextWaiting,
  planChain,
  separationProblem,
  sharingDeadlines,
  stepWorkdays,
  termProblem,
} from './chain.ts';

const base = { providerInstitutionId: 'psb', authorityInstitutionId: 'city' };
const kinds = (s: ReturnType<typeof planChain>) => s.map((x) => `${x.seq}:${x.kind}@${x.institutionId}`);

describe('planChain (LIF-4)', () => {
  it('unconditional: one provider step', () => {
    expect(kinds(planChain({ ...base, shareAttribute: 'unconditional', sharingApprovals: 1 }))).toEqual(['1:provider@psb']);
    expect(kinds(planChain({ ...base, shareAttribute: 'unconditional', sharingApprovals: 0 }))).toEqual(['1:provider@psb']);
  });
  it('conditional: provider then authority; depth 3 adds the second authority step', () => {
    expect(kinds(planChain({ ...base, shareAttribute: 'conditional', sharingApprovals: 1 }))).toEqual(['1:provider@psb', '2:authority@city']);
    expect(kinds(planChain({ ...base, shareAttribute: 'conditional', sharingApprovals: 3 }))).toEqual([
      '1:provider@psb',
      '2:authority@city',
      '3:authority_second@city',
    ]);
  });
  it('sharingApprovals is a floor: unconditional data graded with depth 2 still goes to the authority', () => {
    expect(kinds(planChain({ ...base, shareAttribute: 'unconditional', sharingApprovals: 2 }))).toEqual(['1:provider@psb', '2:authority@city']);
  });
  it('LIF-8: a flagged request gets the association step after the provider and before the authority', () => {
    expect(kinds(planChain({ ...base, shareAttribute: 'conditional', sharingApprovals: 3, association: true }))).toEqual([
      '1:provider@psb',
      '2:association@city',
      '3:authority@city',
      '4:authority_second@city',
    ]);
    expect(kinds(planChain({ ...base, shareAttribute: 'unconditional', sharingApprovals: 1, association: true }))).toEqual([
      '1:provider@psb',
      '2:association@city',
    ]);
    expect(kinds(planChain({ ...base, shareAttribute: 'not_shared', sharingApprovals: 1, association: true }))).toEqual([
      '1:exception@city',
      '2:provider@psb',
      '3:association@city',
      '4:authority@city',
    ]);
    expect(stepWorkdays('association', { ...DEFAULT_SHARING_DEADLINES, association: 8 })).toBe(8);
  });
  it('not_shared: the exception step first', () => {
    expect(kinds(planChain({ ...base, shareAttribute: 'not_shared', sharingApprovals: 2 }))).toEqual([
      '1:exception@city',
      '2:provider@psb',
      '3:authority@city',
    ]);
  });
});

describe('nearestAuthority', () => {
  const tree = [
    { id: 'city', parentId: null, kind: 'authority' },
    { id: 'district', parentId: 'city', kind: 'authority' },
    { id: 'street', parentId: 'district', kind: 'institution' },
    { id: 'psb', parentId: 'city', kind: 'institution' },
    { id: 'lone', parentId: null, kind: 'institution' },
    { id: 'lonechild', parentId: 'lone', kind: 'institution' },
  ];
  it('takes the nearest authority above, never the provider itself', () => {
    expect(nearestAuthority(tree, 'street')).toBe('district');
    expect(nearestAuthority(tree, 'psb')).toBe('city');
    expect(nearestAuthority(tree, 'district')).toBe('city');
  });
  it('falls back to the root', () => {
    expect(nearestAuthority(tree, 'lonechild')).toBe('lone');
  });
});

describe('deadlines and overdue', () => {
  it('merges the setting over the defaults, ignoring invalid values', () => {
    expect(sharingDeadlines(null)).toEqual(DEFAULT_SHARING_DEADLINES);
    expect(sharingDeadlines({ provider: 3, authority: 'x', deletion: 0 })).toEqual({ ...DEFAULT_SHARING_DEADLINES, provider: 3 });
    expect(stepWorkdays('authority_second', { ...DEFAULT_SHARING_DEADLINES, authority: 7 })).toBe(7);
    expect(stepWorkdays('exception', { ...DEFAULT_SHARING_DEADLINES, exception: 2 })).toBe(2);
  });
  it('a step opened on 2026-09-30 is due after the National Day holiday (working days, not calendar days)', () => {
    const cal = WorkdayCalendar.withBuiltin([]);
    // 1–7 Oct are holidays, Sat 10 Oct a make-up working day: 8, 9, 10, 12, 13 Oct.
    expect(cal.addWorkdays('2026-09-30', stepWorkdays('provider', DEFAULT_SHARING_DEADLINES))).toBe('2026-10-13');
    expect(cal.addWorkdays('2026-09-30', stepWorkdays('authority', { ...DEFAULT_SHARING_DEADLINES, authority: 1 }))).toBe('2026-10-08');
  });
  it('an open step is overdue only after its due date', () => {
    expect(isOverdue({ status: 'open', dueDate: '2026-10-12' }, '2026-10-12')).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: '2026-10-12' }, '2026-10-13')).toBe(true);
    expect(isOverdue({ status: 'approved', dueDate: '2026-10-12' }, '2026-10-13')).toBe(false);
    expect(isOverdue({ status: 'waiting', dueDate: null }, '2026-10-13')).toBe(false);
  });
});

describe('separation of duties', () => {
  it('refuses the applicant and a person who decided another step', () => {
    const steps = [{ kind: 'provider' as const, status: 'approved' as const, decidedBy: 'u1' }];
    expect(separationProblem(steps, 'app', 'app')).toBe('own_request');
    expect(separationProblem(steps, 'app', 'u1')).toBe('decided_before');
    expect(separationProblem(steps, 'app', 'u2')).toBeNull();
  });
  it('nextWaiting picks the next waiting step in order', () => {
    const steps = [
      { seq: 2, status: 'waiting' },
      { seq: 1, status: 'approved' },
      { seq: 3, status: 'waiting' },
    ];
    expect(nextWaiting(steps, 1)?.seq).toBe(2);
    expect(nextWaiting(steps, 3)).toBeNull();
  });
});

describe('termProblem', () => {
  it('allows up to three years', () => {
    expect(termProblem('2026-01-01', '2028-12-31')).toBeNull();
    expect(termProblem('2026-01-01', '2029-01-01')).toBe('too_long');
    expect(termProblem('2026-01-02', '2026-01-01')).toBe('order');
    expect(termProblem('2028-02-29', '2031-02-28')).toBeNull();
  });
});
