// What grading weighs (GB/T 43697-2024, domain.md §1): the object harmed and the degree of harm if the data
// is tampered with, destroyed, leaked, or illegally obtained or used.

/** Harm objects, in the standard's order (national security first). */
export const HARM_OBJECTS = ['national_security', 'economy', 'social_order', 'public_interest', 'organization', 'individual'] as const;
export type HarmObject = (typeof HARM_OBJECTS)[number];

/** Degrees of harm, most severe first. */
export const HARM_DEGREES = ['especially_serious', 'serious', 'ordinary'] as const;
export type HarmDegree = (typeof HARM_DEGREES)[number];

export const HARM_OBJECT_LABELS: Record<HarmObject, { zh: string; en: string }> = {
  national_security: { zh: '国家安全', en: 'National security' },
  economy: { zh: '经济运行', en: 'Economic operation' },
  social_order: { zh: '社会秩序', en: 'Social order' },
  public_interest: { zh: '公共利益', en: 'Public interest' },
  organization: { zh: '组织权益', en: 'Rights of organisations' },
  individual: { zh: '个人权益', en: 'Rights of individuals' },
};

export const HARM_DEGREE_LABELS: Record<HarmDegree, { zh: string; en: string }> = {
  especially_serious: { zh: '特别严重危害', en: 'Especially serious harm' },
  serious: { zh: '严重危害', en: 'Serious harm' },
  ordinary: { zh: '一般危害', en: 'Ordinary harm' },
};

export function isHarmObject(value: unknown): value is HarmObject {
  return typeof value === 'string' && (HARM_OBJECTS as readonly string[]).includes(value);
}

export function isHarmDegree(value: unknown): value is HarmDegree {
  return typeof value === 'string' && (HARM_DEGREES as readonly string[]).includes(value);
}

/** 0 for the most severe degree; a larger number is a milder degree. */
export function degreeSeverityIndex(degree: HarmDegree): number {
  return HARM_DEGREES.indexOf(degree);
}

export interface Harm {
  object: HarmObject;
  degree: HarmDegree;
}
