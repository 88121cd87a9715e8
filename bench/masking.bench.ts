// Masking throughput (PRT-4): a generated 10-column table (name, resident ID, mobile, address, bank card,
// email, birth date, amount, plate, free text) masked row by row as the data-service gateway does, against
// plain JSON.stringify of the same rows (the least the gateway does to each row anyway). Goal: ≥ 0.5×.
// A second result masks the same table for a test copy (keyed tokens and pseudonyms, DG-15).
import { compileMasker, type MaskField, type MaskScenario } from '../src/engines/masking/index.ts';
import type { BenchResult } from './run.ts';

const ROWS = 20_000;

/** A small deterministic generator (mulberry32), so every run masks the same table. */
function generator(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
const PLACES = [
  ['广东省', '深圳市', ['南山区', '福田区', '宝安区'], ['粤海街道', '沙河街道', '新安街道']],
  ['浙江省', '杭州市', ['西湖区', '余杭区'], ['北山街道', '五常街道']],
  ['四川省', '成都市', ['武侯区', '锦江区'], ['浆洗街街道', '春熙路街道']],
  ['北京市', '', ['朝阳区', '海淀区'], ['建外街道', '中关村街道']],
] as const;
const ROADS = ['科技园路', '人民路', '中山大道', '建设路', '解放路'];
const PHRASES = ['客户来电咨询社保转移事宜', '已按规定办理并电话回访', '申请材料齐全，转交窗口处理', '核验身份后补发证件', '办理不动产登记，材料待补正'];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function residentId(rnd: (n: number) => number): string {
  const body = `${['11', '31', '44', '51'][rnd(4)]}0${rnd(9) + 1}0${rnd(9) + 1}${1950 + rnd(55)}${String(rnd(12) + 1).padStart(2, '0')}${String(rnd(28) + 1).padStart(2, '0')}${String(rnd(999) + 1).padStart(3, '0')}`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * (WEIGHTS[i] as number), 0);
  return body + ('10X98765432'[sum % 11] as string);
}

function luhnCard(rnd: (n: number) => number): string {
  let body = `622202${Array.from({ length: 9 }, () => rnd(10)).join('')}`;
  let sum = 0;
  for (let i = body.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let v = Number(body[i]) * (dbl ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  body += String((10 - (sum % 10)) % 10);
  return body;
}

export function makeRows(n: number): Record<string, unknown>[] {
  const rnd = generator(20_240_501);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const place = PLACES[rnd(PLACES.length)] as (typeof PLACES)[number];
    const mobile = `1${'3589'[rnd(4)]}${String(rnd(1e9)).padStart(9, '0')}`;
    rows.push({
      name: (SURNAMES[rnd(SURNAMES.length)] as string) + (GIVEN[rnd(GIVEN.length)] as string) + (rnd(2) ? (GIVEN[rnd(GIVEN.length)] as string) : ''),
      residentId: residentId(rnd),
      mobile: i % 10 === 0 ? `+86 ${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}` : mobile,
      address: `${place[0]}${place[1]}${place[2][rnd(place[2].length)]}${place[3][rnd(place[3].length)]}${ROADS[rnd(ROADS.length)]}${rnd(300) + 1}号`,
      bankCard: luhnCard(rnd),
      email: `user${i}@${['qq.com', '163.com', 'example.gov.cn'][rnd(3)]}`,
      birthDate: `${1950 + rnd(55)}-${String(rnd(12) + 1).padStart(2, '0')}-${String(rnd(28) + 1).padStart(2, '0')}`,
      amount: Math.round(rnd(10_000_000)) / 100,
      plate: `粤B${String(rnd(100_000)).padStart(5, '0')}`,
      note: PHRASES[rnd(PHRASES.length)] + (rnd(2) ? PHRASES[rnd(PHRASES.length)] : ''),
    });
  }
  return rows;
}

export const BENCH_FIELDS: MaskField[] = [
  { name: 'name', target: 'name', level: 'general-3' },
  { name: 'residentId', target: 'resident_id', level: 'general-3' },
  { name: 'mobile', target: 'mobile', level: 'general-3' },
  { name: 'address', target: 'address', level: 'general-3' },
  { name: 'bankCard', target: 'bank_card', level: 'general-3' },
  { name: 'email', target: 'email', level: 'general-3' },
  { name: 'birthDate', target: 'birth_date', level: 'general-3' },
  { name: 'amount', target: 'decimal', level: 'general-3' },
  { name: 'plate', target: 'plate', level: 'general-3' },
  { name: 'note', target: 'text', level: 'general-3' },
];

/** Rows per second of `fn` over `rows`: the best of several timed passes (the machine is shared). */
function rowsPerSecond(rows: readonly Record<string, unknown>[], fn: (r: Record<string, unknown>) => unknown): number {
  let sink = 0;
  const pass = () => {
    const start = performance.now();
    for (const r of rows) if (fn(r) !== undefined) sink++;
    return performance.now() - start;
  };
  pass(); // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 7; i++) best = Math.min(best, pass());
  if (sink < 0) throw new Error('unreachable');
  return (rows.length * 1000) / best;
}

function benchScenario(scenario: MaskScenario, name: string, description: string): BenchResult {
  const rows = makeRows(ROWS);
  const masker = compileMasker({ scenario, rules: {} }, BENCH_FIELDS, Buffer.from('bench key: not a secret, 32 byte'));
  // Check first: every row masked, no fallbacks on valid data, and no identifier survives into the output.
  const masked = rows.map((r) => masker.row(r));
  let leaks = 0;
  masked.forEach((m, i) => {
    const text = JSON.stringify(m);
    for (const f of ['residentId', 'mobile', 'bankCard', 'email'] as const) if (text.includes(String((rows[i] as Record<string, unknown>)[f]))) leaks++;
  });
  const fallbacks = Object.values(masker.stats()).reduce((a, s) => a + s.fallback, 0);
  const anchorText = rows.map((r) => JSON.stringify(r));
  const checked =
    masked.length === rows.length && anchorText.length === rows.length && leaks === 0 && fallbacks === 0
      ? `${rows.length} rows masked and serialised; no row keeps its resident ID, mobile, card or email; 0 fallbacks`
      : `CHECK FAILED: ${masked.length} masked rows, ${leaks} leaked identifiers, ${fallbacks} fallbacks`;
  // Interleave the two sides so both see the same machine load.
  let ours = 0;
  let anchor = 0;
  for (let round = 0; round < 3; round++) {
    ours = Math.max(
      ours,
      rowsPerSecond(rows, (r) => masker.row(r)),
    );
    anchor = Math.max(
      anchor,
      rowsPerSecond(rows, (r) => JSON.stringify(r)),
    );
  }
  return {
    name,
    description,
    ours: { label: `shuan compileMasker(${scenario}).row`, opsPerSecond: ours },
    anchor: { label: 'JSON.stringify(row)', opsPerSecond: anchor },
    ratio: ours / anchor,
    checked,
    node: process.version,
    at: new Date().toISOString(),
  };
}

export function maskingBench(): BenchResult[] {
  return [
    benchScenario('sharing', 'masking-sharing-rows', `rows/s masking a ${ROWS}-row 10-column table with the sharing defaults (general-3: partial masks)`),
    benchScenario('test', 'masking-test-copy-rows', `rows/s masking the same table for a test copy (HMAC-SM3 tokens and pseudonyms)`),
  ];
}
