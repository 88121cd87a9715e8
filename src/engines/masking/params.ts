// A small checker for method parameters: policies are data (stored, edited, sent over the API), so every
// parameter is checked against its specification and every problem is reported in English and Chinese.

export type ParamSpec =
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min?: number; max?: number; positive?: boolean }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'maskChar' }
  | { type: 'string'; maxLength: number; pattern?: RegExp; nullable?: boolean }
  | { type: 'bool' };

export interface ParamIssue {
  param: string;
  en: string;
  zh: string;
}

const MASK_CHAR = /^[^\p{L}\p{N}\s]$/u;

function checkOne(name: string, v: unknown, spec: ParamSpec): ParamIssue | null {
  const issue = (en: string, zh: string): ParamIssue => ({ param: name, en: `${name} ${en}`, zh: `${name} ${zh}` });
  switch (spec.type) {
    case 'int':
      return Number.isInteger(v) && (v as number) >= spec.min && (v as number) <= spec.max
        ? null
        : issue(`must be an integer from ${spec.min} to ${spec.max}`, `应为 ${spec.min} 到 ${spec.max} 之间的整数`);
    case 'number': {
      const ok =
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (spec.min === undefined || v >= spec.min) &&
        (spec.max === undefined || v <= spec.max) &&
        (!spec.positive || v > 0);
      if (ok) return null;
      const range = [spec.positive ? '> 0' : null, spec.min !== undefined ? `≥ ${spec.min}` : null, spec.max !== undefined ? `≤ ${spec.max}` : null]
        .filter(Boolean)
        .join(', ');
      return issue(`must be a number${range ? ` (${range})` : ''}`, `应为数值${range ? `（${range}）` : ''}`);
    }
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v) ? null : issue(`must be one of ${spec.values.join(', ')}`, `应为 ${spec.values.join('、')} 之一`);
    case 'maskChar':
      return typeof v === 'string' && MASK_CHAR.test(v)
        ? null
        : issue('must be one character that is not a letter, digit or space', '应为一个字符，且不能是字母、数字或空白');
    case 'string':
      if (v === null && spec.nullable) return null;
      return typeof v === 'string' && v.length <= spec.maxLength && (spec.pattern === undefined || spec.pattern.test(v))
        ? null
        : issue(
            `must be text of at most ${spec.maxLength} characters${spec.pattern ? ` matching ${spec.pattern.source}` : ''}`,
            `应为不超过 ${spec.maxLength} 个字符的文本${spec.pattern ? `（格式 ${spec.pattern.source}）` : ''}`,
          );
    case 'bool':
      return typeof v === 'boolean' ? null : issue('must be true or false', '应为 true 或 false');
  }
}

/** Problems with `params` against `specs`: unknown parameters, wrong types, values out of range. */
export function checkParams(params: unknown, specs: Readonly<Record<string, ParamSpec>>): ParamIssue[] {
  if (params === undefined || params === null) return [];
  if (typeof params !== 'object' || Array.isArray(params)) return [{ param: '', en: 'params must be an object', zh: '参数应为对象' }];
  const out: ParamIssue[] = [];
  for (const [k, v] of Object.entries(params)) {
    const spec = specs[k];
    if (spec === undefined) {
      const known = Object.keys(specs);
      out.push({
        param: k,
        en: `unknown parameter ${k}${known.length ? ` (known: ${known.join(', ')})` : ' (this method takes none here)'}`,
        zh: `未知参数 ${k}${known.length ? `（可用：${known.join('、')}）` : '（此处该方法不接受参数）'}`,
      });
      continue;
    }
    if (v === undefined) continue;
    const issue = checkOne(k, v, spec);
    if (issue) out.push(issue);
  }
  return out;
}
