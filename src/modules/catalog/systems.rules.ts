// Pure rules of the systems registry: input normalisation, field consistency (AST-1, AST-5, AST-6), what a
// filing needs (DG-8), the computed flags (AST-5, AST-7, AST-8, AST-9) and the diff between two versions.
// No I/O and no clock: callers pass "today" as a Beijing calendar date.
import { compareLevels, isLevel, type Level, maxLevel } from '../../engines/grading/levels.ts';
import {
  EDITABLE_FIELDS,
  type SecurityLead,
  type StorageCarrier,
  type SystemChanges,
  type SystemFields,
  type SystemFlag,
  type TrustedTerminal,
} from './systems.schemas.ts';

/** The highest approved level among some resources' levels (就高从严); codes the engine does not know are ignored. */
export function highestLevel(levels: readonly (string | null)[]): Level | null {
  return maxLevel(levels.filter(isLevel));
}

/** 'YYYY-MM-DD' plus whole months; a day the target month lacks is clamped (2024-02-29 + 12 → 2025-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Within the last 12 months: `date` + 12 months is today or later. */
function within12Months(date: string | null, today: string): boolean {
  return date !== null && addMonths(date, 12) >= today;
}

/**
 * What the registry flags about a system, recomputed on every read so that time passing (an evaluation
 * growing old) and the data's grade changing (a resource graded higher) show without any write.
 * `dataLevel` is the highest approved level among the system's resources.
 */
export function systemFlags(
  s: Pick<SystemFields, 'hosting' | 'mlpsLevel' | 'mlpsEvaluatedOn' | 'cii' | 'assessmentOn' | 'storageCarriers'>,
  dataLevel: string | null,
  today: string,
): SystemFlag[] {
  const flags: SystemFlag[] = [];
  // AST-8 (DG-18): processing belongs on government or sector cloud. Recording the truth is allowed; it is flagged.
  if (s.hosting === 'public_cloud') flags.push('public_cloud');
  // AST-9: no carrier protected below the grade of the data the system holds.
  if (isLevel(dataLevel) && s.storageCarriers.some((c) => !isLevel(c.protectionLevel) || compareLevels(c.protectionLevel, dataLevel) < 0)) {
    flags.push('carrier_below_data_level');
  }
  // AST-5: level 3 and above are evaluated (等保测评) every year.
  if (s.mlpsLevel !== null && s.mlpsLevel >= 3 && !within12Months(s.mlpsEvaluatedOn, today)) flags.push('mlps_evaluation_overdue');
  // AST-7 (GZ-9): each CII gets at least one security test and risk assessment a year.
  if (s.cii && !within12Months(s.assessmentOn, today)) flags.push('cii_assessment_overdue');
  return flags;
}

export interface FieldProblem {
  code: string;
  field: string;
  zh: string;
  en: string;
}

const DATE_FIELDS = ['assessmentOn', 'mlpsEvaluatedOn', 'cryptoAssessedOn', 'lastVulnScanOn'] as const;
const DATE_LABELS: Record<(typeof DATE_FIELDS)[number], string> = {
  assessmentOn: '数据安全评估日期',
  mlpsEvaluatedOn: '等保测评日期',
  cryptoAssessedOn: '密评日期',
  lastVulnScanOn: '漏洞扫描日期',
};

/**
 * Contradictions refused at every save, draft or not: a record of something that has not happened yet, a
 * 密评 date for cryptography that is not applied, MLPS facts without an MLPS level. Incomplete is fine for a
 * draft; that is `missingForFiling`.
 */
export function fieldProblem(f: SystemFields, today: string): FieldProblem | null {
  for (const field of DATE_FIELDS) {
    const v = f[field];
    if (v !== null && v > today) {
      return {
        code: 'DATE_IN_FUTURE',
        field,
        zh: `${DATE_LABELS[field]} ${v} 晚于今天，只能登记已经发生的事项`,
        en: `${field} ${v} is in the future; only what has happened can be recorded`,
      };
    }
  }
  if (f.cryptoStatus === 'not_applied' && f.cryptoAssessedOn !== null) {
    return {
      code: 'CRYPTO_STATUS_MISMATCH',
      field: 'cryptoAssessedOn',
      zh: '未应用商用密码的系统不能有密评日期；请先更正密码应用状态',
      en: 'A system without commercial cryptography cannot have a crypto assessment date; correct cryptoStatus first',
    };
  }
  if (f.mlpsLevel === null && (f.mlpsFilingNo !== null || f.mlpsEvaluatedOn !== null)) {
    return {
      code: 'MLPS_LEVEL_REQUIRED',
      field: 'mlpsLevel',
      zh: '填写等保备案编号或测评日期时必须填写等级保护级别',
      en: 'An MLPS filing number or evaluation date needs the MLPS level',
    };
  }
  return null;
}

/**
 * DG-8 第八条: the basic facts a registration reports — security lead, security measures, latest assessment
 * result, audit conclusion, MLPS level and crypto status — plus the hosting (AST-8). A result not yet
 * available is stated in words (e.g. "尚未开展"); a date needs its result, and "assessed" needs its 密评 date.
 */
export function missingForFiling(f: SystemFields): (keyof SystemFields)[] {
  const missing: (keyof SystemFields)[] = [];
  if (f.securityLead === null) missing.push('securityLead');
  if (f.securityMeasures === null) missing.push('securityMeasures');
  if (f.assessmentResult === null) missing.push('assessmentResult');
  if (f.auditConclusion === null) missing.push('auditConclusion');
  if (f.mlpsLevel === null) missing.push('mlpsLevel');
  if (f.cryptoStatus === 'assessed' && f.cryptoAssessedOn === null) missing.push('cryptoAssessedOn');
  if (f.hosting === null) missing.push('hosting');
  return missing;
}

/** JSON with object keys sorted, so equal values compare equal whatever order jsonb or a client used. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The DG-8 fields whose values differ between two versions, in the registry's field order. */
export function changedFields(before: SystemFields, after: SystemFields): (keyof SystemFields)[] {
  return EDITABLE_FIELDS.filter((k) => canonical(before[k]) !== canonical(after[k]));
}

// Normalisation: trimmed text, empty optional text as null, nested objects rebuilt with their known keys
// only (the schema already refused unknown ones) and empty optional members left out.
const text = (s: string | null | undefined): string | null => {
  if (s === null || s === undefined) return null;
  const t = s.trim();
  return t === '' ? null : t;
};
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}
function lead(p: SecurityLead): SecurityLead {
  return compact({
    name: p.name.trim(),
    title: text(p.title) ?? undefined,
    department: text(p.department) ?? undefined,
    phone: text(p.phone) ?? undefined,
    email: text(p.email) ?? undefined,
  });
}
function terminal(t: TrustedTerminal): TrustedTerminal {
  return compact({
    name: t.name.trim(),
    identifier: text(t.identifier) ?? undefined,
    location: text(t.location) ?? undefined,
    holder: text(t.holder) ?? undefined,
  });
}
function carrier(c: StorageCarrier): StorageCarrier {
  return compact({
    name: c.name.trim(),
    kind: c.kind,
    protectionLevel: c.protectionLevel,
    encrypted: c.encrypted,
    location: text(c.location) ?? undefined,
  });
}

/** The fields an input sets, normalised; fields the input leaves out stay out (PATCH and change semantics). */
export function normalizeChanges(input: SystemChanges): Partial<SystemFields> {
  const out: Partial<SystemFields> = {};
  const set = <K extends keyof SystemFields>(k: K, v: SystemFields[K]) => {
    out[k] = v;
  };
  if (input.name !== undefined) set('name', input.name.trim());
  if (input.description !== undefined) set('description', text(input.description));
  if (input.securityLead !== undefined) set('securityLead', input.securityLead === null ? null : lead(input.securityLead));
  if (input.securityMeasures !== undefined) set('securityMeasures', text(input.securityMeasures));
  if (input.assessmentResult !== undefined) set('assessmentResult', text(input.assessmentResult));
  if (input.assessmentOn !== undefined) set('assessmentOn', input.assessmentOn);
  if (input.auditConclusion !== undefined) set('auditConclusion', text(input.auditConclusion));
  if (input.mlpsLevel !== undefined) set('mlpsLevel', input.mlpsLevel);
  if (input.mlpsFilingNo !== undefined) set('mlpsFilingNo', text(input.mlpsFilingNo));
  if (input.mlpsEvaluatedOn !== undefined) set('mlpsEvaluatedOn', input.mlpsEvaluatedOn);
  if (input.cryptoStatus !== undefined) set('cryptoStatus', input.cryptoStatus);
  if (input.cryptoAssessedOn !== undefined) set('cryptoAssessedOn', input.cryptoAssessedOn);
  if (input.cii !== undefined) set('cii', input.cii);
  if (input.hosting !== undefined) set('hosting', input.hosting);
  if (input.trustedTerminals !== undefined) set('trustedTerminals', input.trustedTerminals.map(terminal));
  if (input.storageCarriers !== undefined) set('storageCarriers', input.storageCarriers.map(carrier));
  if (input.lastVulnScanOn !== undefined) set('lastVulnScanOn', input.lastVulnScanOn);
  return out;
}

/** A new system's fields: what the input sets over the registry's defaults. */
export function newSystemFields(input: SystemChanges & { name: string }): SystemFields {
  return {
    name: input.name.trim(),
    description: null,
    securityLead: null,
    securityMeasures: null,
    assessmentResult: null,
    assessmentOn: null,
    auditConclusion: null,
    mlpsLevel: null,
    mlpsFilingNo: null,
    mlpsEvaluatedOn: null,
    cryptoStatus: 'not_applied',
    cryptoAssessedOn: null,
    cii: false,
    hosting: null,
    trustedTerminals: [],
    storageCarriers: [],
    lastVulnScanOn: null,
    ...normalizeChanges(input),
  };
}
