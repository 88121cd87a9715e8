// One problem found in an import file, located the way the person sees the file: the sheet tab, the row
// number the spreadsheet shows (CSV: the record number, which is the row Excel shows), and the column
// header as written in their file.
import type { Kind } from './columns.ts';

export interface ImportIssue {
  /** The XLSX sheet's name as in the file; null for CSV and for problems with the whole file. */
  sheet: string | null;
  kind: Kind | null;
  row: number | null;
  /** The header as written in the file (our header when the column is missing); null for a whole row. */
  column: string | null;
  /** The column's key in our model (e.g. shareAttribute); null when not about one column. */
  field: string | null;
  code: string;
  zh: string;
  en: string;
}

/** Where a row sits in the file, and how its columns are headed there. */
export interface RowSource {
  sheet: string | null;
  kind: Kind;
  row: number;
  /** Column key → header text as in the file. */
  headers: ReadonlyMap<string, string>;
}

export function fileIssue(code: string, zh: string, en: string, at: Partial<Pick<ImportIssue, 'sheet' | 'kind' | 'row' | 'column'>> = {}): ImportIssue {
  return { sheet: at.sheet ?? null, kind: at.kind ?? null, row: at.row ?? null, column: at.column ?? null, field: null, code, zh, en };
}

export function cellIssue(src: RowSource, field: string | null, fallbackHeader: string | null, code: string, zh: string, en: string): ImportIssue {
  return {
    sheet: src.sheet,
    kind: src.kind,
    row: src.row,
    column: field ? (src.headers.get(field) ?? fallbackHeader) : null,
    field,
    code,
    zh,
    en,
  };
}

/** Issues in file order: problems with the whole file first, then by sheet as first seen, row, and as found. */
export function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  const sheetOrder = new Map<string | null, number>();
  for (const i of issues) if (!sheetOrder.has(i.sheet)) sheetOrder.set(i.sheet, sheetOrder.size);
  const wholeFile = (i: ImportIssue) => (i.row === null && i.kind === null ? 0 : 1);
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        wholeFile(a.issue) - wholeFile(b.issue) ||
        (sheetOrder.get(a.issue.sheet) ?? 0) - (sheetOrder.get(b.issue.sheet) ?? 0) ||
        (a.issue.row ?? 0) - (b.issue.row ?? 0) ||
        a.index - b.index,
    )
    .map((x) => x.issue);
}
