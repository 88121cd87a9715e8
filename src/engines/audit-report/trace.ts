// The life-cycle trace (AUD-6): which stage of a resource's life an audit event belongs to, and, for one
// record key, which dataset versions held the record. Pure: the service reads the events and the stored row.

export const TRACE_STAGES = [
  'register',
  'discover',
  'grade',
  'load',
  'key',
  'mask',
  'access',
  'deliver',
  'trace',
  'share',
  'delete',
  'audit',
  'other',
] as const;
export type TraceStage = (typeof TRACE_STAGES)[number];

export const TRACE_STAGE_LABELS: Record<TraceStage, { zh: string; en: string }> = {
  register: { zh: '登记', en: 'Registration' },
  discover: { zh: '识别', en: 'Discovery' },
  grade: { zh: '分级', en: 'Grading' },
  load: { zh: '载入', en: 'Loading' },
  key: { zh: '密钥', en: 'Keys' },
  mask: { zh: '脱敏', en: 'Masking' },
  access: { zh: '使用', en: 'Use' },
  deliver: { zh: '交付', en: 'Delivery' },
  trace: { zh: '溯源', en: 'Leak tracing' },
  share: { zh: '共享', en: 'Sharing' },
  delete: { zh: '删除', en: 'Deletion' },
  audit: { zh: '审计', en: 'Audit' },
  other: { zh: '其他', en: 'Other' },
};

/** Exact action codes first, then prefixes, so later modules' events land in a stage by their prefix. */
const STAGE_EXACT: Record<string, TraceStage> = {
  'catalog.resource.create': 'register',
  'catalog.resource.update': 'register',
  'catalog.import': 'register',
  'protection.dataset.load': 'load',
  'protection.dataset.preview': 'access',
  'protection.key.destroy': 'delete',
  'protection.masking.update': 'mask',
  'protection.anonymity.check': 'mask',
  'protection.delivery.create': 'deliver',
  'protection.trace': 'trace',
  'job.cancel': 'other',
};
const STAGE_PREFIXES: [string, TraceStage][] = [
  ['catalog.grading.', 'grade'],
  ['discovery.', 'discover'],
  ['protection.key.', 'key'],
  ['protection.delivery', 'deliver'],
  ['lifecycle.destruction', 'delete'],
  ['lifecycle.', 'delete'],
  ['sharing.', 'share'],
  ['gateway.', 'share'],
  ['audit.', 'audit'],
];

export function traceStage(action: string): TraceStage {
  const exact = STAGE_EXACT[action];
  if (exact) return exact;
  for (const [prefix, stage] of STAGE_PREFIXES) if (action.startsWith(prefix)) return stage;
  return 'other';
}

// ── one record across the dataset's versions ───────────────────────────────────────────────────────────

/** What a dataset load's audit event says about the version it made. */
export interface LoadFacts {
  version: number;
  /** null when the load's event is not at hand (archived, or outside what was read). */
  mode: 'replace' | 'append' | 'upsert' | null;
  /** The highest row id of the resource after the load (events before the trace existed lack it). */
  maxRowId: number | null;
}

export type VersionHeld = 'held' | 'not_held' | 'possibly';

/**
 * Which versions held a record, from how the store keeps rows: a row is inserted once (ids only grow), an
 * upsert updates it in place (its `version` becomes the load's), and only a replace deletes rows (all of
 * them). So a row present now, last written at version w and inserted at version i, was held from i to the
 * current version; before i it was held only if a replace in between removed an earlier copy. A record
 * absent now was not held since the last replace. What the stored rows cannot tell is 'possibly'.
 *
 * `row`: the record's stored row (its id and the version that last wrote it), or null when absent.
 */
export function recordVersions(current: number, loads: readonly LoadFacts[], row: { id: number; version: number } | null): Map<number, VersionHeld> {
  const out = new Map<number, VersionHeld>();
  const facts = new Map(loads.map((l) => [l.version, l]));
  const fact = (v: number): LoadFacts => facts.get(v) ?? { version: v, mode: null, maxRowId: null };
  /** Versions up to `upTo` that may have removed rows: replaces, and loads whose mode is unknown. */
  const lastRemoval = (upTo: number): number => {
    for (let v = upTo; v >= 1; v--) {
      const m = fact(v).mode;
      if (m === 'replace' || m === null) return v;
    }
    return 0;
  };
  if (current < 1) return out;

  if (!row) {
    // Absent now: not held since the last load that could have removed it.
    const r = lastRemoval(current);
    for (let v = 1; v <= current; v++) out.set(v, v >= r ? 'not_held' : 'possibly');
    return out;
  }

  // Present now: held from the version that inserted it. The first version whose highest row id reaches
  // the row's id inserted it, provided every earlier version's highest id is known (and below it).
  let inserted: number | null = null;
  let earlierUnknown = false;
  for (let v = 1; v <= Math.min(row.version, current); v++) {
    const max = fact(v).maxRowId;
    if (max === null) {
      earlierUnknown = true;
      continue;
    }
    if (max >= row.id) {
      inserted = v;
      break;
    }
  }
  const from = inserted ?? Math.min(row.version, current);
  for (let v = from; v <= current; v++) out.set(v, 'held');
  if (inserted === null || earlierUnknown) {
    for (let v = 1; v < from; v++) out.set(v, 'possibly');
    return out;
  }
  // Inserted at `inserted`: before it, held only if a removal in (v, inserted] took an earlier copy.
  const r = lastRemoval(inserted);
  for (let v = 1; v < inserted; v++) out.set(v, r === 0 || v >= r ? 'not_held' : 'possibly');
  return out;
}
