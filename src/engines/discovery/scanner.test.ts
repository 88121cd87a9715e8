// The two scanners readers feed (CLS-2, AST-11): CSV bytes in chunks (quotes, embedded newlines, CRLF,
// BOM, blank lines, delimiters, any chunking) and values row by row or cell by cell; both give the same.
import { describe, expect, it } from 'vitest';
import { csvField, Gen } from './corpus.ts';
import { CsvScanner, Scanner, type ScanReport, scanCsv, scanCsvBuffer } from './scanner.ts';
import type { Finding } from './types.ts';

const AS_OF = '2025-06-01';

function csvFindings(csv: string | Buffer, opts: { chunk?: number; header?: boolean; delimiter?: string } = {}): { findings: Finding[]; report: ScanReport } {
  const findings: Finding[] = [];
  const s = new CsvScanner({ asOf: AS_OF, header: opts.header, delimiter: opts.delimiter, onFinding: (f) => findings.push(f) });
  const buf = typeof csv === 'string' ? Buffer.from(csv) : csv;
  const step = opts.chunk ?? buf.length;
  for (let i = 0; i < buf.length; i += step) s.push(buf.subarray(i, i + step));
  return { findings, report: s.end() };
}

const brief = (fs: Finding[]) => fs.map((f) => `${f.row}:${f.column}:${f.type}:${f.start}-${f.end}`);

describe('CsvScanner: CSV structure', () => {
  it('reads the header, counts rows from 1 after it, and reports per column', () => {
    const { findings, report } = csvFindings('xm,sjhm,备注\n张三,13812345678,无\n李四,13987654321,电话13700001111\n');
    expect(report.rows).toBe(2);
    expect(report.columns.map((c) => c.name)).toEqual(['xm', 'sjhm', '备注']);
    expect(brief(findings)).toEqual(['1:xm:CN_NAME:0-2', '1:sjhm:CN_MOBILE:0-11', '2:xm:CN_NAME:0-2', '2:sjhm:CN_MOBILE:0-11', '2:备注:CN_MOBILE:2-13']);
    expect(report.columns[1].hits).toEqual({ CN_MOBILE: 2 });
    expect(report.columns[1].hints).toEqual(['CN_MOBILE']);
  });

  it('handles quoted fields with delimiters, escaped quotes and embedded newlines (offsets in the unquoted value)', () => {
    const csv = 'a,b\n"x, ""y""\n13812345678",2\n"plain ""q"" 13912345678",\n';
    const { findings, report } = csvFindings(csv);
    expect(report.rows).toBe(2);
    // Values 'x, "y"\n13812345678' and 'plain "q" 13912345678'.
    expect(brief(findings)).toEqual(['1:a:CN_MOBILE:7-18', '2:a:CN_MOBILE:10-21']);
  });

  it('accepts CRLF, a UTF-8 BOM, blank lines, a missing final newline and ragged rows', () => {
    const csv = '\ufeffsjhm,dz\r\n13812345678,x\r\n\r\n13987654321\r\n13700001111,y,13600002222';
    const { findings, report } = csvFindings(csv);
    expect(report.rows).toBe(3);
    expect(report.columns.map((c) => c.name)).toEqual(['sjhm', 'dz', 'column3']);
    expect(brief(findings)).toEqual(['1:sjhm:CN_MOBILE:0-11', '2:sjhm:CN_MOBILE:0-11', '3:sjhm:CN_MOBILE:0-11', '3:column3:CN_MOBILE:0-11']);
  });

  it('reads files without a header and with other delimiters', () => {
    expect(brief(csvFindings('13812345678\tx\n', { header: false, delimiter: '\t' }).findings)).toEqual(['1:column1:CN_MOBILE:0-11']);
    expect(brief(csvFindings('a|b\nx,13812345678|y\n', { delimiter: '|' }).findings)).toEqual(['1:a:CN_MOBILE:2-13']);
    expect(() => new CsvScanner({ delimiter: 'x' })).toThrow(/delimiter/);
  });

  it('gives the same result for any chunking (fields and characters split across chunks)', () => {
    const g = new Gen(5);
    const rows = Array.from({ length: 300 }, () =>
      [g.name(), g.residentId(), g.mobileFormatted(), g.address(), `"备注，含逗号\n${g.mobile()} 住院"`, g.bankCardGrouped(), g.email(), `（${g.mobile()}）`]
        .map((v) => (v.startsWith('"') ? v : csvField(v)))
        .join(','),
    );
    const csv = `xm,sfzh,sjhm,dz,bz,yhkh,yx,lx\n${rows.join('\n')}\n`;
    const whole = csvFindings(csv);
    expect(whole.findings.length).toBeGreaterThan(2000);
    for (const chunk of [1, 2, 3, 7, 64, 1000, 4096]) {
      const part = csvFindings(csv, { chunk });
      expect(part.report.rows, `chunk ${chunk}`).toBe(300);
      expect(part.findings, `chunk ${chunk}`).toEqual(whole.findings);
    }
  });

  it('matches the per-value scanner on the same data (the fast path and the generic path agree)', () => {
    const g = new Gen(6);
    const header = ['xm', 'sfzh', 'csrq', 'sjhm', 'hjdz', 'bz'];
    const rows = Array.from({ length: 200 }, () => [
      g.name(),
      g.residentId(),
      g.dob(),
      g.chance(0.5) ? g.mobile() : `１３８${g.digits(8)}`,
      g.address(),
      `出生于${g.dob()}，曾住院`,
    ]);
    const csv = `${header.join(',')}\n${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
    const fast = csvFindings(csv);
    const generic: Finding[] = [];
    const s = new Scanner({ columns: header, asOf: AS_OF, onFinding: (f) => generic.push(f) });
    for (const r of rows) s.row(r);
    const rep = s.finish();
    expect(generic).toEqual(fast.findings);
    expect(rep.columns.map((c) => c.hits)).toEqual(fast.report.columns.map((c) => c.hits));
    expect(rep.columns.map((c) => c.proposal)).toEqual(fast.report.columns.map((c) => c.proposal));
  });

  it('streams asynchronously', async () => {
    async function* chunks() {
      yield Buffer.from('sfzh\n1101051949');
      yield Buffer.from('1231002X\n');
    }
    const r = await scanCsv(chunks(), { asOf: AS_OF });
    expect(r.columns[0].hits).toEqual({ CN_RESIDENT_ID: 1 });
  });
});

describe('Scanner: values from other readers', () => {
  it('takes strings, numbers and dates; skips binary values; counts empty cells', () => {
    const found: Finding[] = [];
    const s = new Scanner({ columns: ['sjhm', 'csrq', 'photo', 'memo'], asOf: AS_OF, onFinding: (f) => found.push(f) });
    s.row([13812345678, new Date(Date.UTC(1990, 0, 15)), new Uint8Array([1, 2, 3]), null]);
    s.cell(2, 3, { note: '身份证11010519491231002X' });
    const r = s.finish();
    expect(r.rows).toBe(2);
    expect(brief(found)).toEqual(['1:sjhm:CN_MOBILE:0-11', '1:csrq:DATE_OF_BIRTH:0-10', '2:memo:CN_RESIDENT_ID:12-30']);
    expect(r.columns[3].cells).toBe(2);
    expect(r.columns[3].nonEmpty).toBe(1);
  });
});

describe('report: statistics per column', () => {
  it('counts candidates and check passes, distinct people (sketch) and children under 14', () => {
    const g = new Gen(9);
    const ids = Array.from({ length: 500 }, (_, i) => (i < 100 ? g.residentId(2015, 2020) : g.residentId(1950, 2000)));
    const rows = [...ids, ...ids.slice(0, 100)]; // 100 repeated people
    const r = scanCsvBuffer([Buffer.from(`sfzh\n${rows.join('\n')}\n`)], { asOf: AS_OF });
    const stats = r.columns[0].stats.find((x) => x.type === 'CN_RESIDENT_ID');
    expect(stats?.hits).toBe(600);
    expect(stats?.candidates).toBe(600);
    expect(stats?.passed).toBe(600);
    expect(Math.abs((stats?.distinct ?? 0) - 500)).toBeLessThan(25);
    expect(r.columns[0].minors).toBe(200); // born 2015–2020, counted with their repeats
    expect(r.columns[0].proposal.piTypes).toEqual(['id_number', 'minor']);
    expect(r.columns[0].proposal.piCategory).toBe('sensitive');
    expect(r.resource.people).toBe(stats?.distinct);
  });
});

describe('long values scanned in pieces', () => {
  it('count once per cell however many pieces a value comes in (cells with a type drive the proposal)', () => {
    // One value of ≈ 1.8 MB (600 K characters) with a mobile number every ≈ 300 KB: CsvScanner, fed in
    // 64 KiB chunks, cuts it into 256 KiB pieces, Scanner into 512 K-character pieces. Each piece used to
    // count as a cell of its own.
    const filler = '说明'.repeat(50_000); // 100 K characters, 300 KB of UTF-8
    const long = Array.from({ length: 6 }, (_, k) => `${filler}联系13${k}12345678`).join('');
    const csv = `bz\n${csvField(long)}\n13912345678\n`;
    const fromBytes = csvFindings(csv, { chunk: 1 << 16 }).report.columns[0].stats.find((t) => t.type === 'CN_MOBILE');
    const rows = new Scanner({ asOf: AS_OF, columns: ['bz'] });
    rows.row([long]);
    rows.row(['13912345678']);
    const fromValues = rows.finish().columns[0].stats.find((t) => t.type === 'CN_MOBILE');
    for (const st of [fromBytes, fromValues]) {
      expect(st?.hits).toBe(7);
      expect(st?.cells).toBe(2);
    }
  });
});
