// Open-data release checks (LIF-7, HZ-26, GZ-17, ZZ-23): the decisions, without I/O. The open-data service
// gathers the facts (the fields' grades and open-data masking rules, the de-identified rows) and these
// functions say, per check, whether the release may go ahead and why, in Chinese and English.
//
// (1) grade: every released field's level allows opening (controls.openAllowed), its open-data masking
//     mode is not `forbidden`, and its open-data rule does not suppress it away (an empty column is not a
//     release); ungraded fields fail (fail safe), and so does a resource the catalog marks 不予开放.
// (2) personal information: the discovery engine scans the de-identified output; any PI type proposed for a
//     released column fails it (GZ-17: personal information is not opened).
// (3) k-anonymity: over the chosen quasi-identifiers, the de-identified output's equivalence classes hold at
//     least k rows once at most `maxSuppression` rows (those in smaller classes) are withheld.
import { type CustomRecognizer, defaultSchemeGuide, Scanner } from '../discovery/index.ts';
import { checkAnonymity } from '../masking/index.ts';

export interface Msg {
  zh: string;
  en: string;
}

export interface GradeFieldFact {
  name: string;
  level: string | null;
  /** 'fail_safe': no grade is known for the field (its controls are the strictest). */
  basis: 'level' | 'fail_safe';
  openAllowed: boolean;
  /** The level's masking mode for open data (none, partial, pseudonymize, suppress, forbidden). */
  openMode: string;
  /** The method of the field's effective open-data masking rule. */
  openMethod: string;
}

export interface GradeCheck {
  passed: boolean;
  reason: Msg;
  resource: { level: string | null; openAttribute: string | null; passed: boolean; reason: Msg };
  fields: { field: string; level: string | null; openMethod: string; passed: boolean; reason: Msg }[];
}

/** Check (1): the grade allows opening each released field. */
export function gradeCheck(resource: { level: string | null; openAttribute: string | null }, fields: readonly GradeFieldFact[]): GradeCheck {
  const res =
    resource.openAttribute === 'not_open'
      ? { passed: false, reason: { zh: '数据资源目录登记为“不予开放”', en: 'The catalog marks the resource as not to be opened' } }
      : resource.level === null
        ? { passed: false, reason: { zh: '数据资源尚未定级（从严处理：不得开放）', en: 'The resource is not graded (fail safe: not opened)' } }
        : { passed: true, reason: { zh: '资源级别与开放属性允许开放', en: 'The resource level and open attribute allow opening' } };
  const out = fields.map((f) => {
    const base = { field: f.name, level: f.level, openMethod: f.openMethod };
    if (f.basis === 'fail_safe' || f.level === null)
      return { ...base, passed: false, reason: { zh: '数据项未定级（从严处理：不得开放）', en: 'The field is not graded (fail safe: not opened)' } };
    if (!f.openAllowed) return { ...base, passed: false, reason: { zh: `${f.level} 级数据不允许开放`, en: `Data graded ${f.level} may not be opened` } };
    if (f.openMode === 'forbidden')
      return { ...base, passed: false, reason: { zh: '该级别的开放场景脱敏要求为“禁止使用”', en: "The level's open-data masking mode is forbidden" } };
    if (f.openMethod === 'suppress')
      return {
        ...base,
        passed: false,
        reason: {
          zh: '开放场景下该数据项被屏蔽，发布后为空列：请从发布中移除',
          en: 'Open-data masking suppresses the field (an empty column): remove it from the release',
        },
      };
    return { ...base, passed: true, reason: { zh: `允许开放（开放脱敏：${f.openMethod}）`, en: `May be opened (open-data masking: ${f.openMethod})` } };
  });
  const failed = out.filter((f) => !f.passed).map((f) => f.field);
  const passed = res.passed && failed.length === 0;
  const problems: Msg[] = [
    ...(res.passed ? [] : [res.reason]),
    ...(failed.length ? [{ zh: `以下数据项不得开放：${failed.join('、')}`, en: `These fields may not be opened: ${failed.join(', ')}` }] : []),
  ];
  return {
    passed,
    reason: passed
      ? { zh: '所有数据项的级别均允许开放', en: "Every field's grade allows opening" }
      : { zh: problems.map((p) => p.zh).join('；'), en: problems.map((p) => p.en).join('; ') },
    resource: { level: resource.level, openAttribute: resource.openAttribute, ...res },
    fields: out,
  };
}

export interface PiColumn {
  field: string;
  nonEmpty: number;
  /** Personal-information types proposed for the column (empty: none found). */
  piTypes: string[];
  /** Every type the engine proposed, with how much of the column holds it. */
  types: { type: string; share: number; confidence: number }[];
  passed: boolean;
}

export interface PiCheck {
  passed: boolean;
  reason: Msg;
  rows: number;
  columns: PiColumn[];
}

/** Scans the de-identified rows with the discovery engine (the scan job's column inference) and keeps the per-column verdicts. */
export function scanReleased(
  columns: readonly string[],
  rows: Iterable<Readonly<Record<string, unknown>>>,
  custom: readonly CustomRecognizer[] = [],
): PiColumn[] {
  const scanner = new Scanner({ columns, guide: defaultSchemeGuide(), custom });
  for (const r of rows) scanner.row(columns.map((c) => r[c] ?? null));
  return scanner.finish().columns.map((c) => ({
    field: c.name,
    nonEmpty: c.nonEmpty,
    piTypes: [...c.proposal.piTypes],
    types: c.proposal.types.map((t) => ({ type: t.type, share: t.share, confidence: t.confidence })),
    passed: c.proposal.piTypes.length === 0,
  }));
}

/** Check (2): no personal-information type is left in any released column. */
export function piCheck(columns: readonly PiColumn[], rows: number): PiCheck {
  if (rows === 0) return { passed: false, reason: { zh: '数据资源没有可发布的数据', en: 'The resource has no data to release' }, rows, columns: [...columns] };
  const hit = columns.filter((c) => !c.passed);
  return {
    passed: hit.length === 0,
    reason:
      hit.length === 0
        ? { zh: `去标识化后的 ${rows} 行数据中未发现个人信息`, en: `No personal information found in the ${rows} de-identified rows` }
        : {
            zh: `去标识化后仍含个人信息：${hit.map((c) => `${c.field}（${c.piTypes.join('、')}）`).join('；')}`,
            en: `Personal information remains after de-identification: ${hit.map((c) => `${c.field} (${c.piTypes.join(', ')})`).join('; ')}`,
          },
    rows,
    columns: [...columns],
  };
}

export interface AnonymityCheck {
  passed: boolean;
  reason: Msg;
  quasiIdentifiers: string[];
  k: number;
  maxSuppression: number;
  rows: number;
  classes: number;
  smallestClass: number;
  /** Rows in classes smaller than k: withheld from the release when within maxSuppression. */
  violatingRows: number;
}

/** Check (3): k-anonymity of the de-identified rows over the quasi-identifiers, within the allowed suppression. */
export function anonymityCheck(
  rows: readonly Readonly<Record<string, unknown>>[],
  quasiIdentifiers: readonly string[],
  k: number,
  maxSuppression: number,
): AnonymityCheck {
  const base = { quasiIdentifiers: [...quasiIdentifiers], k, maxSuppression, rows: rows.length };
  if (quasiIdentifiers.length === 0) {
    return {
      ...base,
      passed: true,
      reason: {
        zh: '未指定准标识符：发布的数据不含个人记录（须经复核确认）',
        en: 'No quasi-identifiers chosen: the release holds no personal records (the reviewer confirms)',
      },
      classes: rows.length > 0 ? 1 : 0,
      smallestClass: rows.length,
      violatingRows: 0,
    };
  }
  const report = checkAnonymity(rows as Record<string, unknown>[], { quasiIdentifiers: [...quasiIdentifiers], k });
  const withheld = rows.length - report.violatingRows;
  const passed = report.violatingRows <= maxSuppression && withheld > 0;
  return {
    ...base,
    passed,
    reason: passed
      ? report.violatingRows === 0
        ? { zh: `满足 k=${k} 匿名（最小等价类 ${report.smallestClass} 行）`, en: `k=${k} anonymous (smallest class ${report.smallestClass} rows)` }
        : {
            zh: `屏蔽 ${report.violatingRows} 行（允许 ${maxSuppression} 行）后满足 k=${k} 匿名`,
            en: `k=${k} anonymous once ${report.violatingRows} rows are withheld (${maxSuppression} allowed)`,
          }
      : withheld === 0 && report.violatingRows <= maxSuppression
        ? { zh: '所有行都须屏蔽才能满足 k 匿名', en: 'Every row would have to be withheld to reach k' }
        : {
            zh: `不满足 k=${k} 匿名：${report.violatingClasses} 个等价类共 ${report.violatingRows} 行小于 k（允许屏蔽 ${maxSuppression} 行）`,
            en: `Not k=${k} anonymous: ${report.violatingClasses} classes with ${report.violatingRows} rows are smaller than k (${maxSuppression} may be withheld)`,
          },
    classes: report.classes,
    smallestClass: report.smallestClass,
    violatingRows: report.violatingRows,
  };
}

/** The rows to publish: those outside equivalence classes smaller than k (none withheld without quasi-identifiers). */
export function rowsToPublish<T extends Readonly<Record<string, unknown>>>(rows: readonly T[], quasiIdentifiers: readonly string[], k: number): T[] {
  if (quasiIdentifiers.length === 0) return [...rows];
  const key = (r: T) => JSON.stringify(quasiIdentifiers.map((q) => r[q] ?? null));
  const sizes = new Map<string, number>();
  for (const r of rows) sizes.set(key(r), (sizes.get(key(r)) ?? 0) + 1);
  return rows.filter((r) => (sizes.get(key(r)) ?? 0) >= k);
}

export interface ReleaseChecks {
  grade: GradeCheck;
  personalInformation: PiCheck;
  anonymity: AnonymityCheck;
}

export function allPassed(c: ReleaseChecks): boolean {
  return c.grade.passed && c.personalInformation.passed && c.anonymity.passed;
}

/** GZ-17 confirmations, as the reviewer gives them. */
export interface Confirmations {
  stateSecrets?: unknown;
  personalInformation?: unknown;
  tradeSecrets?: unknown;
}

/**
 * GZ-17: state secrets and personal information are never opened; trade secrets only with the third
 * party's consent or an overriding public interest (basis and a note). The names of what is missing.
 */
export function missingConfirmations(c: Confirmations | undefined): string[] {
  const missing: string[] = [];
  if (c?.stateSecrets !== false) missing.push('stateSecrets');
  if (c?.personalInformation !== false) missing.push('personalInformation');
  const t = c?.tradeSecrets as { basis?: unknown; note?: unknown } | false | undefined;
  const tradeOk =
    t === false ||
    (typeof t === 'object' && t !== null && (t.basis === 'consent' || t.basis === 'public_interest') && typeof t.note === 'string' && t.note.trim() !== '');
  if (!tradeOk) missing.push('tradeSecrets');
  return missing;
}
