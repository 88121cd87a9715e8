// Fixture for the watermark tests and benchmark (not used by the platform): a deterministic table of
// people-related rows, recipients with their own mark keys, grant keys and masking, and the masking a
// delivery applies before the mark. Pseudonyms and tokens here are HMAC-SM3 with the per-grant key, as the
// masking engine computes them.
import { createHmac } from 'node:crypto';
import type { Candidate, FieldSpec, MaskingKind } from './types.ts';

type Row = Record<string, unknown>;

/** mulberry32: small deterministic PRNG, so every trial is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

export function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

export function shuffle<T>(r: () => number, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

export function keyFrom(r: () => number, bytes = 32): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = Math.floor(r() * 256);
  return b;
}

// GB 11643 resident ID check character (domain.md §4).
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
export function residentIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}
export function isValidResidentId(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && residentIdCheck(id.slice(0, 17)) === id[17];
}

export const FIELDS: FieldSpec[] = [
  { name: 'xm', label: '姓名', dataType: 'string', piType: 'name' },
  { name: 'sfzh', label: '公民身份号码', dataType: 'string', piType: 'id_number' },
  { name: 'lxdh', label: '联系电话', dataType: 'string', piType: 'phone' },
  { name: 'jzdz', label: '居住地址', dataType: 'string', piType: 'address' },
  { name: 'je', label: '缴费金额', dataType: 'decimal', scale: 2 },
  { name: 'mj', label: '房屋面积', dataType: 'decimal', scale: 2 },
  { name: 'cs', label: '办理次数', dataType: 'integer' },
  { name: 'csrq', label: '出生日期', dataType: 'date', piType: 'birth_date' },
  { name: 'blsj', label: '办理时间', dataType: 'datetime', precision: 'minute' },
  { name: 'sfyx', label: '是否有效', dataType: 'boolean' },
  { name: 'bz', label: '备注', dataType: 'text' },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平', '刚', '桂'];
const REGIONS = ['110105', '110108', '310104', '310115', '440305', '440106', '330106', '510107', '420106', '320102'];
const CITIES = ['北京市朝阳区', '北京市海淀区', '上海市徐汇区', '上海市浦东新区', '深圳市南山区', '广州市天河区', '杭州市西湖区', '成都市武侯区'];
const ROADS = ['建国路', '中关村大街', '漕溪北路', '世纪大道', '科技园南路', '天河路', '文三路', '人民南路', '解放大道', '中山东路'];
const REMARKS: ((r: () => number) => string)[] = [
  (r) => `已于${int(r, 1, 12)}月${int(r, 1, 28)}日电话回访，无异常。`,
  (r) => `申请补办${int(r, 2, 5)}次，材料齐全`,
  (r) => `转办至${pick(r, ['A', 'B', 'C'])}区服务中心，${int(r, 1, 30)}个工作日内办结`,
  (r) => `联系人${pick(r, SURNAMES)}先生，电话1${int(r, 3, 9)}${String(int(r, 0, 999999999)).padStart(9, '0')}`,
  (r) => `窗口${int(r, 1, 20)}号受理；复核：通过`,
  () => '',
  () => '材料齐全，准予办理。',
];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `rows` people with names, resident IDs, phones, addresses, amounts, counts, dates, datetimes, remarks. */
export function makeTable(rows: number, seed = 1): Row[] {
  const r = rng(seed);
  const out: Row[] = [];
  for (let i = 0; i < rows; i++) {
    const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(r() * 55 * 365.25) * 86_400_000);
    const ymd = `${birth.getUTCFullYear()}${pad2(birth.getUTCMonth() + 1)}${pad2(birth.getUTCDate())}`;
    const first17 = `${pick(r, REGIONS)}${ymd}${String(int(r, 1, 999)).padStart(3, '0')}`;
    const cents = r() < 0.03 ? 0 : int(r, 1, 9_999_999);
    const minute = Date.UTC(2024, 0, 1) + Math.floor(r() * 366 * 24 * 60) * 60_000;
    out.push({
      xm: pick(r, SURNAMES) + pick(r, GIVEN) + (r() < 0.6 ? pick(r, GIVEN) : ''),
      sfzh: first17 + residentIdCheck(first17),
      lxdh: `1${int(r, 3, 9)}${String(int(r, 0, 999_999_999)).padStart(9, '0')}`,
      jzdz: `${pick(r, CITIES)}${pick(r, ROADS)}${int(r, 1, 999)}号${int(r, 1, 30)}号楼${int(r, 1, 6)}单元${int(r, 1, 32)}${pad2(int(r, 1, 8))}室`,
      je: `${Math.floor(cents / 100)}.${pad2(cents % 100)}`, // numeric from PostgreSQL arrives as text
      mj: int(r, 2000, 30000) / 100, // a JavaScript number
      cs: int(r, 0, 40),
      csrq: birth.toISOString().slice(0, 10),
      blsj: new Date(minute), // timestamptz arrives as a Date
      sfyx: r() < 0.9,
      bz: pick(r, REMARKS)(r),
    });
  }
  return out;
}

export interface Recipient {
  deliveryId: string;
  recipient: string;
  markKey: Buffer;
  grantKey: Buffer;
  masking: Record<string, MaskingKind>;
}

/** Masking profile number `i`: names, IDs, phones and addresses masked in different ways per recipient. */
export function maskingProfile(i: number, withPseudonyms: boolean): Record<string, MaskingKind> {
  const m: Record<string, MaskingKind> = {};
  m.xm = withPseudonyms && i % 2 === 0 ? 'pseudonym' : i % 3 === 0 ? 'partial' : 'none';
  m.sfzh = withPseudonyms && i % 2 === 1 ? 'token' : i % 4 === 0 ? 'partial' : 'none';
  m.lxdh = i % 5 === 0 ? 'partial' : 'none';
  m.jzdz = i % 7 === 0 ? 'partial' : 'none';
  return m;
}

export function fieldsFor(masking: Record<string, MaskingKind>): FieldSpec[] {
  return FIELDS.map((f) => ({ ...f, masking: masking[f.name] ?? 'none', valueSpaceBits: 64 }));
}

// Pseudonyms computed once per grant, field and value (the tracer's index and the trials ask for the same ones).
const pseudonymMemo = new WeakMap<Buffer, Map<string, string>>();

/** What the masking engine would deliver for this recipient (before the watermark). */
export function maskValue(rec: Pick<Recipient, 'grantKey' | 'masking'>, field: string, value: unknown): unknown {
  const kind = rec.masking[field] ?? 'none';
  if (kind === 'none' || value === null || value === undefined) return value;
  const s = String(value);
  if (kind === 'pseudonym' || kind === 'token') {
    let memo = pseudonymMemo.get(rec.grantKey);
    if (!memo) {
      memo = new Map();
      pseudonymMemo.set(rec.grantKey, memo);
    }
    const input = `${kind}\u0000${field}\u0000${s}`;
    let out = memo.get(input);
    if (out === undefined) {
      const h = createHmac('sm3', rec.grantKey).update(`${field}\u0000${s}`).digest('hex');
      out = (kind === 'token' ? 'T' : 'P') + h.slice(0, 16);
      memo.set(input, out);
    }
    return out;
  }
  if (kind === 'partial') {
    if (field === 'xm') return s.slice(0, 1) + '*'.repeat(s.length - 1);
    if (field === 'sfzh') return `${s.slice(0, 6)}********${s.slice(14)}`;
    if (field === 'lxdh') return `${s.slice(0, 3)}****${s.slice(7)}`;
    return `${s.slice(0, 6)}****`;
  }
  return value;
}

export function maskRow(rec: Pick<Recipient, 'grantKey' | 'masking'>, row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = maskValue(rec, k, v);
  return out;
}

export function makeRecipients(count: number, seed: number, prefix: string, pseudonymEvery: number): Recipient[] {
  const r = rng(seed);
  const out: Recipient[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      deliveryId: `${prefix}-d${i}`,
      recipient: `${prefix}-r${i}`,
      markKey: keyFrom(r),
      grantKey: keyFrom(r),
      masking: maskingProfile(i, pseudonymEvery > 0 && i % pseudonymEvery === 0),
    });
  }
  return out;
}

export function candidateOf(rec: Recipient): Candidate {
  return {
    deliveryId: rec.deliveryId,
    recipient: rec.recipient,
    markKey: rec.markKey,
    fields: fieldsFor(rec.masking),
    pseudonymOf: (field, original) => maskValue(rec, field.name, original),
  };
}
