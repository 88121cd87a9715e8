// The file layout import accepts and export writes: three kinds of rows (systems, resources, fields), each
// either on its own XLSX sheet or in one table with a 类型/kind column (the CSV layout, also accepted as a
// single XLSX sheet). Headers are matched by meaning: Chinese or English, with the synonyms found in
// government templates, ignoring spaces, width, case and required-markers (*系统名称).
import { normalizeToken } from './vocab.ts';

export const KINDS = ['systems', 'resources', 'fields'] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_LABELS: Record<Kind, { zh: string; en: string }> = {
  systems: { zh: '系统', en: 'systems' },
  resources: { zh: '数据资源', en: 'resources' },
  fields: { zh: '数据项', en: 'fields' },
};

export interface ColumnDef {
  key: string;
  /** The header export writes (and the name errors use when the column is missing). */
  zh: string;
  en: string;
  aliases: readonly string[];
  required?: boolean;
}

// One list per kind. In a table with a kind column the same header can mean different things per kind:
// 系统名称 is a system's own name on a systems row and the owning system on a resources or fields row.
const institution: ColumnDef = { key: 'institution', zh: '所属机构', en: 'institution', aliases: ['机构', '单位', '所属单位', '机构名称'] };
const description = (extra: string[]): ColumnDef => ({ key: 'description', zh: '说明', en: 'description', aliases: ['描述', '简介', ...extra] });
const level: ColumnDef = { key: 'level', zh: '等级', en: 'level', aliases: ['分级', '数据级别', '数据分级', '数据等级', '级别', 'grade'] };

export const COLUMNS: Record<Kind, readonly ColumnDef[]> = {
  systems: [
    institution,
    { key: 'name', zh: '系统名称', en: 'system', aliases: ['系统', '信息系统名称', '系统名', 'system name', 'name'], required: true },
    description(['系统说明', '系统描述', '系统简介']),
    { key: 'mlpsLevel', zh: '等保级别', en: 'MLPS level', aliases: ['等级保护级别', '等保等级', '网络安全等级保护级别', 'mlps'] },
    { key: 'mlpsFilingNo', zh: '等保备案编号', en: 'MLPS filing number', aliases: ['等级保护备案编号', '备案编号', 'mlps filing no'] },
    { key: 'cii', zh: '是否关键信息基础设施', en: 'CII', aliases: ['关键信息基础设施', '是否关基', '关基'] },
  ],
  resources: [
    institution,
    { key: 'system', zh: '系统名称', en: 'system', aliases: ['所属系统', '系统', '来源系统', 'system name'], required: true },
    { key: 'name', zh: '资源名称', en: 'resource', aliases: ['数据资源名称', '资源', '数据资源', '资源名', 'resource name', 'name'], required: true },
    description(['资源说明', '资源描述', '资源摘要', '摘要']),
    { key: 'shareAttribute', zh: '共享属性', en: 'share attribute', aliases: ['共享类型', '共享方式'], required: true },
    { key: 'shareBasis', zh: '共享依据', en: 'share basis', aliases: ['共享条件', '不予共享依据', '共享条件或依据'] },
    { key: 'openAttribute', zh: '开放属性', en: 'open attribute', aliases: ['开放类型'], required: true },
    { key: 'openBasis', zh: '开放依据', en: 'open basis', aliases: ['开放条件', '不予开放依据'] },
    { key: 'updateFrequency', zh: '更新频率', en: 'update frequency', aliases: ['更新周期'] },
    { key: 'recordCount', zh: '记录数', en: 'record count', aliases: ['数据量', '数据量(条)', '数据条数'] },
    { key: 'retentionMonths', zh: '保存期限（月）', en: 'retention months', aliases: ['保存期限', '保存期限(月)', '存储期限', 'retention'] },
    { key: 'collectionPurpose', zh: '采集目的', en: 'collection purpose', aliases: [] },
    { key: 'collectionLegalBasis', zh: '采集依据', en: 'collection legal basis', aliases: ['采集法律依据'] },
    { key: 'collectionMethod', zh: '采集方式', en: 'collection method', aliases: ['采集渠道', '采集方式/渠道'] },
    { key: 'collectionFrequency', zh: '采集频率', en: 'collection frequency', aliases: [] },
    { key: 'collectionScope', zh: '采集范围', en: 'collection scope', aliases: [] },
    { key: 'piRecords', zh: '个人信息记录数', en: 'PI records', aliases: ['个人信息条数'] },
    { key: 'piPeople', zh: '个人信息人数', en: 'PI people', aliases: ['涉及人数', '个人信息涉及人数'] },
    { key: 'piSensitive', zh: '是否敏感个人信息', en: 'sensitive PI', aliases: ['敏感个人信息', '是否含敏感个人信息', '含敏感个人信息'] },
    level,
  ],
  fields: [
    institution,
    { key: 'system', zh: '系统名称', en: 'system', aliases: ['所属系统', '系统', 'system name'] },
    { key: 'resource', zh: '资源名称', en: 'resource', aliases: ['数据资源名称', '资源', '数据资源', '资源名', 'resource name'], required: true },
    {
      key: 'name',
      zh: '字段名称',
      en: 'field',
      aliases: ['数据项名称', '信息项名称', '字段名', '数据项', '信息项', '字段', 'field name', 'name'],
      required: true,
    },
    { key: 'dataType', zh: '数据类型', en: 'data type', aliases: ['字段类型', '数据格式', '信息项类型', 'datatype'], required: true },
    description(['字段说明', '数据项说明', '字段描述', '信息项说明']),
    level,
  ],
};

/** The kind column of the one-table layout and the words its cells may hold. */
export const KIND_COLUMN: ColumnDef = { key: 'kind', zh: '类型', en: 'kind', aliases: ['记录类型', '行类型'] };

const KIND_WORDS: Record<string, Kind> = {};
for (const [words, kind] of [
  [['系统', '信息系统', '系统清单', 'system', 'systems'], 'systems'],
  [['数据资源', '资源', '资源目录', '数据资源目录', 'resource', 'resources'], 'resources'],
  [['数据项', '字段', '信息项', '数据项清单', 'field', 'fields'], 'fields'],
] as const) {
  for (const w of words) KIND_WORDS[normalizeToken(w)] = kind;
}

/** A kind from a cell of the kind column or from a sheet's name. */
export function kindOf(value: string): Kind | null {
  return KIND_WORDS[normalizeToken(value)] ?? null;
}

/** Headers compare without spaces, width, case, a required-marker or a trailing colon. */
export function normalizeHeader(value: string): string {
  return normalizeToken(value)
    .replace(/^\*+|\*+$/g, '')
    .replace(/[:：]$/, '');
}

function names(def: ColumnDef): string[] {
  return [def.zh, def.en, def.key, ...def.aliases].map(normalizeHeader);
}

const BY_HEADER: Record<Kind, Map<string, ColumnDef>> = {
  systems: new Map(),
  resources: new Map(),
  fields: new Map(),
};
for (const kind of KINDS) for (const def of COLUMNS[kind]) for (const n of names(def)) BY_HEADER[kind].set(n, def);
const KIND_HEADERS = new Set(names(KIND_COLUMN));

/** The column a header names on rows of this kind, if any. */
export function columnFor(kind: Kind, header: string): ColumnDef | null {
  return BY_HEADER[kind].get(normalizeHeader(header)) ?? null;
}

export function isKindHeader(header: string): boolean {
  return KIND_HEADERS.has(normalizeHeader(header));
}

/**
 * The one-table layout's columns in export order: the kind, then what identifies a row, then the rest.
 * A header appears once even where kinds give it different meanings (系统名称, 资源名称, 说明, 等级).
 */
export const UNIFIED_HEADERS: readonly string[] = [
  KIND_COLUMN.zh,
  '所属机构',
  '系统名称',
  '资源名称',
  '字段名称',
  '数据类型',
  '说明',
  ...COLUMNS.resources.slice(4).map((c) => c.zh),
  ...COLUMNS.systems.slice(3).map((c) => c.zh),
].filter((h, i, all) => all.indexOf(h) === i);
