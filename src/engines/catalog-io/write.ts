// Export in exactly the layout import reads: the same headers (the first Chinese name of each column), the
// same coded values in their Chinese UI terms, so a file exported from one institution imports into
// another unchanged. XLSX has one sheet per kind plus a sheet of instructions; CSV is one table with a
// 类型 column, UTF-8 with a byte-order mark.
import { COLUMNS, KIND_COLUMN, KIND_LABELS, KINDS, type Kind, UNIFIED_HEADERS } from './columns.ts';
import { writeCsv } from './csv.ts';
import type { Collection } from './read.ts';
import { BOOLEAN_LABELS, FIELD_DATA_TYPE_LABELS, LEVEL_INFO, OPEN_ATTRIBUTE_LABELS, SHARE_ATTRIBUTE_LABELS, UPDATE_FREQUENCY_LABELS } from './vocab.ts';
import { type SheetSpec, writeXlsx } from './xlsx.ts';

export interface ExportSystem {
  institution: string;
  name: string;
  /** null where the reader may see the system's name (through a published resource) but not its record. */
  description: string | null;
  mlpsLevel: number | null;
  mlpsFilingNo: string | null;
  cii: boolean | null;
}

/** Coded values are the stored codes; export writes their Chinese UI terms (an unknown code as it is). */
export interface ExportField {
  name: string;
  dataType: string;
  description: string | null;
  level: string | null;
}

export interface ExportResource {
  institution: string;
  system: string;
  name: string;
  description: string | null;
  shareAttribute: string;
  shareBasis: string | null;
  openAttribute: string;
  openBasis: string | null;
  updateFrequency: string | null;
  recordCount: number | null;
  retentionMonths: number | null;
  collection: Collection;
  piRecords: number | null;
  piPeople: number | null;
  /** null when no PI declaration was made (so a round trip does not invent one). */
  piSensitive: boolean | null;
  level: string | null;
  fields: ExportField[];
}

export interface CatalogData {
  systems: ExportSystem[];
  resources: ExportResource[];
}

type Cell = string | number;
type Values = Record<string, string | number | boolean | null>;

function cell(v: string | number | boolean | null): Cell {
  if (v === null) return '';
  if (typeof v === 'boolean') return BOOLEAN_LABELS[v ? 'true' : 'false'];
  return v;
}

function term(labels: Record<string, { zh: string }>, code: string | null): string | null {
  return code === null ? null : (labels[code]?.zh ?? code);
}

function systemValues(s: ExportSystem): Values {
  return { institution: s.institution, name: s.name, description: s.description, mlpsLevel: s.mlpsLevel, mlpsFilingNo: s.mlpsFilingNo, cii: s.cii };
}

function resourceValues(r: ExportResource): Values {
  return {
    institution: r.institution,
    system: r.system,
    name: r.name,
    description: r.description,
    shareAttribute: term(SHARE_ATTRIBUTE_LABELS, r.shareAttribute),
    shareBasis: r.shareBasis,
    openAttribute: term(OPEN_ATTRIBUTE_LABELS, r.openAttribute),
    openBasis: r.openBasis,
    updateFrequency: term(UPDATE_FREQUENCY_LABELS, r.updateFrequency),
    recordCount: r.recordCount,
    retentionMonths: r.retentionMonths,
    collectionPurpose: r.collection.purpose,
    collectionLegalBasis: r.collection.legalBasis,
    collectionMethod: r.collection.method,
    collectionFrequency: r.collection.frequency,
    collectionScope: r.collection.scope,
    piRecords: r.piRecords,
    piPeople: r.piPeople,
    piSensitive: r.piSensitive,
    level: term(LEVEL_INFO, r.level),
  };
}

function fieldValues(r: ExportResource, f: ExportField): Values {
  return {
    institution: r.institution,
    system: r.system,
    resource: r.name,
    name: f.name,
    dataType: term(FIELD_DATA_TYPE_LABELS, f.dataType),
    description: f.description,
    level: term(LEVEL_INFO, f.level),
  };
}

function rowsOf(data: CatalogData): Record<Kind, Values[]> {
  return {
    systems: data.systems.map(systemValues),
    resources: data.resources.map(resourceValues),
    fields: data.resources.flatMap((r) => r.fields.map((f) => fieldValues(r, f))),
  };
}

const INSTRUCTIONS: readonly (readonly string[])[] = [
  ['工作表', '“系统”“数据资源”“数据项”三张表按表头填写；也可用一张表加“类型”列（系统/数据资源/数据项），CSV 文件即为此格式。'],
  ['所属机构', '仅供查阅。导入时以选定的机构为准；一个文件只能包含一个机构的数据。'],
  ['导入规则', '导入只新增：已登记的系统可以在“系统”表中原样列出；已有的数据资源或数据项名称会被报错。任何一处错误都不会写入数据。'],
  [
    '共享属性',
    `${Object.values(SHARE_ATTRIBUTE_LABELS)
      .map((l) => l.zh)
      .join(' / ')}（也可写“有条件共享”）；受限共享和不予共享须填写“共享依据”。`,
  ],
  [
    '开放属性',
    Object.values(OPEN_ATTRIBUTE_LABELS)
      .map((l) => l.zh)
      .join(' / '),
  ],
  [
    '等级',
    `${Object.values(LEVEL_INFO)
      .map((l) => l.zh)
      .join(' / ')}。新数据资源的等级作为定级提议，经安全管理员审核后生效；数据资源的等级不得低于其数据项。`,
  ],
  [
    '更新频率',
    Object.values(UPDATE_FREQUENCY_LABELS)
      .map((l) => l.zh)
      .join(' / '),
  ],
  [
    '数据类型',
    `${Object.values(FIELD_DATA_TYPE_LABELS)
      .map((l) => l.zh)
      .join(' / ')}；也可写数据库类型，如 varchar(50)、NUMBER(10,2)、timestamp。`,
  ],
  ['保存期限（月）', '1 到 1200 的整数月数，如 36、36个月 或 3年。'],
  ['个人信息', '“个人信息记录数”“个人信息人数”“是否敏感个人信息”三列一并填写，或都留空。'],
  ['是否类列', '是 / 否'],
];

export async function toXlsx(data: CatalogData): Promise<Buffer> {
  const rows = rowsOf(data);
  const sheets: SheetSpec[] = KINDS.map((kind) => ({
    name: KIND_LABELS[kind].zh,
    headers: COLUMNS[kind].map((c) => c.zh),
    rows: rows[kind].map((v) => COLUMNS[kind].map((c) => cell(v[c.key] ?? null))),
    widths: { [COLUMNS[kind].findIndex((c) => c.key === 'description')]: 40 },
  }));
  sheets.push({ name: '填写说明', headers: ['项目', '说明'], rows: INSTRUCTIONS, widths: { 0: 16, 1: 100 } });
  return writeXlsx(sheets);
}

export function toCsv(data: CatalogData): Buffer {
  const rows = rowsOf(data);
  const out: Cell[][] = [[...UNIFIED_HEADERS]];
  for (const kind of KINDS) {
    // Each header means this kind's column of that (first) Chinese name, if the kind has one.
    const keys = UNIFIED_HEADERS.map((h) => (h === KIND_COLUMN.zh ? null : (COLUMNS[kind].find((c) => c.zh === h)?.key ?? null)));
    for (const v of rows[kind]) out.push(keys.map((k, i) => (i === 0 ? KIND_LABELS[kind].zh : k ? cell(v[k] ?? null) : '')));
  }
  return writeCsv(out.map((r) => r.map(String)));
}
