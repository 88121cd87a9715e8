// An authority's own recognizers (CLS-1: the authority defines what its data holds), given as JSON through
// the API without a release: a regular expression, an optional checksum from a fixed menu, column-name
// hints, and the PI type it labels. Everything is checked here before use, each problem reported with its
// field in English and Chinese.
//
// Safe regular expressions. JavaScript's engine backtracks, so a pattern is accepted only if it cannot
// backtrack catastrophically, by these rules (checked on a parse of the pattern, not by running it):
//   1. Bounded: no '*', '+' or '{n,}'. Every quantifier is '?', '{n}' or '{n,m}' with m ≤ 64.
//   2. No nested ambiguity: a group repeated more than once ('{n}' with n > 1, '{n,m}' with m > 1) may not
//      contain a variable quantifier ('?', '{n,m}' with n < m) or an alternation '|'. Fixed counts inside
//      are fine: (\d{4}[- ]){3} is rejected, (\d{4}-){3} is accepted.
//   3. Small choice budget: the product of (m − n + 1) over every variable quantifier and of the branch
//      count of every alternation is at most 4096.
//   4. A small syntax: literals, escapes (\d \D \w \W \s \S, escaped punctuation, \xHH, \uHHHH), classes
//      [...], '.', groups (...) and (?:...), '|'. No anchors (the scanner anchors the pattern to the whole
//      token or value itself), no backreferences, lookarounds, named groups or \p{…}.
//   5. The pattern cannot match the empty string and matches at most 64 characters (token scope) or 256
//      (cell scope).
// The pattern is then run anchored on one token (≤ 64 characters) or one value (≤ 256), so each attempt
// explores at most 4096 paths of bounded length: the work per input is linear with a small constant.
import { CHECKSUMS, type ChecksumName } from './checks.ts';
import type { TokenRecognizer } from './core.ts';
import { PI_TYPE_IDS, type PiTypeId } from './pi.ts';
import { BUILTIN_TYPES, CUSTOM_BASE, MAX_CUSTOM, STRENGTH_CHECKSUM, STRENGTH_FORMAT } from './types.ts';

export const MAX_PATTERN_LENGTH = 200;
export const MAX_QUANTIFIER = 64;
export const MAX_CHOICES = 4096;
export const MAX_TOKEN_MATCH = 64;
export const MAX_CELL_MATCH = 256;
export const CUSTOM_ID = /^X_[A-Z0-9_]{2,40}$/;

/** The JSON an authority supplies. */
export interface CustomRecognizerInput {
  /** Stable type ID: 'X_' then upper-case letters, digits, '_' (X_ keeps it apart from built-in IDs). */
  id: string;
  /** Label shown to people (Chinese first). */
  name: string;
  /** Matched against a whole token (ASCII letters and digits, with the separators of a chain) or a whole cell value. */
  pattern: string;
  scope?: 'token' | 'cell';
  caseInsensitive?: boolean;
  /** One of the fixed menu, applied to the match with separators removed. */
  checksum?: ChecksumName | null;
  /** Column-name hints: Chinese phrases (contained) or ASCII words / pinyin abbreviations (whole token). */
  columnHints?: string[];
  /** Match only in columns whose name matches a hint. */
  hintOnly?: boolean;
  /** 0.1–0.99; default 0.8, or 0.9 with a checksum. */
  confidence?: number;
  /** The PI type the findings count as (null: not personal information). */
  piType?: PiTypeId | null;
  /** Whether it is sensitive PI; default: the PI type's default. */
  sensitive?: boolean;
}

/** A checked recognizer, ready for the scanner. */
export interface CustomRecognizer {
  id: string;
  name: string;
  scope: 'token' | 'cell';
  /** Internal type number (CUSTOM_BASE + position). */
  type: number;
  re: RegExp;
  minLen: number;
  maxLen: number;
  check: ((value: string) => boolean) | null;
  columnHints: string[];
  hintOnly: boolean;
  /** 0–100. */
  confidence: number;
  strength: number;
  piType: PiTypeId | null;
  sensitive: boolean | null;
}

export type CustomErrorCode =
  | 'NOT_AN_OBJECT'
  | 'TOO_MANY'
  | 'ID_INVALID'
  | 'ID_DUPLICATE'
  | 'NAME_BLANK'
  | 'PATTERN_MISSING'
  | 'PATTERN_TOO_LONG'
  | 'PATTERN_SYNTAX'
  | 'PATTERN_UNSUPPORTED'
  | 'PATTERN_UNBOUNDED'
  | 'PATTERN_NESTED_QUANTIFIER'
  | 'PATTERN_TOO_AMBIGUOUS'
  | 'PATTERN_MATCHES_EMPTY'
  | 'PATTERN_TOO_WIDE'
  | 'SCOPE_INVALID'
  | 'CHECKSUM_UNKNOWN'
  | 'HINTS_INVALID'
  | 'CONFIDENCE_INVALID'
  | 'PI_TYPE_UNKNOWN'
  | 'FIELD_INVALID';

export interface CustomError {
  field: string;
  code: CustomErrorCode;
  message: string;
  messageZh: string;
}

// ---- the pattern analyser ----

interface Info {
  /** Shortest and longest match length. */
  min: number;
  max: number;
  /** Contains a variable quantifier or an alternation (rule 2). */
  ambiguous: boolean;
  /** Product of choices (rule 3). */
  choices: number;
}

export class PatternError extends Error {
  constructor(
    readonly code: CustomErrorCode,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S']);

/** Checks a pattern against the rules above; returns its match-length range. Throws PatternError. */
export function analysePattern(pattern: string): { min: number; max: number; choices: number } {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new PatternError('PATTERN_TOO_LONG', `pattern longer than ${MAX_PATTERN_LENGTH} characters`, `正则表达式超过 ${MAX_PATTERN_LENGTH} 个字符`);
  let pos = 0;
  const unsupported = (what: string): never => {
    throw new PatternError('PATTERN_UNSUPPORTED', `${what} is not allowed (at ${pos})`, `不允许使用${what}（位置 ${pos}）`);
  };
  const syntax = (what: string): never => {
    throw new PatternError('PATTERN_SYNTAX', `${what} (at ${pos})`, `正则表达式语法错误：${what}（位置 ${pos}）`);
  };

  const parseAlt = (): Info => {
    const branches: Info[] = [parseSeq()];
    while (pattern[pos] === '|') {
      pos++;
      branches.push(parseSeq());
    }
    if (branches.length === 1) return branches[0];
    let choices = 0;
    for (const b of branches) choices += b.choices;
    if (choices > MAX_CHOICES) {
      throw new PatternError('PATTERN_TOO_AMBIGUOUS', `more than ${MAX_CHOICES} ways to match`, `匹配方式超过 ${MAX_CHOICES} 种，可能导致回溯过多`);
    }
    return {
      min: Math.min(...branches.map((b) => b.min)),
      max: Math.max(...branches.map((b) => b.max)),
      ambiguous: true,
      choices,
    };
  };

  const parseSeq = (): Info => {
    const acc: Info = { min: 0, max: 0, ambiguous: false, choices: 1 };
    while (pos < pattern.length && pattern[pos] !== '|' && pattern[pos] !== ')') {
      const atomStart = pos;
      const atom = parseAtom();
      const q = parseQuantifier();
      let info = atom;
      if (q) {
        const [lo, hi] = q;
        if (hi > 1 && atom.ambiguous) {
          throw new PatternError(
            'PATTERN_NESTED_QUANTIFIER',
            `a repeated part contains a variable quantifier or an alternation: ${pattern.slice(atomStart, pos)}`,
            `重复的部分内含可变量词或分支：${pattern.slice(atomStart, pos)}`,
          );
        }
        info = {
          min: atom.min * lo,
          max: atom.max * hi,
          ambiguous: atom.ambiguous || lo !== hi,
          choices: atom.choices * (hi - lo + 1),
        };
      }
      acc.min += info.min;
      acc.max += info.max;
      acc.ambiguous ||= info.ambiguous;
      acc.choices *= info.choices;
      if (acc.choices > MAX_CHOICES) {
        throw new PatternError('PATTERN_TOO_AMBIGUOUS', `more than ${MAX_CHOICES} ways to match`, `匹配方式超过 ${MAX_CHOICES} 种，可能导致回溯过多`);
      }
    }
    return acc;
  };

  const single: Info = { min: 1, max: 1, ambiguous: false, choices: 1 };

  const parseEscape = (inClass: boolean): void => {
    pos++; // backslash
    const c = pattern[pos];
    if (c === undefined) syntax('dangling backslash');
    if (CLASS_ESCAPES.has(c)) {
      pos++;
      return;
    }
    if (c === 'x') {
      if (!/^[0-9a-fA-F]{2}$/.test(pattern.slice(pos + 1, pos + 3))) syntax('bad \\x escape');
      pos += 3;
      return;
    }
    if (c === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(pattern.slice(pos + 1, pos + 5))) syntax('bad \\u escape');
      pos += 5;
      return;
    }
    if (/[0-9]/.test(c)) unsupported(c === '0' ? 'the \\0 escape' : 'a backreference');
    if (c === 'k') unsupported('a named backreference');
    if (c === 'b' || c === 'B') unsupported(inClass ? 'the \\b escape' : 'a word-boundary assertion');
    if (c === 'p' || c === 'P') unsupported('a Unicode property escape');
    if (/[A-Za-z]/.test(c) && !'tnrfv'.includes(c)) unsupported(`the escape \\${c}`);
    pos++;
  };

  const parseClass = (): void => {
    pos++; // [
    if (pattern[pos] === '^') pos++;
    let first = true;
    while (pos < pattern.length && (pattern[pos] !== ']' || first)) {
      first = false;
      if (pattern[pos] === '\\') parseEscape(true);
      else if (pattern[pos] === '[') unsupported('a nested class');
      else pos++;
    }
    if (pattern[pos] !== ']') syntax('unterminated character class');
    pos++;
  };

  const parseAtom = (): Info => {
    const c = pattern[pos];
    if (c === '(') {
      pos++;
      if (pattern[pos] === '?') {
        if (pattern[pos + 1] === ':') pos += 2;
        else unsupported(pattern[pos + 1] === '<' && pattern[pos + 2] !== '=' && pattern[pos + 2] !== '!' ? 'a named group' : 'a lookaround or inline flag');
      }
      const inner = parseAlt();
      if (pattern[pos] !== ')') syntax('unbalanced parenthesis');
      pos++;
      return inner;
    }
    if (c === '[') {
      parseClass();
      return single;
    }
    if (c === '\\') {
      parseEscape(false);
      return single;
    }
    if (c === '^' || c === '$') unsupported('an anchor (patterns are matched against the whole token or value)');
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (c === '{' && !/^\{\d/.test(pattern.slice(pos))) {
        pos++;
        return single;
      }
      syntax('quantifier without a target');
    }
    if (c === ']' || c === '}') {
      pos++;
      return single;
    }
    pos++;
    return single;
  };

  const parseQuantifier = (): [number, number] | null => {
    const c = pattern[pos];
    let q: [number, number] | null = null;
    if (c === '*' || c === '+') {
      throw new PatternError(
        'PATTERN_UNBOUNDED',
        `unbounded quantifier '${c}': use {n,m} with m ≤ ${MAX_QUANTIFIER}`,
        `不允许无上限的量词“${c}”：请使用 {n,m}（m ≤ ${MAX_QUANTIFIER}）`,
      );
    }
    if (c === '?') {
      pos++;
      q = [0, 1];
    } else if (c === '{') {
      const m = /^\{(\d{1,3})(?:(,)(\d{0,3}))?\}/.exec(pattern.slice(pos));
      if (!m) return null;
      const lo = Number(m[1]);
      if (m[2] !== undefined && m[3] === '') {
        throw new PatternError(
          'PATTERN_UNBOUNDED',
          `unbounded quantifier '{${lo},}': give an upper bound ≤ ${MAX_QUANTIFIER}`,
          `不允许无上限的量词“{${lo},}”：请给出不超过 ${MAX_QUANTIFIER} 的上限`,
        );
      }
      const hi = m[3] !== undefined ? Number(m[3]) : lo;
      if (hi < lo) syntax('quantifier range out of order');
      if (hi > MAX_QUANTIFIER) {
        throw new PatternError('PATTERN_UNBOUNDED', `quantifier bound ${hi} above ${MAX_QUANTIFIER}`, `量词上限 ${hi} 超过 ${MAX_QUANTIFIER}`);
      }
      pos += m[0].length;
      q = [lo, hi];
    }
    if (q && pattern[pos] === '?') pos++; // lazy: same paths, other order
    if (q && (pattern[pos] === '*' || pattern[pos] === '+' || pattern[pos] === '?' || pattern[pos] === '{')) syntax('a quantifier after a quantifier');
    return q;
  };

  const info = parseAlt();
  if (pos !== pattern.length) syntax('unbalanced parenthesis');
  return { min: info.min, max: info.max, choices: info.choices };
}

// ---- the recognizer JSON ----

function err(field: string, code: CustomErrorCode, message: string, messageZh: string): CustomError {
  return { field, code, message, messageZh };
}

const BUILTIN_SET = new Set<string>(BUILTIN_TYPES);

/**
 * Checks a list of custom recognizers (at most 32). Returns the compiled recognizers, or every problem
 * found, each naming its field ('2.pattern').
 */
export function validateCustomRecognizers(input: unknown): { ok: true; recognizers: CustomRecognizer[] } | { ok: false; errors: CustomError[] } {
  const errors: CustomError[] = [];
  if (!Array.isArray(input)) return { ok: false, errors: [err('', 'NOT_AN_OBJECT', 'a list of recognizers is expected', '应为识别规则列表')] };
  if (input.length > MAX_CUSTOM) errors.push(err('', 'TOO_MANY', `at most ${MAX_CUSTOM} custom recognizers`, `自定义识别规则最多 ${MAX_CUSTOM} 条`));
  const out: CustomRecognizer[] = [];
  const seen = new Set<string>();
  input.slice(0, MAX_CUSTOM).forEach((raw, i) => {
    const f = (name: string) => `${i}.${name}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push(err(String(i), 'NOT_AN_OBJECT', 'a recognizer must be an object', '识别规则应为对象'));
      return;
    }
    const r = raw as Record<string, unknown>;
    const known = new Set(['id', 'name', 'pattern', 'scope', 'caseInsensitive', 'checksum', 'columnHints', 'hintOnly', 'confidence', 'piType', 'sensitive']);
    for (const k of Object.keys(r)) if (!known.has(k)) errors.push(err(f(k), 'FIELD_INVALID', `unknown field '${k}'`, `未知字段“${k}”`));
    const before = errors.length;
    const id = r.id;
    if (typeof id !== 'string' || !CUSTOM_ID.test(id) || BUILTIN_SET.has(id)) {
      errors.push(err(f('id'), 'ID_INVALID', "id must be 'X_' followed by 2–40 of A–Z, 0–9, _", '类型标识应为“X_”加 2–40 个大写字母、数字或下划线'));
    } else if (seen.has(id)) errors.push(err(f('id'), 'ID_DUPLICATE', `id ${id} is used twice`, `类型标识 ${id} 重复`));
    else seen.add(id);
    if (typeof r.name !== 'string' || r.name.trim() === '' || r.name.length > 50)
      errors.push(err(f('name'), 'NAME_BLANK', 'name must be 1–50 characters', '名称应为 1–50 个字符'));
    const scope = r.scope ?? 'token';
    if (scope !== 'token' && scope !== 'cell') errors.push(err(f('scope'), 'SCOPE_INVALID', "scope must be 'token' or 'cell'", '范围应为“token”或“cell”'));
    let range: { min: number; max: number } | null = null;
    if (typeof r.pattern !== 'string' || r.pattern === '') errors.push(err(f('pattern'), 'PATTERN_MISSING', 'pattern is required', '缺少正则表达式'));
    else {
      try {
        range = analysePattern(r.pattern);
        new RegExp(r.pattern); // JavaScript's own syntax check
        const limit = scope === 'cell' ? MAX_CELL_MATCH : MAX_TOKEN_MATCH;
        if (range.min === 0) errors.push(err(f('pattern'), 'PATTERN_MATCHES_EMPTY', 'pattern matches the empty string', '正则表达式可匹配空串'));
        else if (range.max > limit)
          errors.push(
            err(
              f('pattern'),
              'PATTERN_TOO_WIDE',
              `pattern matches up to ${range.max} characters; at most ${limit}`,
              `正则表达式最多可匹配 ${range.max} 个字符，上限为 ${limit}`,
            ),
          );
      } catch (e) {
        if (e instanceof PatternError) errors.push(err(f('pattern'), e.code, e.message, e.messageZh));
        else errors.push(err(f('pattern'), 'PATTERN_SYNTAX', (e as Error).message, `正则表达式语法错误：${(e as Error).message}`));
      }
    }
    if (r.caseInsensitive !== undefined && typeof r.caseInsensitive !== 'boolean')
      errors.push(err(f('caseInsensitive'), 'FIELD_INVALID', 'must be true or false', '应为 true 或 false'));
    if (r.hintOnly !== undefined && typeof r.hintOnly !== 'boolean')
      errors.push(err(f('hintOnly'), 'FIELD_INVALID', 'must be true or false', '应为 true 或 false'));
    if (r.sensitive !== undefined && typeof r.sensitive !== 'boolean')
      errors.push(err(f('sensitive'), 'FIELD_INVALID', 'must be true or false', '应为 true 或 false'));
    const checksum = r.checksum ?? null;
    if (checksum !== null && (typeof checksum !== 'string' || !(checksum in CHECKSUMS))) {
      errors.push(
        err(
          f('checksum'),
          'CHECKSUM_UNKNOWN',
          `checksum must be one of ${Object.keys(CHECKSUMS).join(', ')}`,
          `校验算法应为 ${Object.keys(CHECKSUMS).join('、')} 之一`,
        ),
      );
    }
    const hints = r.columnHints ?? [];
    if (!Array.isArray(hints) || hints.length > 20 || hints.some((h) => typeof h !== 'string' || h.trim() === '' || h.length > 40)) {
      errors.push(
        err(
          f('columnHints'),
          'HINTS_INVALID',
          'columnHints: up to 20 non-empty strings of ≤ 40 characters',
          '列名提示最多 20 个、每个不超过 40 个字符的非空字符串',
        ),
      );
    }
    if (r.hintOnly === true && Array.isArray(hints) && hints.length === 0) {
      errors.push(err(f('columnHints'), 'HINTS_INVALID', 'hintOnly needs at least one column hint', '仅按列名匹配时至少需要一个列名提示'));
    }
    const conf = r.confidence ?? (checksum ? 0.9 : 0.8);
    if (typeof conf !== 'number' || !(conf >= 0.1 && conf <= 0.99))
      errors.push(err(f('confidence'), 'CONFIDENCE_INVALID', 'confidence must be between 0.1 and 0.99', '置信度应在 0.1 与 0.99 之间'));
    const piType = r.piType ?? null;
    if (piType !== null && !(PI_TYPE_IDS as readonly unknown[]).includes(piType))
      errors.push(err(f('piType'), 'PI_TYPE_UNKNOWN', `unknown PI type ${String(piType)}`, `未知的个人信息类型 ${String(piType)}`));
    if (errors.length > before || range === null) return;
    const flags = r.caseInsensitive === true ? 'i' : '';
    out.push({
      id: id as string,
      name: (r.name as string).trim(),
      scope: scope as 'token' | 'cell',
      type: CUSTOM_BASE + i,
      re: new RegExp(`^(?:${r.pattern as string})$`, flags),
      minLen: range.min,
      maxLen: range.max,
      check: checksum ? CHECKSUMS[checksum as ChecksumName] : null,
      columnHints: (hints as string[]).map((h) => h.trim()),
      hintOnly: r.hintOnly === true,
      confidence: Math.round((conf as number) * 100),
      strength: checksum ? STRENGTH_CHECKSUM : STRENGTH_FORMAT,
      piType: piType as PiTypeId | null,
      sensitive: typeof r.sensitive === 'boolean' ? r.sensitive : null,
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, recognizers: out };
}

/** The token-scope recognizers in the core's form. */
export function tokenRecognizers(list: readonly CustomRecognizer[]): TokenRecognizer[] {
  return list
    .filter((r) => r.scope === 'token')
    .map((r) => ({
      type: r.type,
      re: r.re,
      minLen: r.minLen,
      maxLen: r.maxLen,
      check: r.check,
      strength: r.strength,
      confidence: r.confidence,
      hintOnly: r.hintOnly,
    }));
}
