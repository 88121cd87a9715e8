// LIF-8 (HZ-23, GZ-15): joint / association analysis (数据碰撞、综合关联分析) of shared data. A share request
// is flagged when the data it asks for could be linked, record by record, with data the applicant institution
// already holds through the platform (an active grant) or is asking for at the same time (a request still
// under review). Linked data can identify people or reveal secrets that no single resource does, so HZ-23
// makes the data authority assess it fully before approving, and GZ-15 asks for technical measures against
// the leakage of sensitive personal information and commercial secrets. The applicant may also declare the
// intent itself (HZ-23: 数据使用单位也可提前自行检查).
//
// Pure: the caller reads the fields from the database (data_fields.pi_type / pi_sensitive / level) and the
// result is stored as a snapshot on the request at submission, like the approval chain.
//
// Rules (matched by the fields' PI type, never by field name: names differ between institutions):
// - LINK_KEY: the requested fields and a held resource's fields share a direct link key, a PI type that
//   identifies one person or thing on its own (ID number, phone, email, financial account, device ID,
//   vehicle). One common key is enough to join the two tables row by row.
// - QUASI_IDENTIFIERS: no link key, but two or more quasi-identifiers in common (name, birth date, address):
//   together they single out most people (the classic name + date of birth join).
// - DECLARED: the applicant says it will analyse the data together with other data.
// `sensitive` marks a reason where either side holds sensitive PI (pi_sensitive) or a field graded at the
// top levels (general-4 and above, rank ≥ 4): linking there can yield sensitive or secret data (HZ-23's 涉密).
import { isLevel, LEVEL_INFO } from '../grading/levels.ts';

/** PI types that identify one person on their own: one in common links two resources. */
export const LINK_KEY_TYPES = ['id_number', 'phone', 'email', 'financial_account', 'device_id', 'vehicle'] as const;
/** PI types that identify a person only in combination: two in common link two resources. */
export const QUASI_IDENTIFIER_TYPES = ['name', 'birth_date', 'address'] as const;
/** How many quasi-identifiers in common make a link. */
export const QUASI_IDENTIFIER_MIN = 2;
/** Fields graded at or above this rank count as sensitive (general-4, important, core). */
export const SENSITIVE_LEVEL_RANK = 4;

export type AssociationCode = 'LINK_KEY' | 'QUASI_IDENTIFIERS' | 'DECLARED';
export type AssociationVia = 'grant' | 'request';

export const ASSOCIATION_CODE_LABELS: Record<AssociationCode, { zh: string; en: string }> = {
  LINK_KEY: { zh: '存在共同直接标识（可逐条关联）', en: 'Direct link key in common' },
  QUASI_IDENTIFIERS: { zh: '存在两项以上共同准标识符', en: 'Two or more quasi-identifiers in common' },
  DECLARED: { zh: '申请单位声明将关联分析', en: 'Declared by the applicant' },
};

export interface AssociationField {
  name: string;
  /** data_fields.pi_type (PI_TYPES of the catalog), null when not personal information. */
  piType: string | null;
  piSensitive: boolean;
  level: string | null;
}

/** A resource the applicant institution already holds (active grant) or is asking for (request in review). */
export interface HeldResource {
  resourceId: string;
  resourceName: string;
  via: AssociationVia;
  /** The grant's or the request's id. */
  refId: string;
  fields: AssociationField[];
}

export interface AssociationDeclaration {
  intended: boolean;
  description?: string | null;
  selfAssessment?: string | null;
}

export interface AssociationInput {
  resourceId: string;
  /** The fields the request asks for (not the whole resource: only those leave the provider). */
  requested: AssociationField[];
  held: HeldResource[];
  declaration?: AssociationDeclaration | null;
}

export interface AssociationReason {
  code: AssociationCode;
  /** The linked resource; null for DECLARED. */
  resourceId: string | null;
  resourceName: string | null;
  via: AssociationVia | null;
  refId: string | null;
  /** The PI types in common (sorted); empty for DECLARED. */
  keys: string[];
  sensitive: boolean;
}

export interface AssociationResult {
  flagged: boolean;
  reasons: AssociationReason[];
}

function sensitiveField(f: AssociationField): boolean {
  return f.piSensitive || (f.level !== null && isLevel(f.level) && LEVEL_INFO[f.level].rank >= SENSITIVE_LEVEL_RANK);
}

function piTypes(fields: readonly AssociationField[]): Set<string> {
  return new Set(fields.map((f) => f.piType).filter((t): t is string => t !== null));
}

const CODE_ORDER: Record<AssociationCode, number> = { DECLARED: 0, LINK_KEY: 1, QUASI_IDENTIFIERS: 2 };

/** Whether the request enables linking, and why (LIF-8). Deterministic: reasons sorted by code, resource, ref. */
export function assessAssociation(input: AssociationInput): AssociationResult {
  const mine = piTypes(input.requested);
  const mineSensitive = input.requested.some(sensitiveField);
  const reasons: AssociationReason[] = [];
  if (input.declaration?.intended) {
    reasons.push({ code: 'DECLARED', resourceId: null, resourceName: null, via: null, refId: null, keys: [], sensitive: mineSensitive });
  }
  for (const h of input.held) {
    // The same resource again (a renewal, another field subset) adds no new data to join with.
    if (h.resourceId === input.resourceId) continue;
    const theirs = piTypes(h.fields);
    const common = [...mine].filter((t) => theirs.has(t));
    const sensitive = mineSensitive || h.fields.some(sensitiveField);
    const ref = { resourceId: h.resourceId, resourceName: h.resourceName, via: h.via, refId: h.refId, sensitive };
    const linkKeys = common.filter((t) => (LINK_KEY_TYPES as readonly string[]).includes(t)).sort();
    if (linkKeys.length > 0) {
      reasons.push({ code: 'LINK_KEY', ...ref, keys: linkKeys });
      continue;
    }
    const quasi = common.filter((t) => (QUASI_IDENTIFIER_TYPES as readonly string[]).includes(t)).sort();
    if (quasi.length >= QUASI_IDENTIFIER_MIN) reasons.push({ code: 'QUASI_IDENTIFIERS', ...ref, keys: quasi });
  }
  reasons.sort(
    (a, b) =>
      CODE_ORDER[a.code] - CODE_ORDER[b.code] ||
      (a.resourceName ?? '').localeCompare(b.resourceName ?? '', 'zh-CN') ||
      (a.refId ?? '').localeCompare(b.refId ?? ''),
  );
  return { flagged: reasons.length > 0, reasons };
}
