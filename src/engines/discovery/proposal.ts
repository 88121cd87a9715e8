// Column inference and proposals (CLS-2, CLS-3, AST-11): from a column's statistics to the types it holds
// (with counts and confidence), its PI category, and a category and level from the published scheme (CLS-1)
// for a person to confirm. Pure functions over the numbers the scanner collected.
import { type Level, maxLevel } from '../grading/levels.ts';
import { DEFAULT_PI_MAPPING, PI_SENSITIVE_DEFAULT, type PiMapping, type PiTypeId } from './pi.ts';
import {
  BUILTIN_TYPES,
  type BuiltinType,
  T_ADDRESS,
  T_BANK_CARD,
  T_KW_BIOMETRIC,
  T_KW_CRIMINAL,
  T_KW_FINANCIAL,
  T_KW_HEALTH,
  T_KW_LOCATION,
  T_KW_MINOR,
  T_KW_RELIGION,
  T_NAME,
  T_ORG_CODE,
  T_RESIDENT_ID,
  T_USCC,
  type TypeId,
} from './types.ts';

/** The numbers the scanner keeps per column and type (internal type numbers as indexes). */
export interface ColumnCounts {
  name: string;
  hintMask: number;
  customHintMask: number;
  cells: number;
  nonEmpty: number;
  nameLike: number;
  addressLike: number;
  minors: number;
  hits: ArrayLike<number>;
  weak: ArrayLike<number>;
  cellsWith: ArrayLike<number>;
  cand: ArrayLike<number>;
  valid: ArrayLike<number>;
  confSum: ArrayLike<number>;
  distinct: ReadonlyMap<number, number>;
}

/** A custom recognizer as proposals see it. */
export interface ProposalCustomType {
  type: number;
  id: string;
  hasChecksum: boolean;
  pi: PiMapping | null;
}

export interface InferredType {
  type: TypeId;
  /** Findings (at or above the reporting confidence). */
  count: number;
  /** Cells with at least one finding. */
  cells: number;
  /** cells / non-empty cells. */
  share: number;
  /** 0..1: how sure the column holds this type (at all; `share` says how much of it). */
  confidence: number;
  /** Estimated distinct values (identifier types: people covered). */
  distinct?: number;
  /** Why, in words (English; the UI translates the codes in `reasonCode`). */
  reason: string;
  reasonCode: 'validated' | 'matched' | 'column_name' | 'value_shape' | 'chance_level' | 'few_values';
}

/** What the published scheme says about detected data (the caller builds it from the scheme, CLS-1). */
export interface SchemeGuide {
  /** First rule whose `match` is the type ID or its PI type decides that type's category and level. */
  rules: readonly { match: TypeId | PiTypeId; category: string | null; level: Level }[];
  /** Levels when no rule matches. */
  fallback: { sensitive: Level; personal: Level; other: Level | null };
  /** Level at least given to a resource combining an ID number with two or more other PI types (aggregation). */
  aggregation: Level | null;
  /** Category codes of the published scheme; a rule naming another code proposes no category. */
  categories?: readonly string[];
}

export interface ColumnProposal {
  types: InferredType[];
  /** Types seen but not proposed (chance-level pass rates, too few values), with the reason. */
  rejected: InferredType[];
  piTypes: PiTypeId[];
  piCategory: 'sensitive' | 'personal' | null;
  category: string | null;
  level: Level | null;
  basis: string[];
}

export interface ResourceProposal {
  piTypes: PiTypeId[];
  piCategory: 'sensitive' | 'personal' | null;
  category: string | null;
  level: Level | null;
  /** Estimated people covered (distinct resident IDs, else the largest distinct count of another identity document). */
  people: number | null;
  basis: string[];
}

/** Proposed types need this confidence; PI labels need ACCEPT. */
export const REPORT_CONFIDENCE = 0.2;
export const ACCEPT_CONFIDENCE = 0.5;

/** Probability that a random value of the right shape passes the type's check (chance level). */
const CHANCE: Partial<Record<number, number>> = {
  [T_BANK_CARD]: 0.1,
  [T_RESIDENT_ID]: 1 / 11,
  [T_USCC]: 1 / 31,
  [T_ORG_CODE]: 1 / 11,
};
const SENSITIVE_HINT_TYPES = new Set([T_KW_HEALTH, T_KW_RELIGION, T_KW_BIOMETRIC, T_KW_CRIMINAL, T_KW_FINANCIAL, T_KW_LOCATION, T_KW_MINOR]);

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** The types a column holds, most certain first, and the ones rejected with their reason. */
export function inferColumn(c: ColumnCounts, customs: readonly ProposalCustomType[] = []): { types: InferredType[]; rejected: InferredType[] } {
  const types: InferredType[] = [];
  const rejected: InferredType[] = [];
  const nonEmpty = Math.max(1, c.nonEmpty);
  const all: { t: number; id: TypeId; chance?: number; hinted: boolean }[] = BUILTIN_TYPES.map((id, t) => ({
    t,
    id,
    chance: CHANCE[t],
    hinted: ((c.hintMask >>> t) & 1) === 1,
  }));
  for (const ct of customs) {
    all.push({ t: ct.type, id: ct.id, chance: ct.hasChecksum ? 0.1 : undefined, hinted: ((c.customHintMask >>> (ct.type - 32)) & 1) === 1 });
  }
  for (const { t, id, chance, hinted } of all) {
    if (t === T_NAME || t === T_ADDRESS) {
      const like = t === T_NAME ? c.nameLike : c.addressLike;
      const share = like / nonEmpty;
      const what = t === T_NAME ? 'Chinese personal names' : 'Chinese addresses';
      const base = { type: id, count: c.hits[t], cells: c.cellsWith[t], share };
      if (hinted && c.nonEmpty > 0) {
        if (share >= 0.3)
          types.push({
            ...base,
            confidence: round(0.5 + 0.5 * share),
            reason: `column name, and ${pct(share)} of values look like ${what}`,
            reasonCode: 'value_shape',
          });
        else types.push({ ...base, confidence: 0.3, reason: `column name only: ${pct(share)} of values look like ${what}`, reasonCode: 'column_name' });
      } else if (share >= (t === T_NAME ? 0.8 : 0.6)) {
        if (c.nonEmpty >= 20)
          types.push({ ...base, confidence: round(0.85 * share), reason: `${pct(share)} of values look like ${what}`, reasonCode: 'value_shape' });
        else rejected.push({ ...base, confidence: round(0.3 * share), reason: `only ${c.nonEmpty} values`, reasonCode: 'few_values' });
      }
      continue;
    }
    const hits = c.hits[t];
    const d = c.distinct.get(t);
    if (hits === 0) {
      if (hinted && c.nonEmpty > 0) {
        const conf = SENSITIVE_HINT_TYPES.has(t) ? 0.6 : 0.3;
        types.push({ type: id, count: 0, cells: 0, share: 0, confidence: conf, reason: 'column name only: no value matched', reasonCode: 'column_name' });
      }
      continue;
    }
    const cells = c.cellsWith[t];
    const share = cells / nonEmpty;
    const mean = c.confSum[t] / hits / 100;
    const entry = { type: id, count: hits, cells, share, ...(d !== undefined ? { distinct: d } : {}) };
    const cand = c.cand[t];
    if (chance !== undefined && cand >= 10) {
      const rate = c.valid[t] / cand;
      if (rate < Math.max(0.3, 3 * chance)) {
        rejected.push({
          ...entry,
          confidence: round(rate * mean * 0.5),
          reason: `only ${pct(rate)} of ${cand} values of this shape pass the check (chance is ${pct(chance)}): random numbers, not ${id}`,
          reasonCode: 'chance_level',
        });
        continue;
      }
    }
    let conf = 1 - (1 - Math.min(mean, 0.99)) ** Math.min(hits, 50);
    if (hinted) conf = Math.max(conf, 0.5 + 0.5 * share);
    conf = round(Math.min(conf, 0.99));
    const validated = chance !== undefined;
    const reason = `${hits} ${validated ? 'validated ' : ''}match${hits === 1 ? '' : 'es'} in ${pct(share)} of values${hinted ? ', and the column name' : ''}`;
    (conf >= REPORT_CONFIDENCE ? types : rejected).push({ ...entry, confidence: conf, reason, reasonCode: validated ? 'validated' : 'matched' });
  }
  types.sort((a, b) => b.confidence - a.confidence || b.share - a.share);
  return { types, rejected };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The PI mapping of a type ID (overrides first, then customs, then the built-in table). */
export function piOf(type: TypeId, overrides: Readonly<Record<string, PiMapping | null>> = {}, customs: readonly ProposalCustomType[] = []): PiMapping | null {
  if (type in overrides) return overrides[type] ?? null;
  const ct = customs.find((x) => x.id === type);
  if (ct) return ct.pi;
  return DEFAULT_PI_MAPPING[type as BuiltinType] ?? null;
}

/** Category and level proposal for one column. */
export function proposeColumn(
  inferred: { types: InferredType[]; rejected: InferredType[] },
  minors: number,
  guide: SchemeGuide,
  overrides: Readonly<Record<string, PiMapping | null>> = {},
  customs: readonly ProposalCustomType[] = [],
): ColumnProposal {
  const accepted = inferred.types.filter((t) => t.confidence >= ACCEPT_CONFIDENCE);
  const piTypes: PiTypeId[] = [];
  let sensitive = false;
  const basis: string[] = [];
  const addPi = (p: PiMapping) => {
    if (!piTypes.includes(p.piType)) piTypes.push(p.piType);
    if (p.sensitive) sensitive = true;
  };
  for (const t of accepted) {
    const p = piOf(t.type, overrides, customs);
    if (p) addPi(p);
  }
  if (minors > 0 && accepted.some((t) => t.type === 'CN_RESIDENT_ID')) {
    addPi({ piType: 'minor', sensitive: PI_SENSITIVE_DEFAULT.minor });
    basis.push(`${minors} ID numbers belong to children under 14 (PIPL art. 28: sensitive)`);
  }
  const known = guide.categories ? new Set(guide.categories) : null;
  let best: { level: Level; category: string | null; conf: number } | null = null;
  const consider = (level: Level, category: string | null, conf: number, why: string) => {
    basis.push(why);
    const cat = category !== null && known !== null && !known.has(category) ? null : category;
    if (best === null || maxLevel([level, best.level]) !== best.level || (level === best.level && conf > best.conf)) best = { level, category: cat, conf };
  };
  for (const t of accepted) {
    const p = piOf(t.type, overrides, customs);
    const rule = guide.rules.find((r) => r.match === t.type) ?? (p ? guide.rules.find((r) => r.match === p.piType) : undefined);
    if (rule) consider(rule.level, rule.category, t.confidence, `${t.type} → ${rule.level}${rule.category ? ` (${rule.category})` : ''}`);
    else if (p)
      consider(
        p.sensitive ? guide.fallback.sensitive : guide.fallback.personal,
        null,
        t.confidence,
        `${t.type}: ${p.sensitive ? 'sensitive' : 'personal'} information`,
      );
    else if (guide.fallback.other) consider(guide.fallback.other, null, t.confidence, `${t.type}: not personal information`);
  }
  if (piTypes.includes('minor')) {
    const rule = guide.rules.find((r) => r.match === 'minor');
    consider(rule?.level ?? guide.fallback.sensitive, rule?.category ?? null, 1, `minor → ${rule?.level ?? guide.fallback.sensitive}`);
  }
  const chosen = best as { level: Level; category: string | null; conf: number } | null;
  return {
    types: inferred.types,
    rejected: inferred.rejected,
    piTypes,
    piCategory: piTypes.length === 0 ? null : sensitive ? 'sensitive' : 'personal',
    category: chosen?.category ?? null,
    level: chosen?.level ?? null,
    basis,
  };
}

/** The resource (table, file) as a whole: the highest column level (就高从严), raised for aggregation. */
export function proposeResource(columns: readonly { name: string; proposal: ColumnProposal }[], guide: SchemeGuide): ResourceProposal {
  const piTypes: PiTypeId[] = [];
  let sensitive = false;
  const basis: string[] = [];
  let top: { level: Level; category: string | null; column: string } | null = null;
  let people: number | null = null;
  let otherPeople: number | null = null;
  for (const { name, proposal } of columns) {
    for (const p of proposal.piTypes) if (!piTypes.includes(p)) piTypes.push(p);
    if (proposal.piCategory === 'sensitive') sensitive = true;
    if (proposal.level && (top === null || maxLevel([proposal.level, top.level]) !== top.level))
      top = { level: proposal.level, category: proposal.category, column: name };
    for (const t of proposal.types) {
      if (t.distinct === undefined || t.confidence < ACCEPT_CONFIDENCE) continue;
      if (t.type === 'CN_RESIDENT_ID') people = Math.max(people ?? 0, t.distinct);
      else otherPeople = Math.max(otherPeople ?? 0, t.distinct);
    }
  }
  let level = top?.level ?? null;
  if (top) basis.push(`highest column: ${top.column} (${top.level})`);
  if (guide.aggregation && piTypes.includes('id_number') && piTypes.length >= 3 && (level === null || maxLevel([level, guide.aggregation]) !== level)) {
    level = guide.aggregation;
    basis.push(`aggregation: ID numbers with ${piTypes.length - 1} other kinds of personal information → at least ${guide.aggregation}`);
  }
  return {
    piTypes,
    piCategory: piTypes.length === 0 ? null : sensitive ? 'sensitive' : 'personal',
    category: top?.category ?? null,
    level,
    people: people ?? otherPeople,
    basis,
  };
}

/**
 * A guide for the default scheme (grading engine, default-categories.ts). Authorities with their own scheme
 * build their guide from it; every level here is a proposal a person confirms (CLS-2).
 */
export function defaultSchemeGuide(categories?: readonly string[]): SchemeGuide {
  return {
    rules: [
      { match: 'CN_RESIDENT_ID', category: 'general_government.population.identity', level: 'general-3' },
      { match: 'CN_PASSPORT', category: 'public_security.entry_exit.document', level: 'general-3' },
      { match: 'CN_HK_MACAU_PERMIT', category: 'public_security.entry_exit.document', level: 'general-3' },
      { match: 'CN_TAIWAN_PERMIT', category: 'public_security.entry_exit.document', level: 'general-3' },
      { match: 'CN_USCC', category: 'general_government.legal_entity.registration', level: 'general-1' },
      { match: 'CN_ORG_CODE', category: 'general_government.legal_entity.registration', level: 'general-1' },
      { match: 'CN_LICENSE_PLATE', category: 'public_security.traffic.vehicle', level: 'general-2' },
      { match: 'CN_ADDRESS', category: 'general_government.population.residence', level: 'general-2' },
      { match: 'CN_NAME', category: 'general_government.population.identity', level: 'general-2' },
      { match: 'DATE_OF_BIRTH', category: 'general_government.population.identity', level: 'general-2' },
      { match: 'phone', category: null, level: 'general-2' },
      { match: 'email', category: null, level: 'general-2' },
      { match: 'device_id', category: null, level: 'general-2' },
      { match: 'KW_HEALTH', category: 'health.medical.emr', level: 'general-4' },
      { match: 'KW_CRIMINAL_RECORD', category: 'public_security.case.criminal', level: 'general-4' },
      { match: 'KW_MINOR', category: null, level: 'general-4' },
      { match: 'minor', category: null, level: 'general-4' },
      { match: 'financial_account', category: null, level: 'general-4' },
    ],
    fallback: { sensitive: 'general-4', personal: 'general-2', other: null },
    aggregation: 'general-3',
    ...(categories ? { categories } : {}),
  };
}
