// How people write the catalog's coded values in spreadsheets. Government catalogs come from many
// templates: the same value appears as a code, as the UI term, as an older synonym, in full-width or
// half-width punctuation, or (data types) as a database type. The codes and their UI terms are the
// catalog's own (catalog.constants.ts, the grading engine's levels): this file only adds the readings.
import {
  FIELD_DATA_TYPE_LABELS,
  FIELD_DATA_TYPES,
  type FieldDataType,
  OPEN_ATTRIBUTE_LABELS,
  OPEN_ATTRIBUTES,
  type OpenAttribute,
  SHARE_ATTRIBUTE_LABELS,
  SHARE_ATTRIBUTES,
  SHARE_ATTRIBUTES_NEEDING_BASIS,
  type ShareAttribute,
  UPDATE_FREQUENCIES,
  UPDATE_FREQUENCY_LABELS,
  type UpdateFrequency,
} from '../../modules/catalog/catalog.constants.ts';
import { compareLevels, LEVEL_INFO, LEVELS, type Level } from '../grading/levels.ts';

export type { FieldDataType, Level, OpenAttribute, ShareAttribute, UpdateFrequency };
export {
  FIELD_DATA_TYPE_LABELS,
  FIELD_DATA_TYPES,
  LEVEL_INFO,
  LEVELS,
  OPEN_ATTRIBUTE_LABELS,
  OPEN_ATTRIBUTES,
  SHARE_ATTRIBUTE_LABELS,
  SHARE_ATTRIBUTES,
  UPDATE_FREQUENCIES,
  UPDATE_FREQUENCY_LABELS,
};

/**
 * One spelling for comparison: NFKC folds full-width letters, digits and brackets to their ASCII forms
 * (（４级） → (4级)), then case and every kind of space are dropped.
 */
export function normalizeToken(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u00a0\u3000]+/g, '');
}

function lookup<T extends string>(
  codes: readonly T[],
  labels: Record<T, { zh: string; en: string }>,
  synonyms: Record<string, T>,
): (value: string) => T | null {
  const table = new Map<string, T>();
  for (const c of codes) {
    table.set(normalizeToken(c), c);
    table.set(normalizeToken(labels[c].zh), c);
    table.set(normalizeToken(labels[c].en), c);
  }
  for (const [k, v] of Object.entries(synonyms)) table.set(normalizeToken(k), v);
  return (value) => table.get(normalizeToken(value)) ?? null;
}

/** 有条件共享 is the older name of 受限共享 in several city rules; both mean `conditional`. */
export const parseShareAttribute = lookup(SHARE_ATTRIBUTES, SHARE_ATTRIBUTE_LABELS, {
  有条件共享: 'conditional',
  不共享: 'not_shared',
  'not shared': 'not_shared',
});

export const parseOpenAttribute = lookup(OPEN_ATTRIBUTES, OPEN_ATTRIBUTE_LABELS, {
  受限开放: 'conditional',
  不开放: 'not_open',
  'not open': 'not_open',
});

const CN_NUMBERS = ['', '一', '二', '三', '四'];

export const parseLevel = lookup(LEVELS, LEVEL_INFO, {
  核心: 'core',
  重要: 'important',
  ...Object.fromEntries(
    [1, 2, 3, 4].flatMap((n) =>
      [`一般数据${n}级`, `一般${n}级`, `一般数据(${CN_NUMBERS[n]}级)`, `一般数据${CN_NUMBERS[n]}级`].map((k) => [k, `general-${n}` as Level]),
    ),
  ),
});

export const parseUpdateFrequency = lookup(UPDATE_FREQUENCIES, UPDATE_FREQUENCY_LABELS, {
  实时更新: 'realtime',
  小时: 'hourly',
  每天: 'daily',
  日: 'daily',
  天: 'daily',
  每日更新: 'daily',
  周: 'weekly',
  每星期: 'weekly',
  月: 'monthly',
  每月更新: 'monthly',
  季度: 'quarterly',
  每季: 'quarterly',
  半年: 'semiannual',
  年: 'annual',
  每年度: 'annual',
  年度: 'annual',
  按需: 'irregular',
  不定时: 'irregular',
  静态: 'static',
  一次性: 'static',
});

const DATA_TYPE_SYNONYMS: Record<string, FieldDataType> = {
  字符: 'string',
  字符串: 'string',
  字符串型: 'string',
  c: 'string',
  文本: 'text',
  文本型: 'text',
  大文本: 'text',
  t: 'text',
  整数: 'integer',
  整型: 'integer',
  i: 'integer',
  数值: 'decimal',
  数字: 'decimal',
  数字型: 'decimal',
  小数: 'decimal',
  n: 'decimal',
  布尔: 'boolean',
  逻辑型: 'boolean',
  是否: 'boolean',
  l: 'boolean',
  日期: 'date',
  d: 'date',
  日期时间: 'datetime',
  时间戳: 'datetime',
  dt: 'datetime',
  时间: 'time',
  二进制: 'binary',
  二进制型: 'binary',
  文件: 'binary',
  图像: 'binary',
  图片: 'binary',
  b: 'binary',
  结构化: 'json',
  空间: 'geometry',
  空间型: 'geometry',
  坐标: 'geometry',
};

/** Database column types as DBAs paste them: varchar(50), NUMBER(10,2), timestamp, … */
const SQL_TYPES: [RegExp, FieldDataType][] = [
  [/^(n?var)?char2?|^nchar|^string$|^uuid$/, 'string'],
  [/^(long|medium|tiny)?text$|^n?clob$|^longvarchar/, 'text'],
  [/^(tiny|small|medium|big)?int(eger)?\d*$|^long$|^serial|^number\(\d+\)$|^number\(\d+,0\)$/, 'integer'],
  [/^(decimal|numeric|number|float|double|real|money)/, 'decimal'],
  [/^bool(ean)?$|^bit$/, 'boolean'],
  [/^date$/, 'date'],
  [/^(datetime|timestamp)/, 'datetime'],
  [/^time$/, 'time'],
  [/^(blob|binary|varbinary|bytea|image|raw|longblob)/, 'binary'],
  [/^jsonb?$/, 'json'],
  [/^(geometry|geography|point|polygon)/, 'geometry'],
];

const parseDataTypeWord = lookup(FIELD_DATA_TYPES, FIELD_DATA_TYPE_LABELS, DATA_TYPE_SYNONYMS);

export function parseDataType(value: string): FieldDataType | null {
  const word = parseDataTypeWord(value);
  if (word) return word;
  const t = normalizeToken(value);
  // "字符型(50)", "C(18)": a length or precision after a known word.
  const bare = parseDataTypeWord(t.replace(/\(\d+(,\d+)?\)$/, ''));
  if (bare) return bare;
  return SQL_TYPES.find(([re]) => re.test(t))?.[1] ?? null;
}

/** CLS-4 (就高从严): true when `level` is lower (less sensitive) than `than`. */
export function isLowerLevel(level: Level, than: Level): boolean {
  return compareLevels(level, than) < 0;
}

/** AST-4: conditional and not-shared resources state the legal basis for the restriction. */
export function shareBasisRequired(attribute: ShareAttribute): boolean {
  return SHARE_ATTRIBUTES_NEEDING_BASIS.includes(attribute);
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  是: true,
  否: false,
  有: true,
  无: false,
  yes: true,
  no: false,
  y: true,
  n: false,
  true: true,
  false: false,
  '1': true,
  '0': false,
};

export function parseBoolean(value: string): boolean | null {
  return BOOLEAN_WORDS[normalizeToken(value)] ?? null;
}

export const BOOLEAN_LABELS = { true: '是', false: '否' } as const;

/** Non-negative integer counts as people type them: 1234, 1,234, 1 234 (Excel numbers arrive as digits). */
export function parseCount(value: string): number | null {
  const v = value.normalize('NFKC').trim();
  if (!/^(\d{1,3}([,\s]\d{3})+|\d+)(\.0+)?$/.test(v)) return null;
  const n = Number(v.replace(/[,\s]/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

/** Retention in months: "36", "36个月", "36月", "3年" (years are counted as 12 months). */
export function parseRetentionMonths(value: string): number | null {
  const v = normalizeToken(value);
  const m = /^(\d{1,5})(个月|月|months?|年|years?)?$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * (m[2] && /^(年|year)/.test(m[2]) ? 12 : 1);
}

const CN_MLPS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };

/** MLPS (等保) level 1–5: "3", "三级", "第三级", "等保三级", "3级". */
export function parseMlpsLevel(value: string): number | null {
  const v = normalizeToken(value).replace(/^(等保|等级保护)/, '');
  const m = /^第?([1-5一二三四五])级?$/.exec(v);
  if (!m) return null;
  const d = m[1] as string;
  return CN_MLPS[d] ?? Number(d);
}
