// A resumable CSV parser (RFC 4180): text arrives in chunks of any size and records come out as soon as
// they are complete, so memory stays bounded by the longest record, not the file. Quoted fields may hold
// delimiters, doubled quotes and line breaks; records end at CRLF, LF or a lone CR. Blank lines are
// skipped but counted, so every record carries the physical line it starts on (what an editor shows).
// Strict where a guess would corrupt data: a quote inside an unquoted field, text after a closing quote
// and a quote left open at the end of the file are refused with their line.
import { countNewlines, SourceError } from './types.ts';

export interface CsvRecord {
  cells: string[];
  /** Physical line (1-based) where the record starts. */
  physicalLine: number;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

// Parser states.
/** At the start of a field: a quote here opens a quoted field. */
const FIELD_START = 0;
/** Inside an unquoted field (at least one character read). */
const UNQUOTED = 1;
/** Inside a quoted field. */
const QUOTED = 2;
/** Inside a quoted field, just after a quote: a second quote is a literal one, anything else closes. */
const QUOTE_SEEN = 3;
/** After the closing quote: only a delimiter or a line end may follow. */
const AFTER_QUOTED = 4;
type State = 0 | 1 | 2 | 3 | 4;

export class CsvParser {
  /** Physical line of the next character. */
  line = 1;
  private readonly delim: number;
  /** 1 for the characters that end an unquoted run: delimiter, LF, CR, quote (one load per character). */
  private readonly special: Uint8Array;
  private state: State = FIELD_START;
  private cells: string[] = [];
  private field = '';
  private recordLine = 1;
  private recordQuoted = false;
  private quoteLine = 0;
  /** The previous chunk ended with CR outside quotes: a leading LF belongs to it. */
  private pendingCr = false;

  /**
   * @param maxFieldChars a longer field is refused: in practice it is a quote that is never closed, and the
   *   parser would otherwise hold the rest of the file in memory looking for its end.
   */
  constructor(
    delimiter: string,
    private readonly maxFieldChars = 16 * 1024 * 1024,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new SourceError('MALFORMED', `无效的分隔符：${JSON.stringify(delimiter)}`, `Invalid delimiter: ${JSON.stringify(delimiter)}`);
    }
    this.delim = delimiter.charCodeAt(0);
    this.special = new Uint8Array(65536);
    for (const c of [this.delim, LF, CR, QUOTE]) this.special[c] = 1;
  }

  /** Parses the next piece of text, appending complete records to `out`. */
  push(text: string, out: CsvRecord[]): void {
    const n = text.length;
    const delim = this.delim;
    let i = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (n > 0 && text.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      switch (this.state) {
        case FIELD_START:
        case UNQUOTED: {
          const special = this.special;
          let j = i;
          let c = 0;
          for (; j < n; j++) {
            c = text.charCodeAt(j);
            if (special[c] === 1) break;
          }
          if (j > i) {
            this.field = this.field === '' ? text.slice(i, j) : this.field + text.slice(i, j);
            this.state = UNQUOTED;
            if (this.field.length > this.maxFieldChars) {
              throw new SourceError(
                'TOO_LARGE',
                `第 ${this.line} 行的字段超过 ${this.maxFieldChars} 个字符`,
                `The field on line ${this.line} is longer than ${this.maxFieldChars} characters`,
                { line: this.line },
              );
            }
          }
          if (j === n) {
            i = n;
            break;
          }
          if (c === QUOTE) {
            if (this.state === FIELD_START) {
              this.state = QUOTED;
              this.recordQuoted = true;
              this.quoteLine = this.line;
              i = j + 1;
              break;
            }
            throw new SourceError(
              'MALFORMED',
              `第 ${this.line} 行：未加引号的字段中含有引号（"）；含引号的字段应整体用引号括起，且内部引号写成两个（""）`,
              `Line ${this.line}: a quote (") inside a field that is not quoted; such a field must be enclosed in quotes with inner quotes doubled ("")`,
              { line: this.line },
            );
          }
          i = this.delimOrLineEnd(text, j, c, out);
          break;
        }
        case QUOTED: {
          const k = text.indexOf('"', i);
          const end = k < 0 ? n : k;
          if (end > i) {
            const part = text.slice(i, end);
            this.field = this.field === '' ? part : this.field + part;
            this.line += countNewlines(part);
            if (this.field.length > this.maxFieldChars) {
              throw new SourceError(
                'MALFORMED',
                `第 ${this.quoteLine} 行开始的引号字段超过 ${this.maxFieldChars} 个字符，可能是引号没有闭合`,
                `The quoted field starting on line ${this.quoteLine} is longer than ${this.maxFieldChars} characters: probably a quote that is never closed`,
                { line: this.quoteLine },
              );
            }
          }
          if (k < 0) {
            i = n;
          } else {
            this.state = QUOTE_SEEN;
            i = k + 1;
          }
          break;
        }
        case QUOTE_SEEN: {
          if (text.charCodeAt(i) === QUOTE) {
            this.field += '"';
            this.state = QUOTED;
            i++;
          } else {
            this.state = AFTER_QUOTED;
          }
          break;
        }
        case AFTER_QUOTED: {
          const c = text.charCodeAt(i);
          if (c !== delim && c !== LF && c !== CR) {
            throw new SourceError(
              'MALFORMED',
              `第 ${this.line} 行：引号括起的字段在闭合引号之后还有其他字符；字段内的引号应写成两个（""）`,
              `Line ${this.line}: characters after the closing quote of a quoted field; quotes inside a field must be doubled ("")`,
              { line: this.line },
            );
          }
          i = this.delimOrLineEnd(text, i, c, out);
          break;
        }
      }
    }
  }

  /** The end of the text: completes the last record (a final line break is optional). */
  end(out: CsvRecord[]): void {
    if (this.state === QUOTED) {
      throw new SourceError(
        'MALFORMED',
        `第 ${this.quoteLine} 行开始的引号直到文件结尾都没有闭合`,
        `The quote opened on line ${this.quoteLine} is never closed before the end of the file`,
        { line: this.quoteLine },
      );
    }
    if (this.cells.length > 0 || this.field !== '' || this.recordQuoted) this.endRecord(out);
    this.state = FIELD_START;
  }

  /** At a delimiter or line-end character `c` at index `j`: ends the field (and the record); returns the next index. */
  private delimOrLineEnd(text: string, j: number, c: number, out: CsvRecord[]): number {
    this.state = FIELD_START;
    if (c === this.delim) {
      this.cells.push(this.field);
      this.field = '';
      return j + 1;
    }
    this.endRecord(out);
    this.line++;
    this.recordLine = this.line;
    if (c === CR) {
      if (j + 1 < text.length) return text.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
      this.pendingCr = true;
    }
    return j + 1;
  }

  private endRecord(out: CsvRecord[]): void {
    this.cells.push(this.field);
    const blank = this.cells.length === 1 && this.field === '' && !this.recordQuoted;
    if (!blank) out.push({ cells: this.cells, physicalLine: this.recordLine });
    this.cells = [];
    this.field = '';
    this.recordQuoted = false;
  }
}

/**
 * The delimiter of a header line: the most frequent of `,` TAB `;` `|` outside quotes; a comma when none
 * occurs (a one-column file). Ties go to the earlier in that list.
 */
export function detectDelimiter(headerLine: string): string {
  const candidates = [',', '\t', ';', '|'];
  const counts = [0, 0, 0, 0];
  let quoted = false;
  for (let i = 0; i < headerLine.length; i++) {
    const ch = headerLine[i] as string;
    if (ch === '"') quoted = !quoted;
    else if (!quoted) {
      const k = candidates.indexOf(ch);
      if (k >= 0) counts[k] = (counts[k] as number) + 1;
    }
  }
  let best = 0;
  for (let k = 1; k < candidates.length; k++) if ((counts[k] as number) > (counts[best] as number)) best = k;
  return candidates[best] as string;
}
