// Accuracy on a labelled corpus (issue 4, CLS-2): valid identifiers in many contexts and forms (bare, in
// sentences, full-width, with separators) and the hard negatives that look like them (wrong check
// characters, impossible dates, order numbers, timestamps, identifiers inside longer strings). Precision and
// recall ≥ 0.99 for every checksum- or format-defined type; names and addresses are reported separately.
import { describe, expect, it } from 'vitest';
import { csvField, fullWidth, Gen } from './corpus.ts';
import { scanCsvBuffer, scanText } from './scanner.ts';
import type { Finding, TypeId } from './types.ts';

interface Label {
  type: TypeId;
  start: number;
  end: number;
}
interface Labelled {
  text: string;
  labels: Label[];
  kind: string;
}

const AS_OF = '2025-06-01';
const PREFIXES = ['', '', '联系电话：', '证件号码 ', '号码:', '（', '备注：本人', 'No. ', '客户'];
const SUFFIXES = ['', '', '，', '。', ' ', '）', '；已核实', ' 谢谢'];

/** The labelled corpus: positives of every format-defined type, then hard negatives (no labels). */
function corpus(seed: number, perType: number): Labelled[] {
  const g = new Gen(seed);
  const out: Labelled[] = [];
  const place = (type: TypeId, value: string, kind: string) => {
    const pre = g.pick(PREFIXES);
    const suf = g.pick(SUFFIXES);
    out.push({ text: pre + value + suf, labels: [{ type, start: pre.length, end: pre.length + value.length }], kind });
  };
  const positives: [TypeId, () => string][] = [
    ['CN_RESIDENT_ID', () => g.residentId()],
    ['CN_RESIDENT_ID', () => g.residentId(2012, 2024)],
    ['CN_RESIDENT_ID', () => g.legacyId15()],
    ['CN_USCC', () => g.uscc()],
    ['CN_ORG_CODE', () => g.orgCode()],
    ['CN_MOBILE', () => g.mobile()],
    ['CN_MOBILE', () => g.mobileFormatted()],
    ['CN_LANDLINE', () => g.landline()],
    ['BANK_CARD', () => g.bankCard()],
    ['BANK_CARD', () => g.bankCardGrouped()],
    ['CN_PASSPORT', () => g.passport()],
    ['CN_HK_MACAU_PERMIT', () => g.hkMacauPermit()],
    ['CN_LICENSE_PLATE', () => g.plate()],
    ['EMAIL', () => g.email()],
    ['IPV4', () => g.ipv4()],
    ['IPV6', () => g.ipv6()],
  ];
  for (const [type, make] of positives) {
    for (let i = 0; i < perType; i++) {
      const v = make();
      place(type, v, 'plain');
      // Full-width forms (NFKC undoes them; offsets stay in the original text).
      if (i % 4 === 0 && type !== 'CN_LICENSE_PLATE') place(type, fullWidth(v), 'full-width');
    }
  }
  // Resident IDs written with separators, and dates of birth with a context word.
  for (let i = 0; i < perType; i++) {
    const id = g.residentId();
    place('CN_RESIDENT_ID', `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`, 'separators');
    const [y, m, d] = g.date(1940, 2015);
    const dob = g.pick([`${y}年${m}月${d}日`, `${y}-${g.pad(m, 2)}-${g.pad(d, 2)}`, `${y}/${m}/${d}`]);
    const pre = g.pick(['出生日期：', '生于', '生日 ']);
    out.push({ text: `${pre}${dob}`, labels: [{ type: 'DATE_OF_BIRTH', start: pre.length, end: pre.length + dob.length }], kind: 'dob' });
  }
  // Several identifiers in one text.
  for (let i = 0; i < perType; i++) {
    const id = g.residentId();
    const mob = g.mobile();
    const card = g.bankCard();
    const a = `姓名张三，身份证`;
    const b = `${a}${id}，手机`;
    const c = `${b}${mob}，银行卡`;
    out.push({
      text: `${c}${card}。`,
      labels: [
        { type: 'CN_RESIDENT_ID', start: a.length, end: a.length + id.length },
        { type: 'CN_MOBILE', start: b.length, end: b.length + mob.length },
        { type: 'KW_FINANCIAL_ACCOUNT', start: c.length - 3, end: c.length },
        { type: 'BANK_CARD', start: c.length, end: c.length + card.length },
      ],
      kind: 'mixed',
    });
  }
  // Hard negatives.
  const negatives: [string, () => string][] = [
    ['id-bad-check', () => g.residentIdBadCheck()],
    ['id-bad-date', () => g.residentIdBadDate()],
    ['uscc-bad-check', () => g.usccBadCheck()],
    ['card-bad-luhn', () => g.bankCardBadLuhn()],
    ['order-number', () => g.orderNumber()],
    ['timestamp', () => g.timestamp()],
    ['amount', () => g.amount()],
    ['mobile-in-word', () => `A${g.mobile()}`],
    ['mobile-longer', () => `${g.mobile()}${g.digits(3)}`],
    ['mobile-underscore', () => `user_${g.mobile()}`],
    ['mobile-decimal', () => `${g.mobile()}.${g.digits(2)}`],
    ['id-in-word', () => `X${g.residentId()}9`],
    ['card-in-word', () => `NO${g.bankCard()}`],
    ['uscc-in-word', () => `${g.uscc()}A`],
    ['mobile-bad-prefix', () => `1${g.pick(['0', '1', '2'])}${g.digits(9)}`],
    ['passport-lowercase', () => `e${g.digits(8)}`],
    ['passport-short', () => `E${g.digits(7)}`],
    ['ipv4-out-of-range', () => `${g.int(256, 999)}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(0, 255)}`],
    ['version-string', () => `${g.int(1, 9)}.${g.int(0, 9)}.${g.int(0, 9)}.${g.int(0, 9)}.${g.int(0, 9)}`],
    ['time', () => `${g.pad(g.int(0, 23), 2)}:${g.pad(g.int(0, 59), 2)}:${g.pad(g.int(0, 59), 2)}`],
    ['mac', () => Array.from({ length: 6 }, () => g.pad(g.int(0, 255), 2)).join(':')],
    ['plate-lowercase', () => `粤b${g.digits(5)}`],
    ['plate-all-letters', () => `京ABCDEF`],
    ['email-no-tld', () => `zhang@localhost`],
    ['date-without-context', () => g.dob()],
    ['full-width-order', () => fullWidth(g.orderNumber())],
  ];
  for (const [kind, make] of negatives) {
    for (let i = 0; i < perType; i++) out.push({ text: `${g.pick(PREFIXES)}${make()}${g.pick(SUFFIXES)}`, labels: [], kind });
  }
  return out;
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
}

function score(items: Labelled[], found: Finding[][]): { byType: Map<TypeId, Score>; errors: Map<TypeId, string[]> } {
  const byType = new Map<TypeId, Score>();
  const s = (t: TypeId) => {
    let x = byType.get(t);
    if (!x) {
      x = { tp: 0, fp: 0, fn: 0 };
      byType.set(t, x);
    }
    return x;
  };
  const errors = new Map<TypeId, string[]>();
  const note = (t: TypeId, msg: string) => {
    const list = errors.get(t) ?? [];
    if (list.length < 8) list.push(msg);
    errors.set(t, list);
  };
  items.forEach((item, i) => {
    const got = found[i];
    const matched = new Set<number>();
    for (const l of item.labels) {
      const k = got.findIndex((f, j) => !matched.has(j) && f.type === l.type && f.start === l.start && f.end === l.end);
      if (k >= 0) {
        matched.add(k);
        s(l.type).tp++;
      } else {
        s(l.type).fn++;
        note(l.type, `missed ${l.type} in ${JSON.stringify(item.text)} (${item.kind}); got ${JSON.stringify(got)}`);
      }
    }
    got.forEach((f, j) => {
      if (matched.has(j)) return;
      s(f.type).fp++;
      note(f.type, `false ${f.type} [${f.start},${f.end}) in ${JSON.stringify(item.text)} (${item.kind})`);
    });
  });
  return { byType, errors };
}

const FORMAT_TYPES: TypeId[] = [
  'CN_RESIDENT_ID',
  'CN_USCC',
  'CN_ORG_CODE',
  'CN_MOBILE',
  'CN_LANDLINE',
  'BANK_CARD',
  'CN_PASSPORT',
  'CN_HK_MACAU_PERMIT',
  'CN_LICENSE_PLATE',
  'EMAIL',
  'IPV4',
  'IPV6',
  'DATE_OF_BIRTH',
];

describe('accuracy on the labelled corpus (CLS-2, issue 4)', () => {
  const items = corpus(20250601, 400);

  it('has precision and recall ≥ 0.99 for every checksum- or format-defined type (per-text path)', () => {
    const found = items.map((it) => scanText(it.text, { asOf: AS_OF }).map((m) => ({ ...m, row: 0, column: '' })));
    const { byType, errors } = score(items, found);
    const lines: string[] = [];
    for (const t of FORMAT_TYPES) {
      const x = byType.get(t) ?? { tp: 0, fp: 0, fn: 0 };
      const precision = x.tp / Math.max(1, x.tp + x.fp);
      const recall = x.tp / Math.max(1, x.tp + x.fn);
      if (x.fp + x.fn > 0) lines.push(...(errors.get(t) ?? []).map((e) => `    ${e}`));
      lines.push(
        `${t.padEnd(20)} tp ${String(x.tp).padStart(5)} fp ${String(x.fp).padStart(3)} fn ${String(x.fn).padStart(3)}  P ${precision.toFixed(4)} R ${recall.toFixed(4)}`,
      );
      expect(x.tp, `${t} has positives`).toBeGreaterThan(100);
      const why = (errors.get(t) ?? []).join('\n');
      expect(precision, `${t} precision\n${why}`).toBeGreaterThanOrEqual(0.99);
      expect(recall, `${t} recall\n${why}`).toBeGreaterThanOrEqual(0.99);
    }
    for (const t of byType.keys()) if (!FORMAT_TYPES.includes(t)) expect(byType.get(t)?.fp, `unexpected ${t}: ${(errors.get(t) ?? []).join('\n')}`).toBe(0);
    console.log(`accuracy (${items.length} texts)\n${lines.join('\n')}`);
  });

  it('finds exactly the same on the CSV fast path as on the per-text path', () => {
    const csv = `text\n${items.map((it) => csvField(it.text)).join('\n')}\n`;
    const fast: Finding[] = [];
    const report = scanCsvBuffer([Buffer.from(csv)], { asOf: AS_OF, onFinding: (f) => fast.push(f) });
    expect(report.rows).toBe(items.length);
    const slow = items.flatMap((it, i) => scanText(it.text, { asOf: AS_OF, columnName: 'text' }).map((m) => ({ row: i + 1, column: 'text', ...m })));
    const byRow = (list: Finding[]) => {
      const m = new Map<number, string>();
      for (const f of list) m.set(f.row, `${m.get(f.row) ?? ''}${f.type}[${f.start},${f.end})@${f.confidence} `);
      return m;
    };
    const a = byRow(fast);
    const b = byRow(slow);
    const differing = items.map((it, i) => ({ text: it.text, fast: a.get(i + 1), slow: b.get(i + 1) })).filter((d) => d.fast !== d.slow);
    expect(differing.slice(0, 5)).toEqual([]);
    expect(fast.length).toBe(slow.length);
    expect(report.normalisedCells).toBeGreaterThan(100); // the full-width texts took the normalising path
  });
});

describe('names and addresses (column level; reported separately)', () => {
  it('finds names and addresses in named columns and infers unnamed ones', () => {
    const g = new Gen(7);
    const n = 2000;
    const notNames = [
      '不详',
      '无',
      '同上',
      '本人',
      '北京',
      '上海市',
      '有限公司',
      '科技园',
      '高新技术',
      '东方红',
      '王府井大街',
      '人民医院',
      '已核实',
      '男',
      '汉族',
    ];
    const notAddresses = ['深圳市星河科技有限公司', '城市管理和综合执法局', '已按规定办理完毕', '市民服务热线', '区人民政府办公室', '高新区社区服务中心'];
    const rows: string[][] = [];
    const truth: { name: boolean; address: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      const isName = i % 10 !== 0;
      const isAddress = i % 10 !== 0;
      rows.push([
        isName ? g.name() : g.pick(notNames),
        isAddress ? g.address() : g.pick(notAddresses),
        g.name(),
        g.address(),
        g.pick(notNames),
        g.pick(notAddresses),
      ]);
      truth.push({ name: isName, address: isAddress });
    }
    const csv = `xm,jzdz,c1,c2,c3,c4\n${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
    const findings: Finding[] = [];
    const report = scanCsvBuffer([Buffer.from(csv)], { asOf: AS_OF, onFinding: (f) => findings.push(f) });
    const cell = (type: TypeId, column: string) => new Set(findings.filter((f) => f.type === type && f.column === column).map((f) => f.row));
    const pr = (found: Set<number>, want: (i: number) => boolean) => {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (let i = 0; i < n; i++) {
        const f = found.has(i + 1);
        if (f && want(i)) tp++;
        else if (f) fp++;
        else if (want(i)) fn++;
      }
      return { precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn) };
    };
    const names = pr(cell('CN_NAME', 'xm'), (i) => truth[i].name);
    const addresses = pr(cell('CN_ADDRESS', 'jzdz'), (i) => truth[i].address);
    const col = (name: string) => report.columns.find((c) => c.name === name);
    const typesOf = (name: string) => (col(name)?.proposal.types ?? []).filter((t) => t.confidence >= 0.5).map((t) => t.type);
    console.log(
      [
        `CN_NAME (column xm, cell level):      precision ${names.precision.toFixed(3)} recall ${names.recall.toFixed(3)}`,
        `CN_ADDRESS (column jzdz, cell level): precision ${addresses.precision.toFixed(3)} recall ${addresses.recall.toFixed(3)}`,
        `unnamed name column c1 → ${typesOf('c1').join(', ') || 'nothing'}; address column c2 → ${typesOf('c2').join(', ') || 'nothing'}`,
        `negative columns c3 → ${typesOf('c3').join(', ') || 'nothing'}; c4 → ${typesOf('c4').join(', ') || 'nothing'}`,
      ].join('\n'),
    );
    expect(names.precision).toBeGreaterThanOrEqual(0.9);
    expect(names.recall).toBeGreaterThanOrEqual(0.95);
    expect(addresses.precision).toBeGreaterThanOrEqual(0.9);
    expect(addresses.recall).toBeGreaterThanOrEqual(0.95);
    expect(typesOf('c1')).toContain('CN_NAME');
    expect(typesOf('c2')).toContain('CN_ADDRESS');
    expect(typesOf('c3')).not.toContain('CN_NAME');
    expect(typesOf('c4')).not.toContain('CN_ADDRESS');
    // Unnamed columns get no cell-level name/address findings (column level only).
    expect(cell('CN_NAME', 'c1').size).toBe(0);
  });
});
