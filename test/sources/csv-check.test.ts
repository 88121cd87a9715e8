// The byte-level CSV structure check (csv-check.ts) against the parser it stands in for (CsvParser): on
// random and hand-written inputs cut into chunks anywhere, every input the parser refuses is refused, with the
// same problem at the same line; everything the parser accepts passes, unless it holds a lone CR outside quotes
// or a field over the length limit in bytes (which the check declines, saying so). Also the UTF-8 check.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { Utf8Check } from '../../src/sources/csv-bytes.ts';
import { CsvStructureCheck } from '../../src/sources/csv-check.ts';
import { CsvParser, type CsvRecord } from '../../src/sources/csv-parser.ts';
import { SourceError } from '../../src/sources/index.ts';
import { seeded } from './helpers.ts';

/** The decision, and when refused the problem (as the check names it) and the line. */
interface Verdict {
  ok: boolean;
  kind?: string;
  line?: number;
}

/** What CsvParser says about `text`, with the problem named as the check names it. */
function parserVerdict(text: string, delimiter: string, max: number): Verdict {
  const p = new CsvParser(delimiter, max);
  const out: CsvRecord[] = [];
  try {
    p.push(text, out);
    p.end(out);
    return { ok: true };
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    const kind = /inside a field that is not quoted/.test(err.messageEn)
      ? 'quote-in-unquoted-field'
      : /after the closing quote/.test(err.messageEn)
        ? 'text-after-closing-quote'
        : /never closed before the end/.test(err.messageEn)
          ? 'unclosed-quote'
          : /longer than/.test(err.messageEn)
            ? 'long-field'
            : `other: ${err.messageEn}`;
    return { ok: false, kind, line: err.line as number };
  }
}

/** What the check says about the UTF-8 bytes of `text` pushed in the given chunk sizes; the line is 1 + the LFs before the byte it names. */
function checkVerdict(text: string, delimiter: string, max: number, cuts: number[]): Verdict {
  const bytes = Buffer.from(text, 'utf8');
  const c = new CsvStructureCheck(delimiter, max);
  let at = 0;
  for (const size of cuts) {
    if (at >= bytes.length) break;
    c.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) c.push(bytes.subarray(at));
  c.end();
  if (c.ok) return { ok: true };
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < c.failureAt; i = bytes.indexOf(0x0a, i + 1)) line++;
  return { ok: false, kind: c.failure as string, line };
}

/** A lone CR outside quotes, by the parser's own reading: its records end at one when the text has one. */
function hasLoneCrOutsideQuotes(text: string, delimiter: string): boolean {
  // The parser's line counts every LF (inside quotes and out) and each lone CR outside quotes.
  const p = new CsvParser(delimiter, Number.MAX_SAFE_INTEGER);
  try {
    p.push(text, []);
    p.end([]);
  } catch {
    return false; // only asked of accepted text
  }
  return p.line !== 1 + (text.match(/\n/g)?.length ?? 0);
}

/** The longest field in bytes of UTF-8 (quoted fields: between the quotes, doubled quotes as two). */
function longestFieldBytes(text: string, delimiter: string): number {
  let longest = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    if (i === text.length || ch === delimiter || ch === '\n' || ch === '\r') {
      longest = Math.max(longest, Buffer.byteLength(text.slice(start, i)));
      start = i + 1;
    }
  }
  return longest;
}

function randomCuts(rand: () => number, length: number): number[] {
  const cuts: number[] = [];
  for (let sum = 0; sum < length; ) {
    const k = 1 + Math.floor(rand() * 6);
    cuts.push(k);
    sum += k;
  }
  return cuts;
}

/** CR only in CRLF: no lone CRs. */
const TOKENS = ['a', 'b', '中', '𠀀', ' ', ',', ',', '"', '"', '""', '\n', '\r\n', '\n', 'x,y', '"q"', '\t', ';'];
const TOKENS_WITH_CR = [...TOKENS, '\r'];

function randomText(rand: () => number, tokens: string[], n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += tokens[Math.floor(rand() * tokens.length)];
  return s;
}

describe('CsvStructureCheck against CsvParser', () => {
  it('hand-written inputs: refused ones with the parser’s problem and line, accepted ones passed, however cut', () => {
    const cases = [
      'a,b\n1,2\n',
      'a,b\r\n"1","2"\r\n',
      'a,b\n"x, ""y""\nz",2\n',
      'a,b\n"",\n',
      '"a"',
      '"a""',
      '"a"""',
      'a,b\n1,"unclosed\n2,3\n',
      'a,b\n1,x"y\n',
      'a,b\n1,"x"y\n',
      'a,b\n1,"x" \n',
      'a,b\n1, "x"\n',
      '\n\n"a",b\n',
      'a,b\n\n\n1,2',
      '中文,"含""引号"""\n"多\n行",值\n',
      '"a\rb",c\n',
      'a,"b"\r\nc,"d"\r\n',
      '"',
      '""',
      'a"',
    ];
    const rand = seeded(11);
    for (const text of cases) {
      const want = parserVerdict(text, ',', 1 << 20);
      for (let round = 0; round < 20; round++) {
        const cuts = round === 0 ? [text.length * 4] : randomCuts(rand, text.length * 4);
        const got = checkVerdict(text, ',', 1 << 20, cuts);
        if (want.ok) expect(got, JSON.stringify(text)).toEqual({ ok: true });
        else expect(got, JSON.stringify(text)).toEqual(want);
      }
    }
  });

  it('random inputs without lone CRs: the same decision as the parser, the same problem and line when refused', () => {
    const rand = seeded(12);
    let refused = 0;
    for (let n = 0; n < 4000; n++) {
      const text = randomText(rand, TOKENS, 1 + Math.floor(rand() * 24));
      const delimiter = n % 3 === 0 ? '\t' : ',';
      const want = parserVerdict(text, delimiter, 1 << 20);
      const got = checkVerdict(text, delimiter, 1 << 20, randomCuts(rand, Buffer.byteLength(text)));
      if (!want.ok) refused++;
      if (want.ok) expect(got, JSON.stringify(text)).toEqual({ ok: true });
      else expect(got, JSON.stringify(text)).toEqual(want);
    }
    // Both kinds occur often enough for the comparison to mean something.
    expect(refused).toBeGreaterThan(1000);
    expect(refused).toBeLessThan(3500);
  });

  it('lone CRs: declined exactly where the parser ends a record at one (outside quotes, at the end too)', () => {
    const rand = seeded(13);
    let lone = 0;
    for (let n = 0; n < 3000; n++) {
      const text = randomText(rand, TOKENS_WITH_CR, 1 + Math.floor(rand() * 20));
      const want = parserVerdict(text, ',', 1 << 20);
      const got = checkVerdict(text, ',', 1 << 20, randomCuts(rand, Buffer.byteLength(text)));
      if (!want.ok) {
        // Refused by the parser: never passed (the first problem may be the lone CR before it).
        expect(got.ok, JSON.stringify(text)).toBe(false);
        if (got.kind !== 'lone-cr') expect(got, JSON.stringify(text)).toMatchObject(want);
        continue;
      }
      const loneCr = hasLoneCrOutsideQuotes(text, ',');
      if (loneCr) lone++;
      expect(got, JSON.stringify(text)).toEqual(loneCr ? expect.objectContaining({ ok: false, kind: 'lone-cr' }) : { ok: true });
    }
    expect(lone).toBeGreaterThan(100);
    for (const text of ['a\rb', 'a,b\r', '"a"\rb', '"x"\r']) expect(checkVerdict(text, ',', 100, [100]).kind).toBe('lone-cr');
    for (const text of ['"a\rb"', 'a\r\nb', '"a\r\n"\r\n']) expect(checkVerdict(text, ',', 100, [1, 1, 1, 1, 1, 1, 1, 1, 1]).ok).toBe(true);
  });

  it('the field length limit: what the parser refuses is refused; within the limit in bytes passes', () => {
    const rand = seeded(14);
    for (let n = 0; n < 4000; n++) {
      const text = randomText(rand, TOKENS, 1 + Math.floor(rand() * 30));
      const max = 2 + Math.floor(rand() * 10);
      const want = parserVerdict(text, ',', max);
      const got = checkVerdict(text, ',', max, randomCuts(rand, Buffer.byteLength(text)));
      if (!want.ok) {
        expect(got.ok, JSON.stringify(text)).toBe(false);
        if (want.kind !== 'long-field' && got.kind !== 'long-field') expect(got, JSON.stringify(text)).toMatchObject(want);
      } else if (longestFieldBytes(text, ',') <= max) {
        expect(got, `${JSON.stringify(text)} max ${max}`).toEqual({ ok: true });
      } else if (!got.ok) {
        expect(got.kind).toBe('long-field');
      }
    }
    // An unclosed quote on line 2 of a long file is declined once the field passes the limit, not at the end.
    const c = new CsvStructureCheck(',', 1000);
    c.push(Buffer.from('a,b\n1,"open\n'));
    for (let k = 0; k < 10 && c.ok; k++) c.push(Buffer.alloc(300, 0x61));
    expect(c.failure).toBe('long-field');
  });

  it('refuses delimiters it cannot find as a byte', () => {
    expect(() => new CsvStructureCheck('"')).toThrow();
    expect(() => new CsvStructureCheck('，')).toThrow();
    expect(() => new CsvStructureCheck(',,')).toThrow();
  });
});

describe('Utf8Check', () => {
  it('accepts UTF-8 cut anywhere; refuses invalid bytes, NUL and a character cut by the end of the stream', () => {
    const text = Buffer.from('姓名,电话\n张三,13812345678 𠀀 é\n'.repeat(20));
    const gbk = iconv.encode('姓名,电话\n张三,13812345678\n', 'gbk');
    const run = (bytes: Buffer, size: number) => {
      const u = new Utf8Check();
      for (let i = 0; i < bytes.length; i += size) if (!u.push(bytes.subarray(i, i + size))) return false;
      return u.end();
    };
    for (const size of [1, 2, 3, 5, 7, 64, 4096]) {
      expect(run(text, size), `chunk ${size}`).toBe(true);
      expect(run(gbk, size), `gbk chunk ${size}`).toBe(false);
      expect(run(Buffer.concat([text, Buffer.from([0])]), size)).toBe(false);
      expect(run(text.subarray(0, text.indexOf('𠀀') + 2), size)).toBe(false);
      expect(run(Buffer.concat([text.subarray(0, 10), Buffer.from([0xed, 0xa0, 0x80]), text]), size)).toBe(false); // a surrogate
    }
  });
});
