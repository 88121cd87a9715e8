// Safe by construction (issue 4): 1 MB adversarial input per recognizer, on the per-text path and the CSV
// fast path, must finish (no backtracking: the scanner has no regular expressions on these paths) and give
// the expected, bounded result. No timing assertions: a catastrophic case would hang the test.
import { describe, expect, it } from 'vitest';
import { validateCustomRecognizers } from './custom.ts';
import { CsvScanner, Scanner, scanText } from './scanner.ts';

const MB = 1 << 20;
const fill = (unit: string, bytes = MB) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));

/** Inputs built to defeat each recognizer: long runs, endless chains, dangling prefixes. */
const ADVERSARIAL: Record<string, string> = {
  'digits (all numeric recognizers)': fill('1'),
  'letters (documents, codes)': fill('E'),
  'underscore words': fill('a_1'),
  'resident-ID groups without end': fill('110105 '),
  'hyphen chains': fill('1-'),
  'dotted chains (IPv4, decimals)': fill('1.'),
  'slash chains (dates)': fill('1/'),
  'mobile prefix repeated': fill('+86 '),
  'open parentheses (landlines)': fill('(010)('),
  'card groups': fill('6222 '),
  'e-mail: @ everywhere': fill('a@'),
  'e-mail: dots before @': `${fill('a.', MB / 2)}@${fill('b.', MB / 2)}`,
  'e-mail: endless domain': `x@${fill('a')}`,
  'IPv6: colons': fill(':'),
  'IPv6: hex groups': fill('ffff:'),
  'IPv6: double colons': fill('1::'),
  'plates: province letter': fill('粤B'),
  'plates: dotted': fill('粤B·1'),
  'keywords: prefixes': fill('艾滋未成银行账'),
  'dates: 年月 chains': fill('1990年1月'),
  'names and addresses': fill('张市路号'),
  'full-width digits (normalising path)': fill('１'),
  'full-width near ASCII': fill('1－'),
  quotes: fill('"'),
};

describe('1 MB adversarial input per recognizer', () => {
  for (const [name, text] of Object.entries(ADVERSARIAL)) {
    it(`${name}: per-text path and CSV fast path agree and finish`, () => {
      const perText = scanText(text, { asOf: '2025-06-01' });
      const csvFindings: unknown[] = [];
      const s = new CsvScanner({ header: false, asOf: '2025-06-01', onFinding: (f) => csvFindings.push(f) });
      const field = `"${text.replace(/"/g, '""')}"\n`;
      const buf = Buffer.from(field);
      for (let i = 0; i < buf.length; i += 65536) s.push(buf.subarray(i, i + 65536));
      const report = s.end();
      expect(report.rows).toBe(1);
      // Nothing in these inputs is a valid identifier or a complete keyword.
      expect(perText.length, JSON.stringify(perText.slice(0, 3))).toBe(0);
      expect(csvFindings.length).toBe(perText.length);
    });
  }

  it('bounds what one piece of a cell can hold: matches past 65,536 are counted as dropped', () => {
    const text = '儿童'.repeat(200_000); // 400,000 characters: one piece, 200,000 keyword matches
    const s = new Scanner({ columns: ['c'], asOf: '2025-06-01' });
    s.row([text]);
    const r = s.finish();
    expect(r.columns[0].hits.KW_MINOR).toBe(65_536);
    expect(r.droppedMatches).toBe(200_000 - 65_536);
  });

  it('a field far longer than a chunk is scanned in pieces with offsets into the whole value', () => {
    const head = fill('x', 3 * MB);
    const text = `${head} 13812345678`;
    const found: { start: number; end: number }[] = [];
    const s = new CsvScanner({ header: false, asOf: '2025-06-01', onFinding: (f) => found.push(f) });
    const buf = Buffer.from(`"${text}",13912345678\n`);
    for (let i = 0; i < buf.length; i += 65536) s.push(buf.subarray(i, i + 65536));
    const r = s.end();
    expect(r.rows).toBe(1);
    expect(found).toHaveLength(2);
    expect(text.slice(found[0].start, found[0].end)).toBe('13812345678');
  });

  it('accepted custom patterns stay linear on adversarial tokens', () => {
    const v = validateCustomRecognizers([
      { id: 'X_SOCIAL_CARD', name: '社保卡号', pattern: '[A-Z]\\d{8}', columnHints: ['sbkh'] },
      { id: 'X_CASE_NO', name: '案件编号', pattern: '(?:AJ|XS)-?\\d{4}-?\\d{6}', checksum: 'luhn' },
      { id: 'X_LONG', name: '长代码', pattern: '[0-9A-Z]{10,64}', scope: 'cell' },
    ]);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    for (const text of [fill('A1'), fill('AJ-'), fill('0'), fill('A1-'), fill('XS1234-')]) {
      const s = new Scanner({ columns: ['sbkh'], custom: v.recognizers, asOf: '2025-06-01' });
      s.row([text]);
      expect(s.finish().rows).toBe(1);
    }
  });
});
