// Which fields of a delivery carry which mark (PRT-8). A field with no safe carrier is left alone; a plan
// with no carrier at all is reported so the gateway can warn or refuse per policy.
import type { CarrierKind, FieldSpec, MarkPlan, PlannedField, SkipReason } from './types.ts';

/**
 * PI types whose values are identifiers that must still validate or match exactly (resident IDs, phones,
 * e-mail, bank accounts, plates, device IDs, credentials): no mark ever changes them. Masked forms of them
 * (138****5678) are display values and may carry the mask carrier.
 */
export const IDENTIFIER_PI_TYPES: ReadonlySet<string> = new Set([
  'id_number',
  'id_document_image',
  'phone',
  'email',
  'financial_account',
  'vehicle',
  'device_id',
  'credentials',
  'biometric',
]);

/** Free text read by people: long text, addresses, and string fields declared free text. */
export function isFreeText(field: FieldSpec): boolean {
  return field.dataType === 'text' || field.piType === 'address' || field.freeText === true;
}

function carriersOf(field: FieldSpec): CarrierKind[] | SkipReason {
  const masking = field.masking ?? 'none';
  const identifier = field.piType != null && IDENTIFIER_PI_TYPES.has(field.piType);
  const text = isFreeText(field) && !identifier;
  switch (masking) {
    case 'suppress':
      return 'suppressed';
    case 'pseudonym':
    case 'token':
      return ['pseudonym'];
    case 'partial':
      return text ? ['text', 'mask'] : ['mask'];
    case 'generalise':
      return text ? ['text'] : 'generalised';
    default:
      break;
  }
  if (identifier) return 'identifier';
  if (text) return ['text'];
  switch (field.dataType) {
    case 'decimal':
      if (field.scale === undefined || field.scale === null) return 'no-declared-scale';
      return field.scale >= 1 && Number.isInteger(field.scale) ? ['decimal'] : 'scale-zero';
    case 'datetime':
    case 'time':
      return field.precision === 'minute' ? ['seconds'] : 'precision-not-minute';
    case 'string':
      return 'not-free-text';
    default:
      return 'type-not-markable';
  }
}

export function planMarks(fields: readonly FieldSpec[]): MarkPlan {
  const planned: PlannedField[] = [];
  const skipped: MarkPlan['skipped'] = [];
  for (const field of fields) {
    const c = carriersOf(field);
    if (typeof c === 'string') skipped.push({ name: field.name, reason: c });
    else planned.push({ field, id: field.id ?? field.name, carriers: c });
  }
  const keyed = planned.some((p) => p.carriers.some((c) => c !== 'pseudonym'));
  return { version: 1, fields: planned, skipped, hasCarrier: planned.length > 0, hasKeyedCarrier: keyed };
}

/**
 * How consumers are told (zh, en): one line per field whose values the mark changes, to go into the
 * delivery's data dictionary, the export's notes sheet and the API response metadata.
 */
export function describePlan(plan: MarkPlan): { zh: string[]; en: string[] } {
  const zh: string[] = [];
  const en: string[] = [];
  for (const p of plan.fields) {
    const name = p.field.label ? `${p.field.label}（${p.field.name}）` : p.field.name;
    for (const c of p.carriers) {
      if (c === 'decimal') {
        zh.push(`${name}：有效精度为小数点后 ${p.field.scale} 位，使用前请四舍五入到该精度，更低位数字无意义。`);
        en.push(`${p.field.name}: precise to ${p.field.scale} decimal places; round to that scale before use, further digits carry no meaning.`);
      } else if (c === 'seconds') {
        zh.push(`${name}：精确到分钟，秒位无意义，使用前请截取到分钟。`);
        en.push(`${p.field.name}: precise to the minute; the seconds carry no meaning, truncate to the minute before use.`);
      } else if (c === 'text' || c === 'mask') {
        if (zh.at(-1)?.startsWith(`${name}：`) && c === 'mask') continue;
        zh.push(`${name}：全角与半角字符等同，比对前请做 NFKC 规范化。`);
        en.push(`${p.field.name}: full-width and half-width characters are equivalent; NFKC-normalise before comparing.`);
      }
    }
  }
  return { zh, en };
}
