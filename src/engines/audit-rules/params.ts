// Rule parameters as data (the web form is drawn from these specs) and their validation. A rule's stored
// parameters are merged over its defaults; unknown names, wrong types and out-of-range values are refused
// with the field and a message in both languages.
import { isLevel, LEVELS } from '../grading/levels.ts';
import type { Bilingual } from './types.ts';

interface Base {
  name: string;
  label: Bilingual;
  help?: Bilingual;
}
export type ParamSpec =
  | (Base & { type: 'integer'; min: number; max: number; default: number; unit?: Bilingual })
  | (Base & { type: 'number'; min: number; max: number; default: number; unit?: Bilingual })
  | (Base & { type: 'boolean'; default: boolean })
  /** 'HH:MM', 00:00–24:00. */
  | (Base & { type: 'time'; default: string })
  /** A data level code (engines/grading/levels.ts). */
  | (Base & { type: 'level'; default: string })
  /** Audit action codes; a trailing '*' matches a prefix ('org.role.*'). */
  | (Base & { type: 'actions'; default: readonly string[] })
  /** A subset of `options` (role codes). */
  | (Base & { type: 'choices'; options: readonly string[]; default: readonly string[] });

export type ParamValue = number | boolean | string | string[];
export type Params = Record<string, ParamValue>;

export interface ParamError {
  field: string;
  code: 'UNKNOWN_PARAM' | 'INVALID_TYPE' | 'OUT_OF_RANGE' | 'INVALID_VALUE' | 'EMPTY' | 'TOO_MANY';
  message: string;
  messageZh: string;
}

export type ParamCheck = { ok: true; params: Params } | { ok: false; errors: ParamError[] };

const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/;
const TIME = /^(\d{2}):(\d{2})$/;
export const MAX_LIST = 50;

/** Minutes after midnight of 'HH:MM' (24:00 allowed), or undefined when not a time. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIME.exec(value);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

/** Does `action` match one of the patterns (exact codes, or 'prefix.*')? */
export function matchesAction(patterns: readonly string[], action: string): boolean {
  for (const p of patterns) {
    if (p.endsWith('.*') ? action.startsWith(p.slice(0, -1)) : p === action) return true;
  }
  return false;
}

export function defaultParams(specs: readonly ParamSpec[]): Params {
  const out: Params = {};
  for (const s of specs) out[s.name] = Array.isArray(s.default) ? [...s.default] : (s.default as ParamValue);
  return out;
}

/**
 * Checks `raw` (stored or submitted parameters, possibly partial) against the specs and returns the full
 * set: defaults for what is missing. `prefix` names the fields in errors ('params').
 */
export function checkParams(specs: readonly ParamSpec[], raw: unknown, prefix = 'params'): ParamCheck {
  const errors: ParamError[] = [];
  const err = (name: string, code: ParamError['code'], en: string, zh: string) => errors.push({ field: `${prefix}.${name}`, code, message: en, messageZh: zh });
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    return { ok: false, errors: [{ field: prefix, code: 'INVALID_TYPE', message: 'must be an object', messageZh: '应为对象' }] };
  }
  const input = (raw ?? {}) as Record<string, unknown>;
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(input)) {
    if (!byName.has(name)) err(name, 'UNKNOWN_PARAM', `unknown parameter "${name}"`, `没有名为“${name}”的参数`);
  }
  const out = defaultParams(specs);
  for (const s of specs) {
    if (!(s.name in input) || input[s.name] === undefined) continue;
    const v = input[s.name];
    switch (s.type) {
      case 'integer':
      case 'number': {
        if (typeof v !== 'number' || !Number.isFinite(v) || (s.type === 'integer' && !Number.isInteger(v))) {
          err(s.name, 'INVALID_TYPE', s.type === 'integer' ? 'must be an integer' : 'must be a number', s.type === 'integer' ? '应为整数' : '应为数字');
        } else if (v < s.min || v > s.max) {
          err(s.name, 'OUT_OF_RANGE', `must be between ${s.min} and ${s.max}`, `应在 ${s.min} 到 ${s.max} 之间`);
        } else out[s.name] = v;
        break;
      }
      case 'boolean':
        if (typeof v !== 'boolean') err(s.name, 'INVALID_TYPE', 'must be true or false', '应为 true 或 false');
        else out[s.name] = v;
        break;
      case 'time':
        if (parseTime(v) === undefined) err(s.name, 'INVALID_VALUE', 'must be a time HH:MM (00:00–24:00)', '应为 HH:MM 格式的时间（00:00–24:00）');
        else out[s.name] = v as string;
        break;
      case 'level':
        if (!isLevel(v)) err(s.name, 'INVALID_VALUE', `must be one of ${LEVELS.join(', ')}`, `应为以下级别之一：${LEVELS.join('、')}`);
        else out[s.name] = v;
        break;
      case 'actions':
      case 'choices': {
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
          err(s.name, 'INVALID_TYPE', 'must be a list of strings', '应为字符串列表');
          break;
        }
        const list = [...new Set(v as string[])];
        if (list.length === 0) {
          err(s.name, 'EMPTY', 'must not be empty', '不能为空');
          break;
        }
        if (list.length > MAX_LIST) {
          err(s.name, 'TOO_MANY', `at most ${MAX_LIST} entries`, `最多 ${MAX_LIST} 项`);
          break;
        }
        const bad =
          s.type === 'actions' ? list.find((x) => x.length > 100 || !ACTION_PATTERN.test(x)) : list.find((x) => !(s.options as readonly string[]).includes(x));
        if (bad !== undefined) {
          if (s.type === 'actions')
            err(
              s.name,
              'INVALID_VALUE',
              `"${bad}" is not an action code (e.g. org.role.assign or org.role.*)`,
              `“${bad}”不是操作类型代码（如 org.role.assign 或 org.role.*）`,
            );
          else err(s.name, 'INVALID_VALUE', `"${bad}" is not one of ${s.options.join(', ')}`, `“${bad}”不在可选范围内（${s.options.join('、')}）`);
          break;
        }
        out[s.name] = list;
        break;
      }
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, params: out };
}
