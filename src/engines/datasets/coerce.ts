// Cell values onto a catalogued field's data type (LIF-13 dataset store). Pure. A refusal names the
// problem, never the value: error messages and logs must not carry personal data.
export type FieldDataType = 'string' | 'text' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'time' | 'binary' | 'json' | 'geometry';

/** What a stored cell holds: JSON-safe, canonical (the content hash depends on it). */
export type StoredValue = string | number | boolean | null;

export type CoerceProblem =
  | 'not_integer'
  | 'integer_out_of_range'
  | 'not_decimal'
  | 'not_boolean'
  | 'not_date'
  | 'not_datetime'
  | 'not_time'
  | 'not_json'
  | 'too_long';

export const COERCE_PROBLEM_LABELS: Record<CoerceProblem, { zh: string; en: string }> = {
  not_integer: { zh: '不是整数', en: 'not an integer' },
  integer_out_of_range: { zh: '整数超出可精确表示的范围', en: 'integer beyond the exactly representable range' },
  not_decimal: { zh: '不是数值', en: 'not a number' },
  not_boolean: { zh: '不是布尔值（是/否、true/false、1/0）', en: 'not a boolean (true/false, 1/0, 是/否)' },
  not_date: { zh: '不是有效日期（YYYY-MM-DD）', en: 'not a valid date (YYYY-MM-DD)' },
  not_datetime: { zh: '不是有效的日期时间', en: 'not a valid date-time' },
  not_time: { zh: '不是有效时间（HH:MM[:SS]）', en: 'not a valid time (HH:MM[:SS])' },
  not_json: { zh: '不是有效的 JSON', en: 'not valid JSON' },
  too_long: { zh: '超过长度上限', en: 'too long' },
};

export type CoerceResult = { ok: true; value: StoredValue } | { ok: false; problem: CoerceProblem };

/** Longest text a cell may hold (characters): a dataset is not a file store. */
export const MAX_CELL_CHARS = 65_536;

const TRUE = new Set(['true', 't', 'yes', 'y', '1', '是', '真', '对']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', '否', '假', '错']);

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 2024-03-05, 2024/3/5, 2024.03.05, 20240305, 2024年3月5日 → 2024-03-05. */
export function canonicalDate(s: string): string | null {
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2] ?? m[4]);
  const d = Number(m[3] ?? m[5]);
  return validDate(y, mo, d) ? `${m[1]}-${pad(mo)}-${pad(d)}` : null;
}

/**
 * Date-times without a zone are Beijing time (the users' clock); stored as ISO 8601 with +08:00 kept as
 * given, so a value reads back as written. With a zone (Z or ±hh:mm) the zone is kept.
 */
export function canonicalDateTime(s: string): string | null {
  const m = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const date = canonicalDate((m[1] as string).replace(/[/.]/g, '-'));
  const h = Number(m[2]);
  const mi = Number(m[3]);
  const sec = m[4] === undefined ? 0 : Number(m[4]);
  if (!date || h > 23 || mi > 59 || sec > 59) return null;
  const zone = m[6] === undefined ? '+08:00' : m[6] === 'Z' ? 'Z' : `${m[6].slice(0, 3)}:${m[6].slice(-2)}`;
  return `${date}T${pad(h)}:${pad(mi)}:${pad(sec)}${m[5] ?? ''}${zone}`;
}

function canonicalTime(s: string): string | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  return h <= 23 && mi <= 59 && sec <= 59 ? `${pad(h)}:${pad(mi)}:${pad(sec)}` : null;
}

/**
 * One cell onto a field type. Empty cells are null. Integers beyond 2^53 and decimals are kept as their
 * canonical decimal text where a float would change them (a 19-digit account number typed "integer" must
 * not be rounded).
 */
export function coerceCell(type: FieldDataType, raw: unknown): CoerceResult {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  if (typeof raw === 'boolean') {
    if (type === 'boolean') return { ok: true, value: raw };
    raw = String(raw);
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, problem: type === 'integer' ? 'not_integer' : 'not_decimal' };
    if (type === 'integer')
      return Number.isSafeInteger(raw) ? { ok: true, value: raw } : { ok: false, problem: Number.isInteger(raw) ? 'integer_out_of_range' : 'not_integer' };
    if (type === 'decimal') return { ok: true, value: raw };
    raw = String(raw);
  }
  const s = typeof raw === 'string' ? raw.trim() : JSON.stringify(raw);
  if (s === '') return { ok: true, value: null };
  if (s.length > MAX_CELL_CHARS) return { ok: false, problem: 'too_long' };
  switch (type) {
    case 'integer': {
      const t = s.replace(/,/g, '');
      if (!/^[+-]?\d+$/.test(t)) return { ok: false, problem: 'not_integer' };
      const n = Number(t);
      return Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, problem: 'integer_out_of_range' };
    }
    case 'decimal': {
      const t = s.replace(/,/g, '');
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { ok: false, problem: 'not_decimal' };
      const n = Number(t);
      if (!Number.isFinite(n)) return { ok: false, problem: 'not_decimal' };
      // Keep the text when a float would not give it back (precision beyond double): money stays exact.
      return { ok: true, value: String(n) === t.replace(/^\+/, '') ? n : t.replace(/^\+/, '') };
    }
    case 'boolean': {
      const t = s.toLowerCase();
      if (TRUE.has(t)) return { ok: true, value: true };
      if (FALSE.has(t)) return { ok: true, value: false };
      return { ok: false, problem: 'not_boolean' };
    }
    case 'date': {
      const d = canonicalDate(s) ?? (/^\d{4}-\d{2}-\d{2}T/.test(s) ? canonicalDate(s.slice(0, 10)) : null);
      return d ? { ok: true, value: d } : { ok: false, problem: 'not_date' };
    }
    case 'datetime': {
      const d = canonicalDateTime(s);
      return d ? { ok: true, value: d } : { ok: false, problem: 'not_datetime' };
    }
    case 'time': {
      const t = canonicalTime(s);
      return t ? { ok: true, value: t } : { ok: false, problem: 'not_time' };
    }
    case 'json': {
      try {
        return { ok: true, value: JSON.stringify(JSON.parse(s)) };
      } catch {
        return { ok: false, problem: 'not_json' };
      }
    }
    default:
      // string, text, binary (base64 text), geometry (WKT/GeoJSON text): kept as given, trimmed.
      return { ok: true, value: s };
  }
}
