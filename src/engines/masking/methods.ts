// The masking methods (PRT-4, domain.md §3). Each has a stable ID, says which targets it applies to,
// checks its parameter object (policies are data) and compiles, once per field, into a value function that
// the row masker calls for every value. A value that does not parse as its target never throws and never
// leaks: it gets the method's safe fallback (a full mask of its length class, or null) and is counted.
import { hmacSm3, KeyedStream, type MaskKeys } from './keys.ts';
import { checkParams, type ParamIssue, type ParamSpec } from './params.ts';
import { type MaskTarget, TARGET_INFO } from './target.ts';
import { ADDRESS_LEVELS, type AddressLevel, generaliseAddress, partialAddress } from './targets/address.ts';
import { canonicalDate, DATE_GRAINS, type DateGrain, generaliseDate, shiftDate } from './targets/date.ts';
import { IDENTIFIER_FORMATS } from './targets/index.ts';
import { band, formatNumber, noiseUnit, parseNumber, roundTo, stepDecimals } from './targets/number.ts';
import type { PartialOptions, TokenOptions } from './targets/types.ts';
import { fallbackMask, maskRun, normalise, scalarText, trimmed } from './text.ts';

import { MASK_METHODS, type MaskMethod } from './vocabulary.ts';

export { MASK_METHODS, type MaskMethod };

export const MASK_METHOD_LABELS: Record<MaskMethod, { zh: string; en: string }> = {
  keep: { zh: '不处理', en: 'Keep' },
  partial: { zh: '部分遮蔽', en: 'Partial mask' },
  pseudonym: { zh: '假名（HMAC-SM3）', en: 'Keyed pseudonym (HMAC-SM3)' },
  token: { zh: '仿真替换（保留格式）', en: 'Format-preserving token' },
  generalise: { zh: '泛化', en: 'Generalise' },
  suppress: { zh: '屏蔽', en: 'Suppress' },
  shuffle: { zh: '重排', en: 'Shuffle' },
  round: { zh: '取整', en: 'Round' },
  noise: { zh: '加噪', en: 'Add noise' },
};

export interface PartialParams {
  /** Leading units kept (characters, digits, octets, groups: see the target); name default: the surname. */
  keepFirst?: number;
  keepLast?: number;
  maskChar?: string;
  /** Bank cards (default 4) and resident IDs (default 0): output in groups of this size; 0 keeps the input's own separators. */
  groupSize?: number;
  /** Hide the length: this many mask characters whatever was hidden (names, email, plate, passport, uscc, text). */
  fixedMaskLength?: number;
  /** Addresses: the deepest level kept (default street). */
  level?: AddressLevel;
}
export interface PseudonymParams {
  prefix?: string;
  /** Characters after the prefix, 5 bits each (default 16: 80 bits). */
  length?: number;
  /** Domain separation: values pseudonymised under different contexts do not match (default: the target). */
  context?: string;
}
export interface TokenParams {
  keepPrefix?: number;
  keepDomain?: boolean;
  keepAreaCode?: boolean;
  maxShiftDays?: number;
}
export interface GeneraliseParams {
  /** Dates: month or year (date-times also day or hour); addresses: province, city, district or street. */
  to?: DateGrain | AddressLevel;
  /** Numbers: band width (default 10; ages 5). */
  width?: number;
  /** Bottom coding: values below become '<min'. */
  min?: number;
  /** Top coding: values at or above become '≥max'. */
  max?: number;
}
export interface SuppressParams {
  /** What replaces the value (default null), e.g. '***' or '已屏蔽'. */
  replacement?: string | null;
}
export interface ShuffleParams {
  /** Fields with the same group are permuted together (default: each field alone). */
  group?: string;
}
export interface RoundParams {
  /** Round to the nearest multiple of step (default 1 for decimals, 10 for integers and ages). */
  step?: number;
}
export interface NoiseParams {
  kind?: 'relative' | 'absolute';
  /** Relative: fraction of the value (default 0.1); absolute: in the value's unit (default 1; ages 2). */
  amount?: number;
  distribution?: 'uniform' | 'laplace';
  decimals?: number;
}

export type MaskRule =
  | { method: 'keep'; params?: Record<string, never> }
  | { method: 'partial'; params?: PartialParams }
  | { method: 'pseudonym'; params?: PseudonymParams }
  | { method: 'token'; params?: TokenParams }
  | { method: 'generalise'; params?: GeneraliseParams }
  | { method: 'suppress'; params?: SuppressParams }
  | { method: 'shuffle'; params?: ShuffleParams }
  | { method: 'round'; params?: RoundParams }
  | { method: 'noise'; params?: NoiseParams };

/** Counters per field: how many values were masked, were null, and how many of the values did not parse (masked by the fallback). */
export interface FieldStats {
  values: number;
  nulls: number;
  fallback: number;
}

export interface CompileContext {
  field: string;
  target: MaskTarget;
  keys: MaskKeys;
  stats: FieldStats;
}

/** Masks one non-null value. */
export type ValueMasker = (v: unknown) => unknown;

interface MethodDef {
  scope: 'value' | 'table';
  applies(target: MaskTarget): boolean;
  /** The parameter specifications for a target (unknown keys are refused). */
  specs(target: MaskTarget): Record<string, ParamSpec>;
  /** Cross-parameter checks after each parameter passed its own. */
  extra?(params: Record<string, unknown>, target: MaskTarget): ParamIssue[];
  compile(params: Record<string, unknown>, ctx: CompileContext): ValueMasker;
}

const kind = (t: MaskTarget) => TARGET_INFO[t].kind;
const isNumber = (t: MaskTarget) => kind(t) === 'number';
const isDate = (t: MaskTarget) => kind(t) === 'date';
const wholeNumber = (t: MaskTarget) => t === 'integer' || t === 'age';
const MASK = '*';

/** Whether s[from..to) holds a UTF-16 surrogate (so slicing there could split a character). */
function hasSurrogate(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}
// Targets whose partial mask can hide its length (the in-place ones keep the layout of the number instead).
const FIXED_MASK_TARGETS = new Set<MaskTarget>(['name', 'email', 'plate', 'passport', 'uscc', 'text']);

function fail(ctx: CompileContext, v: unknown, maskChar: string): string {
  ctx.stats.fallback++;
  return fallbackMask(v, maskChar);
}

// ---- partial ---------------------------------------------------------------------------------------------

function partialSpecs(target: MaskTarget): Record<string, ParamSpec> {
  if (target === 'address') return { level: { type: 'enum', values: ADDRESS_LEVELS }, maskChar: { type: 'maskChar' } };
  const max = IDENTIFIER_FORMATS[target]?.maxKept ?? 32;
  const specs: Record<string, ParamSpec> = {
    keepFirst: { type: 'int', min: 0, max },
    keepLast: { type: 'int', min: 0, max },
    maskChar: { type: 'maskChar' },
  };
  if (FIXED_MASK_TARGETS.has(target)) specs.fixedMaskLength = { type: 'int', min: 1, max: 16 };
  if (target === 'bank_card' || target === 'resident_id') specs.groupSize = { type: 'int', min: 0, max: 8 };
  return specs;
}

function compilePartial(p: PartialParams, ctx: CompileContext): ValueMasker {
  const maskChar = p.maskChar ?? MASK;
  const { target } = ctx;
  if (target === 'address') {
    const level = p.level ?? 'street';
    return (v) => {
      const t = scalarText(v);
      // No NFKC needed: the kept prefix holds only unit names, and the parser stops at digits of either width.
      const out = t === null ? null : partialAddress(trimmed(t), level, maskChar);
      return out ?? fail(ctx, v, maskChar);
    };
  }
  if (target === 'text') {
    const kf = p.keepFirst ?? 1;
    const kl = p.keepLast ?? 0;
    const mask = maskRun(maskChar, p.fixedMaskLength ?? 3);
    return (v) => {
      const t = typeof v === 'string' ? v : scalarText(v);
      if (t === null) return fail(ctx, v, maskChar);
      // The text as written (the kept characters are not normalised: nothing is revealed by their width).
      const s = trimmed(t);
      if (s.length === 0) return '';
      if (s.length > 2 * (kf + kl) && !hasSurrogate(s, 0, kf) && !hasSurrogate(s, s.length - kl, s.length)) {
        return s.slice(0, kf) + mask + s.slice(s.length - kl);
      }
      const units = Array.from(s);
      let f = kf;
      let l = kl;
      while (f + l >= units.length && (f > 0 || l > 0)) l > 0 ? l-- : f--;
      return units.slice(0, f).join('') + mask + units.slice(units.length - l).join('');
    };
  }
  const fmt = IDENTIFIER_FORMATS[target];
  if (fmt === undefined) throw new Error(`partial does not apply to ${target}`);
  const d = fmt.partialDefaults;
  const o: PartialOptions = {
    keepFirst: p.keepFirst ?? d.keepFirst ?? -1,
    keepLast: p.keepLast ?? d.keepLast,
    maskChar,
    groupSize: p.groupSize ?? d.groupSize ?? 0,
    fixedMaskLength: p.fixedMaskLength ?? d.fixedMaskLength,
  };
  return (v) => {
    const t = typeof v === 'string' ? v : scalarText(v);
    const out = t === null ? null : fmt.partial(t, o);
    return out ?? fail(ctx, v, maskChar);
  };
}

// ---- pseudonym -------------------------------------------------------------------------------------------

/** Crockford's base-32 alphabet: no I, L, O or U, so pseudonyms read aloud and copy without confusion. */
export const PSEUDONYM_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const PSEUDONYM_PREFIX: Partial<Record<MaskTarget, string>> = {
  name: 'NM-',
  resident_id: 'ID-',
  passport: 'PP-',
  mobile: 'MB-',
  landline: 'TL-',
  email: 'EM-',
  bank_card: 'BC-',
  plate: 'PL-',
  ipv4: 'IP-',
  ipv6: 'IP-',
  uscc: 'CC-',
  address: 'AD-',
  text: 'TX-',
};

function base32(bytes: Buffer, chars: number): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; out.length < chars; i++) {
    acc = ((acc << 8) | (bytes[i] as number)) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      bits -= 5;
      out += PSEUDONYM_ALPHABET[(acc >> bits) & 31];
    }
  }
  return out;
}

/** The canonical text of a value for keyed derivations, or null when it does not parse as its target. */
function canonicalText(target: MaskTarget, v: unknown): string | null {
  if (isDate(target)) return canonicalDate(v);
  const t = scalarText(v);
  if (t === null) return null;
  const fmt = IDENTIFIER_FORMATS[target];
  if (fmt !== undefined) return fmt.canonical(t);
  return normalise(t).replace(/\s+/g, ' ');
}

function compilePseudonym(p: PseudonymParams, ctx: CompileContext): ValueMasker {
  const prefix = p.prefix ?? PSEUDONYM_PREFIX[ctx.target] ?? 'PS-';
  const length = p.length ?? 16;
  const domain = `${p.context ?? ctx.target}\u0000`;
  const key = ctx.keys.pseudonym;
  return (v) => {
    let c = canonicalText(ctx.target, v);
    if (c === null) {
      // Unparsed values are still pseudonymised (a keyed hash reveals nothing), on their raw text.
      ctx.stats.fallback++;
      const t = scalarText(v);
      c = `\u0001${t === null ? (JSON.stringify(v) ?? '') : normalise(t)}`;
    }
    return prefix + base32(hmacSm3(key, domain + c), length);
  };
}

// ---- token -----------------------------------------------------------------------------------------------

const TOKEN_DATE_TARGETS = new Set<MaskTarget>(['date', 'datetime', 'birth_date']);

function tokenSpecs(target: MaskTarget): Record<string, ParamSpec> {
  if (target === 'bank_card') return { keepPrefix: { type: 'int', min: 1, max: 8 } };
  if (target === 'email') return { keepDomain: { type: 'bool' } };
  if (target === 'landline') return { keepAreaCode: { type: 'bool' } };
  if (TOKEN_DATE_TARGETS.has(target)) return { maxShiftDays: { type: 'int', min: 1, max: 3650 } };
  return {};
}

function compileToken(p: TokenParams, ctx: CompileContext): ValueMasker {
  const { target } = ctx;
  const key = ctx.keys.token;
  if (TOKEN_DATE_TARGETS.has(target)) {
    const maxShift = p.maxShiftDays ?? (target === 'birth_date' ? 365 : 180);
    return (v) => {
      const c = canonicalDate(v);
      if (c === null) return fail(ctx, v, MASK);
      return shiftDate(v, new KeyedStream(key, `${target}\u0000${c}`), maxShift);
    };
  }
  const fmt = IDENTIFIER_FORMATS[target];
  if (fmt === undefined) throw new Error(`token does not apply to ${target}`);
  const o: TokenOptions = { keepPrefix: p.keepPrefix ?? 6, keepDomain: p.keepDomain ?? true, keepAreaCode: p.keepAreaCode ?? true };
  return (v) => {
    const t = scalarText(v);
    if (t === null) return fail(ctx, v, MASK);
    const c = fmt.canonical(t);
    if (c === null) return fail(ctx, v, MASK);
    const rnd = new KeyedStream(key, `${target}\u0000${c}`);
    // A fake that happens to equal the real value is drawn again (deterministically: the stream continues).
    for (let i = 0; i < 4; i++) {
      const out = fmt.token(t, rnd, o);
      if (out === null) break;
      if (fmt.canonical(out) !== c) return out;
    }
    return fail(ctx, v, MASK);
  };
}

// ---- generalise, round, noise, suppress ------------------------------------------------------------------

function generaliseSpecs(target: MaskTarget): Record<string, ParamSpec> {
  if (target === 'address') return { to: { type: 'enum', values: ADDRESS_LEVELS } };
  if (target === 'datetime') return { to: { type: 'enum', values: DATE_GRAINS } };
  if (isDate(target)) return { to: { type: 'enum', values: ['month', 'year'] } };
  return { width: { type: 'number', positive: true }, min: { type: 'number' }, max: { type: 'number' } };
}

function compileGeneralise(p: GeneraliseParams, ctx: CompileContext): ValueMasker {
  const { target } = ctx;
  if (target === 'address') {
    const level = (p.to ?? 'district') as AddressLevel;
    return (v) => {
      const t = scalarText(v);
      const out = t === null ? null : generaliseAddress(normalise(t), level);
      if (out === null) ctx.stats.fallback++;
      return out;
    };
  }
  if (isDate(target)) {
    const grain = (p.to ?? (target === 'datetime' ? 'day' : 'month')) as DateGrain;
    return (v) => {
      const out = generaliseDate(v, grain);
      if (out === null) ctx.stats.fallback++;
      return out;
    };
  }
  const opts = { width: p.width ?? (target === 'age' ? 5 : 10), min: p.min, max: p.max, integer: wholeNumber(target) };
  return (v) => {
    const n = parseNumber(v);
    if (n === null) {
      ctx.stats.fallback++;
      return null;
    }
    return band(n.value, opts);
  };
}

function compileRound(p: RoundParams, ctx: CompileContext): ValueMasker {
  const step = p.step ?? (wholeNumber(ctx.target) ? 10 : 1);
  const decimals = stepDecimals(step);
  return (v) => {
    const n = parseNumber(v);
    if (n === null) {
      ctx.stats.fallback++;
      return null;
    }
    return formatNumber(roundTo(n.value, step), decimals, n.kind);
  };
}

function compileNoise(p: NoiseParams, ctx: CompileContext): ValueMasker {
  const relative = (p.kind ?? 'relative') === 'relative';
  const amount = p.amount ?? (relative ? 0.1 : ctx.target === 'age' ? 2 : 1);
  const distribution = p.distribution ?? 'uniform';
  const whole = wholeNumber(ctx.target);
  const key = ctx.keys.noise;
  const seed = `${ctx.field}\u0000`;
  return (v) => {
    const n = parseNumber(v);
    if (n === null) {
      ctx.stats.fallback++;
      return null;
    }
    // Keyed by the value: the same value always gets the same noise, so repeating a query cannot average it away.
    const u = noiseUnit(new KeyedStream(key, seed + String(n.value)), distribution);
    let x = relative ? n.value * (1 + amount * u) : n.value + amount * u;
    if (ctx.target === 'age') x = Math.min(150, Math.max(0, x));
    return formatNumber(x, p.decimals ?? (whole ? 0 : n.decimals), n.kind);
  };
}

// ---- the registry ----------------------------------------------------------------------------------------

const IDENTIFIERS_AND_TEXT = (t: MaskTarget) => IDENTIFIER_FORMATS[t] !== undefined || t === 'address' || t === 'text';

export const METHODS: Record<MaskMethod, MethodDef> = {
  keep: { scope: 'value', applies: () => true, specs: () => ({}), compile: () => (v) => v },
  partial: {
    scope: 'value',
    applies: IDENTIFIERS_AND_TEXT,
    specs: partialSpecs,
    extra(params, target) {
      const max = IDENTIFIER_FORMATS[target]?.maxKept;
      const kf = (params.keepFirst as number | undefined) ?? IDENTIFIER_FORMATS[target]?.partialDefaults.keepFirst ?? 0;
      const kl = (params.keepLast as number | undefined) ?? IDENTIFIER_FORMATS[target]?.partialDefaults.keepLast ?? 0;
      if (max === undefined || kf + kl <= max) return [];
      const unit = IDENTIFIER_FORMATS[target]?.unit;
      return [{ param: 'keepFirst', en: `keepFirst + keepLast must be at most ${max} ${unit}`, zh: `keepFirst 与 keepLast 之和不得超过 ${max}` }];
    },
    compile: (p, ctx) => compilePartial(p as PartialParams, ctx),
  },
  pseudonym: {
    scope: 'value',
    applies: IDENTIFIERS_AND_TEXT,
    specs: () => ({
      prefix: { type: 'string', maxLength: 12, pattern: /^[A-Za-z0-9_:-]*$/ },
      length: { type: 'int', min: 8, max: 48 },
      context: { type: 'string', maxLength: 64 },
    }),
    compile: (p, ctx) => compilePseudonym(p as PseudonymParams, ctx),
  },
  token: {
    scope: 'value',
    applies: (t) => IDENTIFIER_FORMATS[t] !== undefined || TOKEN_DATE_TARGETS.has(t),
    specs: tokenSpecs,
    compile: (p, ctx) => compileToken(p as TokenParams, ctx),
  },
  generalise: {
    scope: 'value',
    applies: (t) => t === 'address' || isDate(t) || isNumber(t),
    specs: generaliseSpecs,
    extra(params) {
      const { min, max } = params as { min?: number; max?: number };
      return min !== undefined && max !== undefined && min >= max ? [{ param: 'min', en: 'min must be below max', zh: 'min 应小于 max' }] : [];
    },
    compile: (p, ctx) => compileGeneralise(p as GeneraliseParams, ctx),
  },
  suppress: {
    scope: 'value',
    applies: () => true,
    specs: () => ({ replacement: { type: 'string', maxLength: 32, nullable: true } }),
    compile: (p) => {
      const replacement = (p as SuppressParams).replacement ?? null;
      return () => replacement;
    },
  },
  shuffle: {
    scope: 'table',
    applies: () => true,
    specs: () => ({ group: { type: 'string', maxLength: 64 } }),
    compile: () => (v) => v,
  },
  round: {
    scope: 'value',
    applies: isNumber,
    specs: () => ({ step: { type: 'number', positive: true } }),
    compile: (p, ctx) => compileRound(p as RoundParams, ctx),
  },
  noise: {
    scope: 'value',
    applies: isNumber,
    specs: () => ({
      kind: { type: 'enum', values: ['relative', 'absolute'] },
      amount: { type: 'number', positive: true },
      distribution: { type: 'enum', values: ['uniform', 'laplace'] },
      decimals: { type: 'int', min: 0, max: 6 },
    }),
    extra(params) {
      const { kind: k, amount } = params as NoiseParams;
      return (k ?? 'relative') === 'relative' && amount !== undefined && amount > 1
        ? [{ param: 'amount', en: 'a relative amount must be at most 1', zh: '相对幅度不得超过 1' }]
        : [];
    },
    compile: (p, ctx) => compileNoise(p as NoiseParams, ctx),
  },
};

export function isMaskMethod(value: unknown): value is MaskMethod {
  return typeof value === 'string' && Object.hasOwn(METHODS, value);
}

/** The methods that apply to a target (for editors and validation messages). */
export function methodsFor(target: MaskTarget): MaskMethod[] {
  return MASK_METHODS.filter((m) => METHODS[m].applies(target));
}

/** Problems with a method's parameters for a target; empty when they are fine. */
export function checkMethodParams(method: MaskMethod, target: MaskTarget, params: unknown): ParamIssue[] {
  const def = METHODS[method];
  const issues = checkParams(params, def.specs(target));
  if (issues.length === 0 && def.extra && params && typeof params === 'object') issues.push(...def.extra(params as Record<string, unknown>, target));
  return issues;
}

/** Compiles a checked rule for one field into its value function (nulls are handled by the caller). */
export function compileRule(rule: MaskRule, ctx: CompileContext): ValueMasker {
  return METHODS[rule.method].compile((rule.params ?? {}) as Record<string, unknown>, ctx);
}
