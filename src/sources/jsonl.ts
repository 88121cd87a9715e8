// JSON Lines files as a TabularSource: one JSON object per line, blank lines skipped, a line that is not a
// JSON object refused with its line number. Nested objects and arrays become their JSON text. Numbers with
// more than 15 significant digits are kept as their digits (strings): an 18-digit resident ID number
// written as a JSON number would otherwise come out rounded, i.e. as a different person's number.
import { StreamDecoder, type TextEncoding } from './decode.ts';
import type { ByteInput } from './file-input.ts';
import { type ColumnInfo, type OpenOptions, SourceError, type SourceRow, type SourceValue, setValue, type TabularSource } from './types.ts';

export interface JsonlSource extends TabularSource {
  kind: 'jsonl';
  encoding: TextEncoding;
}

/** Objects read at open to list the columns (the union of their keys, in order of appearance). */
const COLUMN_PROBE_LINES = 1000;
const MAX_LINE_CHARS = 64 * 1024 * 1024;

// Strings are skipped whole (so digits inside them are left alone); number literals are matched.
// Linear: the alternatives start with different characters and the string body has no nested repetition.
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const LONG_DIGITS = /\d[\d.]{15}/;

function significantDigits(literal: string): number {
  const mantissa = literal
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  return mantissa.replace(/^0+/, '').length;
}

/** Puts number literals that a double cannot hold exactly into quotes. */
export function quoteLongNumbers(line: string): string {
  if (!LONG_DIGITS.test(line)) return line;
  return line.replace(STRING_OR_NUMBER, (m) => (m.charCodeAt(0) !== 34 && significantDigits(m) > 15 ? `"${m}"` : m));
}

export function jsonValue(v: unknown): SourceValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  return JSON.stringify(v);
}

function parseLine(text: string, physicalLine: number): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteLongNumbers(text));
  } catch {
    throw new SourceError('MALFORMED', `第 ${physicalLine} 行不是有效的 JSON`, `Line ${physicalLine} is not valid JSON`, { line: physicalLine });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SourceError(
      'MALFORMED',
      `第 ${physicalLine} 行不是 JSON 对象（每行应是一个 {…} 对象）`,
      `Line ${physicalLine} is not a JSON object (each line must be one {…} object)`,
      { line: physicalLine },
    );
  }
  return parsed as Record<string, unknown>;
}

interface JsonLine {
  physicalLine: number;
  object: Record<string, unknown>;
}

export async function openJsonl(input: ByteInput, opts: OpenOptions): Promise<JsonlSource> {
  let bytes = 0;

  const pass = (decoder: StreamDecoder) =>
    (async function* (): AsyncGenerator<JsonLine[]> {
      bytes = 0;
      let rest = '';
      let line = 1; // physical line of the start of `rest`
      const split = (text: string, last: boolean): JsonLine[] => {
        const s = rest === '' ? text : rest + text;
        const out: JsonLine[] = [];
        let start = 0;
        for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', start)) {
          const body = s.slice(start, k);
          if (body.trim() !== '') out.push({ physicalLine: line, object: parseLine(body, line) });
          line++;
          start = k + 1;
        }
        rest = s.slice(start);
        if (last && rest.trim() !== '') {
          out.push({ physicalLine: line, object: parseLine(rest, line) });
          rest = '';
        }
        if (rest.length > MAX_LINE_CHARS) {
          throw new SourceError('TOO_LARGE', `第 ${line} 行超过 ${MAX_LINE_CHARS} 个字符`, `Line ${line} is longer than ${MAX_LINE_CHARS} characters`, {
            line,
          });
        }
        return out;
      };
      for await (const chunk of input.chunks()) {
        bytes += chunk.length;
        const out = split(decoder.write(chunk, line), false);
        if (out.length > 0) yield out;
      }
      const out = split(decoder.end(line), true);
      if (out.length > 0) yield out;
    })();

  // At open: the columns from the first objects.
  const probeDecoder = new StreamDecoder(opts.encoding ?? 'auto');
  const probe = pass(probeDecoder);
  const keys = new Set<string>();
  let seen = 0;
  try {
    outer: for await (const batch of probe) {
      for (const { object } of batch) {
        for (const k of Object.keys(object)) keys.add(k);
        if (++seen >= COLUMN_PROBE_LINES) break outer;
      }
    }
  } finally {
    await probe.return(undefined);
  }
  const columns = [...keys];
  const encoding = probeDecoder.encoding ?? 'utf-8';

  return {
    kind: 'jsonl',
    describe: `${input.name} (jsonl, ${encoding})`,
    encoding,
    totalBytes: input.size,
    bytesRead: () => bytes,
    columns: async () => [...columns],
    columnInfo: async (): Promise<ColumnInfo[]> => columns.map((name) => ({ name, type: 'other' })),
    async *rows(): AsyncGenerator<SourceRow> {
      const lines = pass(new StreamDecoder(opts.encoding ?? 'auto'));
      let n = 0;
      try {
        for await (const batch of lines) {
          for (const { physicalLine, object } of batch) {
            // Every listed column is present (null when the object lacks it); keys first seen later are kept too.
            const values: Record<string, SourceValue> = {};
            for (const c of columns) setValue(values, c, null);
            for (const k in object) setValue(values, k, jsonValue(object[k]));
            yield { line: ++n, physicalLine, values };
          }
        }
      } finally {
        await lines.return(undefined);
      }
    },
    close: async () => {},
  };
}
