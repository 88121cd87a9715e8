// Reads an import file into typed rows and every problem found in it, without stopping at the first:
// the person fixes the whole file in one go. What is checked here needs only the file (encoding, layout,
// columns, each cell's value, the row-level rules such as the share basis); what needs the catalog in the
// database (existing names, references) is plan.ts.
import { COLUMNS, type ColumnDef, columnFor, isKindHeader, KIND_COLUMN, KIND_LABELS, KINDS, type Kind, kindOf, normalizeHeader } from './columns.ts';
import { parseCsv, unescapeFormula } from './csv.ts';
import { decodeText, type TextEncoding } from './encoding.ts';
import { cellIssue, fileIssue, type ImportIssue, type RowSource, sortIssues } from './issues.ts';
import {
  FIELD_DATA_TYPE_LABELS,
  type FieldDataType,
  LEVEL_INFO,
  type Level,
  OPEN_ATTRIBUTE_LABELS,
  type OpenAttribute,
  parseBoolean,
  parseCount,
  parseDataType,
  parseLevel,
  parseMlpsLevel,
  parseOpenAttribute,
  parseRetentionMonths,
  parseShareAttribute,
  parseUpdateFrequency,
  SHARE_ATTRIBUTE_LABELS,
  type ShareAttribute,
  shareBasisRequired,
  UPDATE_FREQUENCY_LABELS,
  type UpdateFrequency,
} from './vocab.ts';
import { type CellProblem, hasNonTextChar, OLE_MAGIC, readXlsx, type SheetRow, startsWith, ZIP_MAGIC } from './xlsx.ts';

export interface ImportLimits {
  /** Data rows over all sheets. */
  maxRows: number;
  /** Declared uncompressed size of an XLSX's parts. */
  maxUncompressedBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = { maxRows: 50_000, maxUncompressedBytes: 150 * 1024 * 1024 };

/** The limits the catalog's API schemas set (systems.schemas.ts, resources.schemas.ts), applied per cell. */
export const LIMITS = {
  systemName: 100,
  resourceName: 200,
  fieldName: 100,
  description: 2000,
  fieldDescription: 500,
  basis: 1000,
  collection: 1000,
  mlpsFilingNo: 50,
  institution: 200,
  /** Coded cells (attributes, levels, yes/no, numbers): anything longer is not one of their values. */
  coded: 100,
  count: 1e13,
  people: 1e10,
  retentionMonths: 1200,
} as const;

export interface SystemRow {
  src: RowSource;
  institution: string | null;
  name: string;
  description: string | null;
  mlpsLevel: number | null;
  mlpsFilingNo: string | null;
  cii: boolean | null;
}

export interface Collection {
  purpose: string | null;
  legalBasis: string | null;
  method: string | null;
  frequency: string | null;
  scope: string | null;
}

/** Attribute values are null only when the cell was refused (and an issue says so). */
export interface ResourceRow {
  src: RowSource;
  institution: string | null;
  system: string;
  name: string;
  description: string | null;
  shareAttribute: ShareAttribute | null;
  shareBasis: string | null;
  openAttribute: OpenAttribute | null;
  openBasis: string | null;
  updateFrequency: UpdateFrequency | null;
  recordCount: number | null;
  retentionMonths: number | null;
  collection: Collection;
  piRecords: number | null;
  piPeople: number | null;
  piSensitive: boolean | null;
  level: Level | null;
}

export interface FieldRow {
  src: RowSource;
  institution: string | null;
  /** Optional: without it the resource name must be unambiguous. */
  system: string | null;
  resource: string;
  name: string;
  /** null only when the cell was refused. */
  dataType: FieldDataType | null;
  description: string | null;
  level: Level | null;
}

export interface ParsedCatalog {
  format: 'xlsx' | 'csv';
  encoding: TextEncoding | null;
  systems: SystemRow[];
  resources: ResourceRow[];
  fields: FieldRow[];
  /** Data rows read (blank rows not counted). */
  rowCount: number;
  issues: ImportIssue[];
  /** Columns no kind uses (序号, 备注, …): not an error, but said, so nothing is dropped silently. */
  ignoredColumns: { sheet: string | null; column: string }[];
  /** Sheets that are neither systems, resources nor fields and have no kind column. */
  ignoredSheets: string[];
}

interface Table {
  sheet: string | null;
  rows: SheetRow[];
  csv: boolean;
}

const empty = (format: 'xlsx' | 'csv', encoding: TextEncoding | null, issue: ImportIssue): ParsedCatalog => ({
  format,
  encoding,
  systems: [],
  resources: [],
  fields: [],
  rowCount: 0,
  issues: [issue],
  ignoredColumns: [],
  ignoredSheets: [],
});

/** Header rows may sit below a title row or two ("示范市公安局数据资源目录"): look at the first few. */
const HEADER_SEARCH_ROWS = 10;
/**
 * Rows the readers may return beyond the data-row limit: titles and headers of the three kinds' tables.
 * The exact limit is applied to data rows once headers are known (readTables); this only bounds memory.
 */
const LAYOUT_ROWS = HEADER_SEARCH_ROWS * KINDS.length;

/** Sheets that carry instructions for people (export writes one); never data, never reported. */
const NOTE_SHEETS = new Set(['填写说明', '说明', '使用说明', 'readme', 'instructions'].map(normalizeHeader));

/** The file's kind is taken from its bytes, not from its name or the declared content type. */
export async function readCatalogFile(bytes: Buffer, limits: ImportLimits = DEFAULT_LIMITS): Promise<ParsedCatalog> {
  if (bytes.length === 0) return empty('csv', null, fileIssue('EMPTY_FILE', '导入文件为空', 'The import file is empty'));
  if (startsWith(bytes, OLE_MAGIC)) {
    return empty(
      'xlsx',
      null,
      fileIssue(
        'XLS_NOT_SUPPORTED',
        '这是旧版 Excel（.xls）或设置了打开密码的 Excel 文件；请另存为不加密的 .xlsx 或 CSV UTF-8 后导入',
        'This is an old Excel (.xls) or a password-protected workbook; save it as an unencrypted .xlsx or as CSV UTF-8 and import that',
      ),
    );
  }
  if (startsWith(bytes, ZIP_MAGIC)) {
    const read = await readXlsx(bytes, { maxRecords: limits.maxRows + LAYOUT_ROWS, maxUncompressedBytes: limits.maxUncompressedBytes });
    if (!read.ok) return empty('xlsx', null, read.issue);
    return readTables(
      'xlsx',
      null,
      read.tables.map((t) => ({ sheet: t.sheet, rows: t.rows, csv: false })),
      limits,
    );
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return empty('csv', null, decoded.issue);
  const parsed = parseCsv(decoded.text, { maxRecords: limits.maxRows + LAYOUT_ROWS });
  if (!parsed.ok) return empty('csv', decoded.encoding, parsed.issue);
  return readTables('csv', decoded.encoding, [{ sheet: null, rows: parsed.records, csv: true }], limits);
}

function readTables(format: 'xlsx' | 'csv', encoding: TextEncoding | null, tables: Table[], limits: ImportLimits): ParsedCatalog {
  const out: ParsedCatalog = { format, encoding, systems: [], resources: [], fields: [], rowCount: 0, issues: [], ignoredColumns: [], ignoredSheets: [] };
  let dataTables = 0;
  for (const table of tables) {
    if (table.rows.length === 0) continue;
    const sheetKind = table.sheet !== null ? kindOf(table.sheet) : null;
    if (sheetKind) {
      dataTables++;
      readKindTable(out, table, sheetKind);
      continue;
    }
    const headerAt = table.rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => r.cells.some(isKindHeader));
    if (headerAt >= 0) {
      dataTables++;
      readUnifiedTable(out, table, headerAt);
    } else if (table.csv) {
      out.issues.push(
        fileIssue(
          'MISSING_KIND_COLUMN',
          'CSV 文件缺少“类型”列：每行须注明是 系统、数据资源 还是 数据项（可先导出一份作为模板）',
          'The CSV file has no 类型/kind column: each row must say whether it is a system, a resource or a field (export a file to use as a template)',
          { row: table.rows[0]?.row ?? 1, column: KIND_COLUMN.zh },
        ),
      );
    } else if (!NOTE_SHEETS.has(normalizeHeader(table.sheet ?? ''))) {
      out.ignoredSheets.push(table.sheet ?? '');
    }
  }
  if (format === 'xlsx' && dataTables === 0) {
    out.issues.push(
      fileIssue(
        'NO_DATA_SHEETS',
        `文件中没有可导入的工作表：工作表应命名为“系统”“数据资源”“数据项”，或含有“类型”列（现有工作表：${tables.map((t) => t.sheet).join('、') || '无'}）`,
        `No sheet to import: name the sheets 系统/systems, 数据资源/resources and 数据项/fields, or add a 类型/kind column (sheets found: ${tables.map((t) => t.sheet).join(', ') || 'none'})`,
      ),
    );
  } else if (out.rowCount === 0 && out.issues.length === 0) {
    out.issues.push(fileIssue('NO_ROWS', '文件中没有数据行', 'The file has no data rows'));
  }
  if (out.rowCount > limits.maxRows) {
    // Title and header rows are allowed for; data rows are what the limit counts.
    return {
      ...out,
      systems: [],
      resources: [],
      fields: [],
      issues: [
        fileIssue(
          'TOO_MANY_ROWS',
          `文件行数超过上限（${limits.maxRows} 行），请拆分后分批导入`,
          `The file has more than ${limits.maxRows} rows; split it and import the parts`,
        ),
      ],
    };
  }
  checkOneInstitution(out);
  out.issues = sortIssues(out.issues);
  return out;
}

/** Column index → definition for one kind, with the problems of the header row. */
interface KindColumns {
  kind: Kind;
  byIndex: Map<number, ColumnDef>;
  headers: Map<string, string>;
}

function mapColumns(out: ParsedCatalog, table: Table, headerRow: SheetRow, kind: Kind, reportIgnored: boolean): KindColumns {
  const byIndex = new Map<number, ColumnDef>();
  const headers = new Map<string, string>();
  headerRow.cells.forEach((raw, i) => {
    const header = raw.trim();
    if (!header || isKindHeader(header)) return;
    const def = columnFor(kind, header);
    if (!def) {
      if (reportIgnored) out.ignoredColumns.push({ sheet: table.sheet, column: header });
      return;
    }
    const first = headers.get(def.key);
    // In the one-table layout each kind maps the same header row: say it once.
    const said = out.issues.some((x) => x.code === 'DUPLICATE_COLUMN' && x.sheet === table.sheet && x.column === header);
    if (first !== undefined) {
      if (said) return;
      out.issues.push(
        fileIssue(
          'DUPLICATE_COLUMN',
          `列“${header}”与列“${first}”含义相同（${def.zh}），请只保留一列`,
          `Columns "${header}" and "${first}" mean the same (${def.en}); keep one`,
          { sheet: table.sheet, kind, row: headerRow.row, column: header },
        ),
      );
      return;
    }
    byIndex.set(i, def);
    headers.set(def.key, header);
  });
  return { kind, byIndex, headers };
}

function missingColumns(out: ParsedCatalog, table: Table, row: number, cols: KindColumns): boolean {
  const missing = COLUMNS[cols.kind].filter((d) => d.required && !cols.headers.has(d.key));
  for (const d of missing) {
    out.issues.push({
      ...fileIssue(
        'MISSING_COLUMN',
        `${KIND_LABELS[cols.kind].zh}缺少必填列“${d.zh}”`,
        `The ${KIND_LABELS[cols.kind].en} table has no "${d.zh}" (${d.en}) column`,
        { sheet: table.sheet, kind: cols.kind, row, column: d.zh },
      ),
      field: d.key,
    });
  }
  return missing.length > 0;
}

function readKindTable(out: ParsedCatalog, table: Table, kind: Kind) {
  // The header is the first row naming the kind's identifying column; rows above it are titles.
  const headerAt = table.rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => r.cells.some((c) => columnFor(kind, c)?.key === 'name'));
  const headerRow = table.rows[Math.max(headerAt, 0)] as SheetRow;
  const cols = mapColumns(out, table, headerRow, kind, true);
  if (missingColumns(out, table, headerRow.row, cols)) return;
  for (const row of table.rows.slice(table.rows.indexOf(headerRow) + 1)) {
    if (isBlank(row)) continue;
    out.rowCount++;
    readRow(out, table, row, cols, new Map());
  }
}

function readUnifiedTable(out: ParsedCatalog, table: Table, headerAt: number) {
  const headerRow = table.rows[headerAt] as SheetRow;
  const kindIndex = headerRow.cells.findIndex(isKindHeader);
  const perKind = new Map<Kind, KindColumns>();
  for (const kind of KINDS) perKind.set(kind, mapColumns(out, table, headerRow, kind, false));
  // Columns that no kind knows are reported once for the table.
  headerRow.cells.forEach((raw, i) => {
    const h = raw.trim();
    if (h && i !== kindIndex && KINDS.every((k) => !perKind.get(k)?.byIndex.has(i)) && !isKindHeader(h)) {
      out.ignoredColumns.push({ sheet: table.sheet, column: h });
    }
  });
  const checked = new Map<Kind, boolean>();
  for (const row of table.rows.slice(headerAt + 1)) {
    if (isBlank(row)) continue;
    out.rowCount++;
    const word = (row.cells[kindIndex] ?? '').trim();
    const kind = word ? kindOf(word) : null;
    if (!kind) {
      out.issues.push({
        ...fileIssue(
          word ? 'UNKNOWN_KIND' : 'REQUIRED',
          word ? `“类型”应为 系统、数据资源 或 数据项，而不是“${word}”` : '“类型”不能为空（系统、数据资源 或 数据项）',
          word ? `类型/kind must be 系统, 数据资源 or 数据项 (systems, resources, fields), not "${word}"` : '类型/kind is required (系统, 数据资源 or 数据项)',
          { sheet: table.sheet, row: row.row, column: headerRow.cells[kindIndex]?.trim() ?? KIND_COLUMN.zh },
        ),
        field: 'kind',
      });
      continue;
    }
    const cols = perKind.get(kind) as KindColumns;
    // Missing required columns are reported once, for a kind the file actually has.
    if (!checked.has(kind)) checked.set(kind, missingColumns(out, table, headerRow.row, cols));
    if (checked.get(kind)) continue;
    // Columns other kinds use: a value there on this row is almost always a row of the wrong kind.
    const foreign = new Map<number, string>();
    for (const k of KINDS) {
      if (k === kind) continue;
      for (const [i] of perKind.get(k)?.byIndex ?? []) if (!cols.byIndex.has(i)) foreign.set(i, headerRow.cells[i]?.trim() ?? '');
    }
    readRow(out, table, row, cols, foreign);
  }
}

function isBlank(row: SheetRow): boolean {
  return !row.problems && row.cells.every((c) => c.trim() === '');
}

function readRow(out: ParsedCatalog, table: Table, row: SheetRow, cols: KindColumns, foreign: Map<number, string>) {
  const src: RowSource = { sheet: table.sheet, kind: cols.kind, row: row.row, headers: cols.headers };
  const issues = out.issues;
  const defs = new Map(COLUMNS[cols.kind].map((d) => [d.key, d]));
  const indexOf = new Map([...cols.byIndex].map(([i, d]) => [d.key, i]));
  const head = (key: string) => cols.headers.get(key) ?? defs.get(key)?.zh ?? key;
  const issue = (key: string, code: string, zh: string, en: string) => issues.push(cellIssue(src, key, defs.get(key)?.zh ?? key, code, zh, en));

  for (const [i, header] of foreign) {
    if ((row.cells[i] ?? '').trim() !== '') {
      issues.push({
        ...cellIssue(src, null, null, 'COLUMN_NOT_FOR_KIND', '', ''),
        column: header,
        zh: `${KIND_LABELS[cols.kind].zh}行不使用“${header}”列；请检查“类型”是否填错，或清空该单元格`,
        en: `A ${KIND_LABELS[cols.kind].en} row does not use the "${header}" column; check its 类型/kind or clear the cell`,
      });
    }
  }

  /** The cell's text, trimmed; null when empty or refused (with an issue). */
  const text = (key: string, max: number, opts: { name?: boolean } = {}): string | null => {
    const i = indexOf.get(key);
    if (i === undefined) return null;
    const problem: CellProblem | undefined = row.problems?.get(i);
    if (problem) {
      issue(key, problem.code, `“${head(key)}”：${problem.zh}`, `"${head(key)}": ${problem.en}`);
      return null;
    }
    let v = (row.cells[i] ?? '').trim();
    if (table.csv) v = unescapeFormula(v);
    if (v === '') return null;
    if (hasNonTextChar(v)) {
      issue(key, 'INVALID_CHARACTER', `“${head(key)}”含有不可见的控制字符，请删除后重试`, `"${head(key)}" contains invisible control characters; remove them`);
      return null;
    }
    if (opts.name && /[\r\n\t]/.test(v)) {
      issue(key, 'NAME_LINE_BREAK', `“${head(key)}”不能含有换行或制表符`, `"${head(key)}" must not contain line breaks or tabs`);
      return null;
    }
    if ([...v].length > max) {
      issue(key, 'TOO_LONG', `“${head(key)}”超过 ${max} 个字符`, `"${head(key)}" is longer than ${max} characters`);
      return null;
    }
    return v;
  };
  const required = (key: string, max: number, name: boolean): string | null => {
    const before = issues.length;
    const v = text(key, max, { name });
    if (v === null && issues.length === before) issue(key, 'REQUIRED', `“${head(key)}”不能为空`, `"${head(key)}" is required`);
    return v;
  };
  const coded = <T>(key: string, parse: (v: string) => T | null, code: string, allowedZh: string, allowedEn: string, must = false): T | null => {
    const before = issues.length;
    const v = text(key, LIMITS.coded);
    if (v === null) {
      if (must && issues.length === before) issue(key, 'REQUIRED', `“${head(key)}”不能为空，应为：${allowedZh}`, `"${head(key)}" is required: ${allowedEn}`);
      return null;
    }
    const parsed = parse(v);
    if (parsed === null) issue(key, code, `“${head(key)}”的值“${v}”无效，应为：${allowedZh}`, `"${head(key)}" value "${v}" is not valid; use ${allowedEn}`);
    return parsed;
  };
  const count = (key: string, max: number) => {
    const n = coded(key, parseCount, 'INVALID_NUMBER', '不小于 0 的整数', 'a whole number of at least 0');
    if (n !== null && n > max) {
      issue(
        key,
        'INVALID_NUMBER',
        `“${head(key)}”超出上限 ${max.toLocaleString('en-US')}`,
        `"${head(key)}" is above the limit of ${max.toLocaleString('en-US')}`,
      );
      return null;
    }
    return n;
  };
  const bool = (key: string) => coded(key, parseBoolean, 'INVALID_BOOLEAN', '是 或 否', '是/否 (yes/no)');
  const zhList = (labels: Record<string, { zh: string }>) =>
    Object.values(labels)
      .map((l) => l.zh)
      .join('、');
  const level = () => coded('level', parseLevel, 'UNKNOWN_LEVEL', zhList(LEVEL_INFO), `one of ${Object.keys(LEVEL_INFO).join(', ')} or their Chinese names`);
  const institution = text('institution', LIMITS.institution);

  if (cols.kind === 'systems') {
    const name = required('name', LIMITS.systemName, true);
    const description = text('description', LIMITS.description);
    const mlpsLevel = coded('mlpsLevel', parseMlpsLevel, 'INVALID_MLPS_LEVEL', '1–5 级（如“三级”或“3”）', 'an MLPS level 1–5 (e.g. 3 or 三级)');
    const mlpsFilingNo = text('mlpsFilingNo', LIMITS.mlpsFilingNo);
    // The registry's rule (systems.rules.ts fieldProblem): MLPS facts need the MLPS level.
    if (mlpsFilingNo !== null && mlpsLevel === null && !rowHas(issues, src, 'mlpsLevel')) {
      issue(
        'mlpsLevel',
        'MLPS_LEVEL_REQUIRED',
        `填写“${head('mlpsFilingNo')}”时须填写“${head('mlpsLevel')}”`,
        `An MLPS filing number needs the MLPS level ("${head('mlpsLevel')}")`,
      );
    }
    const cii = bool('cii');
    if (name !== null) out.systems.push({ src, institution, name, description, mlpsLevel, mlpsFilingNo, cii });
    return;
  }

  if (cols.kind === 'resources') {
    const system = required('system', LIMITS.systemName, true);
    const name = required('name', LIMITS.resourceName, true);
    const description = text('description', LIMITS.description);
    const shareAttribute = coded(
      'shareAttribute',
      parseShareAttribute,
      'INVALID_SHARE_ATTRIBUTE',
      `${zhList(SHARE_ATTRIBUTE_LABELS)}（或“有条件共享”）`,
      'unconditional, conditional or not_shared',
      true,
    );
    const shareBasis = text('shareBasis', LIMITS.basis);
    if (shareAttribute && shareBasisRequired(shareAttribute) && shareBasis === null && !rowHas(issues, src, 'shareBasis')) {
      issue(
        'shareBasis',
        'SHARE_BASIS_REQUIRED',
        `共享属性为“${SHARE_ATTRIBUTE_LABELS[shareAttribute].zh}”时须填写“${head('shareBasis')}”（法律法规或政策依据）`,
        `A resource "${SHARE_ATTRIBUTE_LABELS[shareAttribute].en}" needs its share basis (the law or policy behind the restriction) in "${head('shareBasis')}"`,
      );
    }
    const openAttribute = coded(
      'openAttribute',
      parseOpenAttribute,
      'INVALID_OPEN_ATTRIBUTE',
      zhList(OPEN_ATTRIBUTE_LABELS),
      'open, conditional or not_open',
      true,
    );
    const openBasis = text('openBasis', LIMITS.basis);
    const updateFrequency = coded(
      'updateFrequency',
      parseUpdateFrequency,
      'INVALID_UPDATE_FREQUENCY',
      zhList(UPDATE_FREQUENCY_LABELS),
      Object.keys(UPDATE_FREQUENCY_LABELS).join(', '),
    );
    const recordCount = count('recordCount', LIMITS.count);
    const months = coded(
      'retentionMonths',
      parseRetentionMonths,
      'INVALID_RETENTION',
      '正整数月数（如 36、36个月 或 3年）',
      'a whole number of months (e.g. 36, 36个月 or 3年)',
    );
    let retentionMonths = months;
    if (months !== null && (months < 1 || months > LIMITS.retentionMonths)) {
      issue(
        'retentionMonths',
        'INVALID_RETENTION',
        `“${head('retentionMonths')}”应在 1 到 ${LIMITS.retentionMonths} 个月之间`,
        `"${head('retentionMonths')}" must be 1 to ${LIMITS.retentionMonths} months`,
      );
      retentionMonths = null;
    }
    const collection: Collection = {
      purpose: text('collectionPurpose', LIMITS.collection),
      legalBasis: text('collectionLegalBasis', LIMITS.collection),
      method: text('collectionMethod', LIMITS.collection),
      frequency: text('collectionFrequency', LIMITS.collection),
      scope: text('collectionScope', LIMITS.collection),
    };
    const piRecords = count('piRecords', LIMITS.count);
    const piPeople = count('piPeople', LIMITS.people);
    const piSensitive = bool('piSensitive');
    // AST-11: a PI declaration is whole (records, people, sensitive or not), as the catalog API takes it.
    const piKeys = ['piRecords', 'piPeople', 'piSensitive'] as const;
    const piGiven = piKeys.filter((k) => indexOf.has(k) && (row.cells[indexOf.get(k) as number] ?? '').trim() !== '');
    if (piGiven.length > 0) {
      for (const k of piKeys) {
        if (!piGiven.includes(k)) {
          issue(
            k,
            'PI_DECLARATION_INCOMPLETE',
            `申报个人信息时“个人信息记录数”“个人信息人数”“是否敏感个人信息”须一并填写，缺少“${head(k)}”`,
            `A PI declaration gives records, people and whether it is sensitive together; "${head(k)}" is missing`,
          );
        }
      }
    }
    const lvl = level();
    if (system !== null && name !== null) {
      out.resources.push({
        src,
        institution,
        system,
        name,
        description,
        shareAttribute,
        shareBasis,
        openAttribute,
        openBasis,
        updateFrequency,
        recordCount,
        retentionMonths,
        collection,
        piRecords,
        piPeople,
        piSensitive,
        level: lvl,
      });
    }
    return;
  }

  const system = text('system', LIMITS.systemName, { name: true });
  const resource = required('resource', LIMITS.resourceName, true);
  const name = required('name', LIMITS.fieldName, true);
  const dataType = coded(
    'dataType',
    parseDataType,
    'INVALID_DATA_TYPE',
    `${zhList(FIELD_DATA_TYPE_LABELS)}（也可写数据库类型，如 varchar(50)、NUMBER(10,2)、timestamp）`,
    `${Object.keys(FIELD_DATA_TYPE_LABELS).join(', ')}, their Chinese names, or a database type such as varchar(50)`,
    true,
  );
  const description = text('description', LIMITS.fieldDescription);
  const lvl = level();
  if (resource !== null && name !== null) out.fields.push({ src, institution, system, resource, name, dataType, description, level: lvl });
}

function rowHas(issues: ImportIssue[], src: RowSource, field: string): boolean {
  return issues.some((i) => i.row === src.row && i.sheet === src.sheet && i.field === field);
}

/**
 * One import is for one institution. An export of several institutions carries 所属机构 on every row;
 * importing it as one would merge their catalogs, so a file naming more than one is refused. A single
 * name is informative only: the target is the institution the import is made for (a copy to another
 * institution is a supported round trip).
 */
function checkOneInstitution(out: ParsedCatalog) {
  const rows = [...out.systems, ...out.resources, ...out.fields].filter((r) => r.institution !== null).sort((a, b) => a.src.row - b.src.row);
  const first = rows[0];
  const other = rows.find((r) => r.institution !== first?.institution);
  if (!first || !other) return;
  out.issues.push(
    cellIssue(
      other.src,
      'institution',
      '所属机构',
      'MULTIPLE_INSTITUTIONS',
      `文件包含多个机构的数据（“${first.institution}”和“${other.institution}”）；一次导入只能针对一个机构，请按机构拆分文件`,
      `The file holds rows of several institutions ("${first.institution}" and "${other.institution}"); an import is for one institution, so split the file by institution`,
    ),
  );
}
