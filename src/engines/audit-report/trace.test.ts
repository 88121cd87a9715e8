import { describe, expect, it } from 'vitest';
import { type LoadFacts, recordVersions, TRACE_STAGE_LABELS, TRACE_STAGES, traceStage } from './trace.ts';

describe('stages of a resource life cycle', () => {
  it('puts each event in its stage, later modules by prefix', () => {
    const cases: [string, string][] = [
      ['catalog.resource.create', 'register'],
      ['catalog.import', 'register'],
      ['discovery.scan.start', 'discover'],
      ['catalog.grading.propose', 'grade'],
      ['catalog.grading.approve', 'grade'],
      ['protection.dataset.load', 'load'],
      ['protection.key.rotate', 'key'],
      ['protection.key.reencrypt', 'key'],
      ['protection.masking.update', 'mask'],
      ['protection.dataset.preview', 'access'],
      ['protection.delivery.create', 'deliver'],
      ['protection.trace', 'trace'],
      ['protection.key.destroy', 'delete'],
      ['sharing.grant.create', 'share'],
      ['lifecycle.destruction.confirm', 'delete'],
      ['audit.trace', 'audit'],
      ['something.else', 'other'],
    ];
    for (const [action, stage] of cases) expect(traceStage(action), action).toBe(stage);
    for (const s of TRACE_STAGES) expect(TRACE_STAGE_LABELS[s].zh.length).toBeGreaterThan(0);
  });
});

const load = (version: number, mode: LoadFacts['mode'], maxRowId: number | null): LoadFacts => ({ version, mode, maxRowId });
const asObject = (m: Map<number, string>) => Object.fromEntries(m);

describe('which versions held a record', () => {
  // v1 replace (rows 1–10), v2 append (11–15), v3 upsert (16–18 new, some updated), v4 upsert (no new rows).
  const loads = [load(1, 'replace', 10), load(2, 'append', 15), load(3, 'upsert', 18), load(4, 'upsert', 18)];

  it('a row inserted by an append and never rewritten: held from that version on, not before (no removal between)', () => {
    expect(asObject(recordVersions(4, loads, { id: 12, version: 2 }))).toEqual({ 1: 'not_held', 2: 'held', 3: 'held', 4: 'held' });
  });

  it('a row rewritten by a later upsert still counts from the version that inserted it', () => {
    expect(asObject(recordVersions(4, loads, { id: 3, version: 4 }))).toEqual({ 1: 'held', 2: 'held', 3: 'held', 4: 'held' });
    expect(asObject(recordVersions(4, loads, { id: 17, version: 4 }))).toEqual({ 1: 'not_held', 2: 'not_held', 3: 'held', 4: 'held' });
  });

  it('a row inserted by a replace: what came before that replace cannot be told', () => {
    const l = [load(1, 'replace', 10), load(2, 'replace', 20), load(3, 'append', 22)];
    expect(asObject(recordVersions(3, l, { id: 15, version: 2 }))).toEqual({ 1: 'possibly', 2: 'held', 3: 'held' });
    expect(asObject(recordVersions(3, l, { id: 21, version: 3 }))).toEqual({ 1: 'possibly', 2: 'not_held', 3: 'held' });
  });

  it('a record absent now was not held since the last replace; before it, possibly', () => {
    expect(asObject(recordVersions(4, loads, null))).toEqual({ 1: 'not_held', 2: 'not_held', 3: 'not_held', 4: 'not_held' });
    const l = [load(1, 'replace', 10), load(2, 'append', 12), load(3, 'replace', 30)];
    expect(asObject(recordVersions(3, l, null))).toEqual({ 1: 'possibly', 2: 'possibly', 3: 'not_held' });
  });

  it('loads whose facts are unknown (no maxRowId, no mode) make the earlier versions uncertain, never wrongly certain', () => {
    const l = [load(1, null, null), load(2, 'append', 15)];
    // Row 5 was inserted at v1 or v2: v2 certainly held it (it exists and v2's max reaches it), v1 possibly.
    expect(asObject(recordVersions(2, l, { id: 5, version: 2 }))).toEqual({ 1: 'possibly', 2: 'held' });
    // Old events without maxRowId at all: held from the version that last wrote it.
    const old = [load(1, 'replace', null), load(2, 'upsert', null), load(3, 'upsert', null)];
    expect(asObject(recordVersions(3, old, { id: 5, version: 2 }))).toEqual({ 1: 'possibly', 2: 'held', 3: 'held' });
    // Absent, the last known mode unknown: that version may have removed it.
    expect(asObject(recordVersions(2, [load(1, 'replace', 3)], null))).toEqual({ 1: 'possibly', 2: 'not_held' });
  });

  it('no versions, no answer', () => {
    expect(recordVersions(0, [], null).size).toBe(0);
  });
});
