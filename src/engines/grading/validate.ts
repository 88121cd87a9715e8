// Checks a scheme before it is saved or published (CLS-1). An authority edits the whole scheme at once, so
// every mistake is reported together, each naming its field in the API's dotted form ('matrix.3.level',
// 'categories.0.children.2.code', 'controls.important.masking.sharing'), in English and Chinese.
import {
  CATEGORY_SEGMENT,
  type Category,
  type CategoryInput,
  MAX_CATEGORY_CODE_LENGTH,
  MAX_CATEGORY_COUNT,
  MAX_CATEGORY_DEPTH,
  MAX_CATEGORY_NAME_LENGTH,
} from './categories.ts';
import {
  adjacentLevelPairs,
  CONTROL_LABELS,
  type Controls,
  isMaskingMode,
  MASKING_SCENARIO_LABELS,
  MASKING_SCENARIOS,
  MAX_LOG_RETENTION_MONTHS,
  MAX_SHARING_APPROVALS,
  MIN_LOG_RETENTION_MONTHS,
  weakerControls,
} from './controls.ts';
import { HARM_DEGREE_LABELS, HARM_DEGREES, HARM_OBJECT_LABELS, HARM_OBJECTS, isHarmDegree, isHarmObject } from './harms.ts';
import { compareLevels, isLevel, LEVEL_INFO, LEVELS, type Level } from './levels.ts';
import { type MatrixEntry, sortMatrix } from './matrix.ts';

export const MAX_SCHEME_NAME_LENGTH = 100;
export const MAX_SCHEME_NOTES_LENGTH = 2000;

/** The editable parts of a scheme as an editor (or a file) supplies them; values are checked, not trusted. */
export interface SchemeInput {
  name: string;
  notes?: string | null;
  categories: readonly CategoryInput[];
  matrix: readonly { object: string; degree: string; level: string }[];
  controls: Readonly<Record<string, Controls | undefined>>;
}

/** A valid scheme's content, normalised: names trimmed, every node with children, matrix in canonical order. */
export interface SchemeContent {
  name: string;
  notes: string | null;
  categories: Category[];
  matrix: MatrixEntry[];
  controls: Record<Level, Controls>;
}

export type SchemeErrorCode =
  | 'NAME_BLANK'
  | 'NAME_TOO_LONG'
  | 'NOTES_TOO_LONG'
  | 'CATEGORIES_EMPTY'
  | 'CATEGORIES_TOO_MANY'
  | 'CATEGORY_TOO_DEEP'
  | 'CATEGORY_CODE_INVALID'
  | 'CATEGORY_CODE_NOT_UNDER_PARENT'
  | 'CATEGORY_CODE_DUPLICATE'
  | 'CATEGORY_NAME_BLANK'
  | 'CATEGORY_NAME_TOO_LONG'
  | 'CATEGORY_NAME_DUPLICATE'
  | 'MATRIX_UNKNOWN_OBJECT'
  | 'MATRIX_UNKNOWN_DEGREE'
  | 'MATRIX_UNKNOWN_LEVEL'
  | 'MATRIX_DUPLICATE'
  | 'MATRIX_MISSING'
  | 'MATRIX_NOT_MONOTONIC'
  | 'CONTROLS_UNKNOWN_LEVEL'
  | 'CONTROLS_MISSING'
  | 'CONTROLS_INVALID'
  | 'CONTROLS_INCONSISTENT'
  | 'CONTROLS_WEAKER_THAN_LOWER';

export interface SchemeError {
  field: string;
  code: SchemeErrorCode;
  message: string;
  messageZh: string;
}

export type SchemeValidation = { ok: true; scheme: SchemeContent } | { ok: false; errors: SchemeError[] };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const lvl = (l: Level) => LEVEL_INFO[l];

export function validateScheme(input: SchemeInput): SchemeValidation {
  const errors: SchemeError[] = [];
  const err = (field: string, code: SchemeErrorCode, message: string, messageZh: string) => errors.push({ field, code, message, messageZh });

  // Name and notes
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) err('name', 'NAME_BLANK', 'name must not be blank', '规则名称不能为空');
  else if (name.length > MAX_SCHEME_NAME_LENGTH) {
    err('name', 'NAME_TOO_LONG', `name is longer than ${MAX_SCHEME_NAME_LENGTH} characters`, `规则名称不能超过 ${MAX_SCHEME_NAME_LENGTH} 个字符`);
  }
  const notes = typeof input.notes === 'string' && input.notes.trim() ? input.notes.trim() : null;
  if (notes && notes.length > MAX_SCHEME_NOTES_LENGTH) {
    err('notes', 'NOTES_TOO_LONG', `notes are longer than ${MAX_SCHEME_NOTES_LENGTH} characters`, `说明不能超过 ${MAX_SCHEME_NOTES_LENGTH} 个字符`);
  }

  const categories = checkCategories(input.categories, err);
  const matrix = checkMatrix(input.matrix, err);
  const controls = checkControls(input.controls, err);

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, scheme: { name, notes, categories, matrix: sortMatrix(matrix), controls: controls as Record<Level, Controls> } };
}

type Report = (field: string, code: SchemeErrorCode, message: string, messageZh: string) => void;

function checkCategories(input: readonly CategoryInput[], err: Report): Category[] {
  if (!Array.isArray(input) || input.length === 0) {
    err('categories', 'CATEGORIES_EMPTY', 'the category tree is empty', '分类目录不能为空');
    return [];
  }
  const seen = new Map<string, string>(); // code → field of its first use
  let count = 0;
  let tooMany = false;

  // parentCode: null at the top; undefined under a parent whose own code is malformed (its children cannot
  // be checked against it, and one bad code should be one error, not one per descendant).
  const walk = (nodes: readonly CategoryInput[], parentCode: string | null | undefined, depth: number, at: string): Category[] => {
    const out: Category[] = [];
    const siblingNames = new Set<string>();
    nodes.forEach((n, i) => {
      const f = `${at}.${i}`;
      count++;
      if (count > MAX_CATEGORY_COUNT && !tooMany) {
        tooMany = true;
        err('categories', 'CATEGORIES_TOO_MANY', `the tree has more than ${MAX_CATEGORY_COUNT} categories`, `分类目录不能超过 ${MAX_CATEGORY_COUNT} 个分类`);
      }
      if (!isPlainObject(n)) {
        err(f, 'CATEGORY_CODE_INVALID', 'a category must be an object with code and name', '分类应包含编码和名称');
        return;
      }
      if (depth > MAX_CATEGORY_DEPTH) {
        err(f, 'CATEGORY_TOO_DEEP', `categories nest at most ${MAX_CATEGORY_DEPTH} levels deep`, `分类最多 ${MAX_CATEGORY_DEPTH} 级`);
        return;
      }
      const nodeName = typeof n.name === 'string' ? n.name.trim() : '';
      if (!nodeName) err(`${f}.name`, 'CATEGORY_NAME_BLANK', 'category name must not be blank', '分类名称不能为空');
      else if (nodeName.length > MAX_CATEGORY_NAME_LENGTH) {
        err(
          `${f}.name`,
          'CATEGORY_NAME_TOO_LONG',
          `category name is longer than ${MAX_CATEGORY_NAME_LENGTH} characters`,
          `分类名称不能超过 ${MAX_CATEGORY_NAME_LENGTH} 个字符`,
        );
      } else if (siblingNames.has(nodeName)) {
        err(`${f}.name`, 'CATEGORY_NAME_DUPLICATE', `"${nodeName}" appears twice under the same parent`, `同一上级分类下已有名为“${nodeName}”的分类`);
      }
      siblingNames.add(nodeName);

      const code = typeof n.code === 'string' ? n.code : '';
      const segments = code.split('.');
      const wellFormed = code.length > 0 && code.length <= MAX_CATEGORY_CODE_LENGTH && segments.every((s) => CATEGORY_SEGMENT.test(s));
      if (!wellFormed) {
        err(
          `${f}.code`,
          'CATEGORY_CODE_INVALID',
          `${JSON.stringify(code)} is not a category code (dot-separated segments of lower-case letters, digits and '_', each starting with a letter, e.g. health.medical.emr)`,
          `分类编码“${code}”格式错误：应为以点分隔的小写字母、数字和下划线（每段以字母开头），如 health.medical.emr`,
        );
      } else if (parentCode !== undefined && (parentCode === null ? segments.length !== 1 : !code.startsWith(`${parentCode}.`) || segments.length !== depth)) {
        const example = parentCode === null ? 'health' : `${parentCode}.xxx`;
        err(
          `${f}.code`,
          'CATEGORY_CODE_NOT_UNDER_PARENT',
          `${code} must be ${parentCode === null ? 'a single segment at the top level' : `its parent's code ${parentCode} plus one segment`} (e.g. ${example})`,
          `分类编码“${code}”应为${parentCode === null ? '一级分类的单段编码' : `上级编码 ${parentCode} 加一段`}（如 ${example}）`,
        );
      } else if (seen.has(code)) {
        err(`${f}.code`, 'CATEGORY_CODE_DUPLICATE', `${code} is already used at ${seen.get(code)}`, `分类编码 ${code} 重复（已用于 ${seen.get(code)}）`);
      } else {
        seen.set(code, `${f}.code`);
      }

      const children = n.children === undefined ? [] : n.children;
      if (!Array.isArray(children)) {
        err(`${f}.children`, 'CATEGORY_CODE_INVALID', 'children must be a list of categories', '下级分类应为列表');
        return;
      }
      out.push({ code, name: nodeName, children: walk(children, wellFormed ? code : undefined, depth + 1, `${f}.children`) });
    });
    return out;
  };
  return walk(input, null, 1, 'categories');
}

function checkMatrix(input: SchemeInput['matrix'], err: Report): MatrixEntry[] {
  if (!Array.isArray(input)) {
    err('matrix', 'MATRIX_MISSING', 'the determination matrix must be a list', '定级矩阵应为列表');
    return [];
  }
  const entries = new Map<string, { entry: MatrixEntry; index: number }>();
  input.forEach((e, i) => {
    const f = `matrix.${i}`;
    const object = isPlainObject(e) ? e.object : undefined;
    const degree = isPlainObject(e) ? e.degree : undefined;
    const level = isPlainObject(e) ? e.level : undefined;
    let ok = true;
    if (!isHarmObject(object)) {
      err(`${f}.object`, 'MATRIX_UNKNOWN_OBJECT', `${JSON.stringify(object)} is not a harm object (${HARM_OBJECTS.join(', ')})`, '危害对象取值无效');
      ok = false;
    }
    if (!isHarmDegree(degree)) {
      err(`${f}.degree`, 'MATRIX_UNKNOWN_DEGREE', `${JSON.stringify(degree)} is not a degree of harm (${HARM_DEGREES.join(', ')})`, '危害程度取值无效');
      ok = false;
    }
    if (!isLevel(level)) {
      err(`${f}.level`, 'MATRIX_UNKNOWN_LEVEL', `${JSON.stringify(level)} is not a level (${LEVELS.join(', ')})`, '级别取值无效');
      ok = false;
    }
    if (!ok || !isHarmObject(object) || !isHarmDegree(degree) || !isLevel(level)) return;
    const key = `${object}|${degree}`;
    const first = entries.get(key);
    if (first) {
      err(
        f,
        'MATRIX_DUPLICATE',
        `${object} × ${degree} is already given at matrix.${first.index}`,
        `“${HARM_OBJECT_LABELS[object].zh} × ${HARM_DEGREE_LABELS[degree].zh}”重复（已见于第 ${first.index + 1} 项）`,
      );
      return;
    }
    entries.set(key, { entry: { object, degree, level }, index: i });
  });

  for (const object of HARM_OBJECTS) {
    for (const degree of HARM_DEGREES) {
      if (!entries.has(`${object}|${degree}`)) {
        err(
          'matrix',
          'MATRIX_MISSING',
          `the matrix has no level for ${object} × ${degree}`,
          `定级矩阵缺少“${HARM_OBJECT_LABELS[object].zh} × ${HARM_DEGREE_LABELS[degree].zh}”的级别`,
        );
      }
    }
    // A milder harm to the same object must not give a higher level than a more severe one.
    for (let d = 1; d < HARM_DEGREES.length; d++) {
      const severe = entries.get(`${object}|${HARM_DEGREES[d - 1]}`);
      const milder = entries.get(`${object}|${HARM_DEGREES[d]}`);
      if (severe && milder && compareLevels(milder.entry.level, severe.entry.level) > 0) {
        const m = milder.entry;
        const s = severe.entry;
        err(
          `matrix.${milder.index}.level`,
          'MATRIX_NOT_MONOTONIC',
          `${object} × ${m.degree} gives ${m.level}, higher than ${s.level} for the more severe ${s.degree}`,
          `“${HARM_OBJECT_LABELS[object].zh} × ${HARM_DEGREE_LABELS[m.degree].zh}”定为${lvl(m.level).zh}，高于更严重的“${HARM_DEGREE_LABELS[s.degree].zh}”（${lvl(s.level).zh}）`,
        );
      }
    }
  }
  return [...entries.values()].map((v) => v.entry);
}

function checkControls(input: SchemeInput['controls'], err: Report): Partial<Record<Level, Controls>> {
  const out: Partial<Record<Level, Controls>> = {};
  if (!isPlainObject(input)) {
    err('controls', 'CONTROLS_MISSING', 'controls must be an object keyed by level', '管控措施应按级别给出');
    return out;
  }
  for (const key of Object.keys(input)) {
    if (!isLevel(key)) err(`controls.${key}`, 'CONTROLS_UNKNOWN_LEVEL', `${key} is not a level (${LEVELS.join(', ')})`, `“${key}”不是有效的级别`);
  }
  for (const level of LEVELS) {
    const f = `controls.${level}`;
    const c = input[level];
    if (c === undefined || c === null) {
      err(f, 'CONTROLS_MISSING', `${level} has no controls; every level needs them`, `${lvl(level).zh}缺少管控措施；每个级别都须规定`);
      continue;
    }
    const checked = checkOneControls(c, f, err);
    if (!checked) continue;
    // openAllowed and the open-data masking say the same thing twice; they must agree.
    if (!checked.openAllowed && checked.masking.openData !== 'forbidden') {
      err(
        `${f}.masking.openData`,
        'CONTROLS_INCONSISTENT',
        `${level} is not openable (openAllowed false), so its open-data masking must be 'forbidden'`,
        `${lvl(level).zh}不允许开放，开放场景的脱敏方式应为“禁止使用”`,
      );
    }
    if (checked.openAllowed && checked.masking.openData === 'forbidden') {
      err(
        `${f}.masking.openData`,
        'CONTROLS_INCONSISTENT',
        `${level} is openable (openAllowed true), but its open-data masking is 'forbidden'`,
        `${lvl(level).zh}允许开放，但开放场景的脱敏方式为“禁止使用”`,
      );
    }
    // Aggregate-only data never leaves as rows, masked or not.
    if (checked.aggregateOnly && checked.masking.sharing !== 'forbidden') {
      err(
        `${f}.masking.sharing`,
        'CONTROLS_INCONSISTENT',
        `${level} is aggregate-only, so sharing rows must be 'forbidden'`,
        `${lvl(level).zh}仅限统计结果使用，共享场景的脱敏方式应为“禁止使用”`,
      );
    }
    out[level] = checked;
  }
  for (const [higher, lower] of adjacentLevelPairs()) {
    const h = out[higher];
    const l = out[lower];
    if (!h || !l) continue;
    for (const path of weakerControls(h, l)) {
      err(
        `controls.${higher}.${path}`,
        'CONTROLS_WEAKER_THAN_LOWER',
        `${higher} is protected less than the lower level ${lower} at ${path}; a higher level needs at least the same protection`,
        `${lvl(higher).zh}的“${controlLabelZh(path)}”弱于较低的${lvl(lower).zh}；级别越高，管控不得越弱`,
      );
    }
  }
  return out;
}

function controlLabelZh(path: string): string {
  if (path.startsWith('masking.')) {
    const scenario = path.slice('masking.'.length) as (typeof MASKING_SCENARIOS)[number];
    return `${MASKING_SCENARIO_LABELS[scenario]?.zh ?? scenario}脱敏`;
  }
  return CONTROL_LABELS[path as keyof typeof CONTROL_LABELS]?.zh ?? path;
}

const CONTROL_KEYS = ['encryptAtRest', 'masking', 'sharingApprovals', 'watermark', 'logRetentionMonths', 'openAllowed', 'aggregateOnly'] as const;

/** One level's controls, field by field; null when any field is wrong (the errors say which). */
function checkOneControls(c: unknown, f: string, err: Report): Controls | null {
  if (!isPlainObject(c)) {
    err(f, 'CONTROLS_INVALID', 'controls must be an object', '管控措施格式错误');
    return null;
  }
  const before = { n: 0 };
  const bad = (field: string, message: string, messageZh: string) => {
    before.n++;
    err(`${f}.${field}`, 'CONTROLS_INVALID', message, messageZh);
  };
  for (const key of Object.keys(c)) {
    if (!(CONTROL_KEYS as readonly string[]).includes(key)) bad(key, `unknown control ${key}`, `未知的管控项 ${key}`);
  }
  for (const key of ['encryptAtRest', 'watermark', 'openAllowed', 'aggregateOnly'] as const) {
    if (typeof c[key] !== 'boolean') bad(key, `${key} must be true or false`, `${CONTROL_LABELS[key].zh}应为是或否`);
  }
  const approvals = c.sharingApprovals;
  if (!Number.isInteger(approvals) || (approvals as number) < 0 || (approvals as number) > MAX_SHARING_APPROVALS) {
    bad('sharingApprovals', `sharingApprovals must be an integer from 0 to ${MAX_SHARING_APPROVALS}`, `共享审批层级应为 0–${MAX_SHARING_APPROVALS} 的整数`);
  }
  const months = c.logRetentionMonths;
  if (!Number.isInteger(months) || (months as number) < MIN_LOG_RETENTION_MONTHS || (months as number) > MAX_LOG_RETENTION_MONTHS) {
    bad(
      'logRetentionMonths',
      `logRetentionMonths must be an integer from ${MIN_LOG_RETENTION_MONTHS} to ${MAX_LOG_RETENTION_MONTHS}`,
      `日志留存月数应为 ${MIN_LOG_RETENTION_MONTHS}–${MAX_LOG_RETENTION_MONTHS} 的整数（网络安全法要求不少于六个月）`,
    );
  }
  const masking = c.masking;
  if (!isPlainObject(masking)) {
    bad('masking', 'masking must give a mode for display, devTest, sharing and openData', '脱敏方式应分别规定页面展示、开发测试、共享和开放场景');
  } else {
    for (const key of Object.keys(masking)) {
      if (!(MASKING_SCENARIOS as readonly string[]).includes(key)) bad(`masking.${key}`, `unknown masking scenario ${key}`, `未知的脱敏场景 ${key}`);
    }
    for (const s of MASKING_SCENARIOS) {
      if (!isMaskingMode(masking[s])) {
        bad(
          `masking.${s}`,
          `masking.${s} must be one of none, partial, pseudonymize, suppress, forbidden`,
          `${MASKING_SCENARIO_LABELS[s].zh}场景的脱敏方式无效`,
        );
      }
    }
  }
  if (before.n > 0) return null;
  const m = masking as Record<string, string>;
  return {
    encryptAtRest: c.encryptAtRest as boolean,
    masking: { display: m.display, devTest: m.devTest, sharing: m.sharing, openData: m.openData } as Controls['masking'],
    sharingApprovals: approvals as number,
    watermark: c.watermark as boolean,
    logRetentionMonths: months as number,
    openAllowed: c.openAllowed as boolean,
    aggregateOnly: c.aggregateOnly as boolean,
  };
}
