// Generators of realistic Chinese government data for the accuracy tests and the benchmark: valid
// identifiers (computed check characters, real date rules) and the hard negatives that look like them.
// Seeded, so a failing test can be reproduced. Not used by the scanner itself.
import { makeUscc } from '../identifiers/uscc.ts';
import { PROVINCE_CODES, residentIdCheckChar } from './checks.ts';
import { PLATE_PROVINCES } from './cjk.ts';

export class Gen {
  private s: number;
  constructor(seed = 1) {
    this.s = seed >>> 0;
  }

  /** mulberry32 */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return s;
  }
  pad(v: number, n: number): string {
    return String(v).padStart(n, '0');
  }

  region(): string {
    return `${this.pick(PROVINCE_CODES)}${this.pad(this.int(1, 20), 2)}${this.pad(this.int(1, 30), 2)}`;
  }
  date(fromYear: number, toYear: number): [number, number, number] {
    const y = this.int(fromYear, toYear);
    const m = this.int(1, 12);
    const dim = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    return [y, m, this.int(1, dim)];
  }
  ymd([y, m, d]: [number, number, number], sep = ''): string {
    return `${y}${sep}${this.pad(m, 2)}${sep}${this.pad(d, 2)}`;
  }

  /** A valid 18-character resident ID born in [from, to]. */
  residentId(from = 1940, to = 2005): string {
    const first17 = `${this.region()}${this.ymd(this.date(from, to))}${this.digits(3)}`;
    return first17 + residentIdCheckChar(first17);
  }
  /** Same shape, wrong check character. */
  residentIdBadCheck(): string {
    const id = this.residentId();
    const chars = '0123456789X';
    let c = id[17];
    while (c === id[17]) c = this.pick([...chars]);
    return id.slice(0, 17) + c;
  }
  /** Impossible birth date (e.g. 19990230), correct check character for it. */
  residentIdBadDate(): string {
    const y = this.int(1950, 2000);
    const [m, d] = this.pick([
      [2, 30],
      [2, 31],
      [4, 31],
      [13, 1],
      [0, 10],
      [6, 0],
    ] as const);
    const first17 = `${this.region()}${y}${this.pad(m, 2)}${this.pad(d, 2)}${this.digits(3)}`;
    return first17 + residentIdCheckChar(first17);
  }
  legacyId15(): string {
    const [y, m, d] = this.date(1930, 1990);
    return `${this.region()}${String(y).slice(2)}${this.pad(m, 2)}${this.pad(d, 2)}${this.digits(3)}`;
  }

  mobile(): string {
    return `1${this.int(3, 9)}${this.digits(9)}`;
  }
  mobileFormatted(): string {
    const m = this.mobile();
    const style = this.int(0, 3);
    if (style === 0) return `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`;
    if (style === 1) return `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`;
    if (style === 2) return `+86 ${m}`;
    return `+86-${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`;
  }
  landline(): string {
    const area = this.pick([
      '010',
      '020',
      '021',
      '022',
      '023',
      '024',
      '025',
      '027',
      '028',
      '029',
      '0755',
      '0571',
      '0512',
      '0731',
      '0591',
      '0871',
      '0351',
      '0451',
    ]);
    const local = `${this.int(2, 8)}${this.digits(area.length === 3 ? 7 : this.pick([6, 7]))}`;
    return this.pick([`${area}-${local}`, `(${area})${local}`, `${area} ${local}`]);
  }

  private luhnComplete(body: string): string {
    let sum = 0;
    let dbl = true;
    for (let i = body.length - 1; i >= 0; i--) {
      let v = body.charCodeAt(i) - 48;
      if (dbl) {
        v *= 2;
        if (v > 9) v -= 9;
      }
      sum += v;
      dbl = !dbl;
    }
    return body + String((10 - (sum % 10)) % 10);
  }
  bankCard(): string {
    const [bin, len] = this.pick([
      ['622202', 19],
      ['621700', 19],
      ['622848', 19],
      ['621661', 19],
      ['601382', 19],
      ['622588', 16],
      ['436742', 16],
      ['524094', 16],
      ['356833', 16],
    ] as const);
    return this.luhnComplete(bin + this.digits(len - bin.length - 1));
  }
  bankCardGrouped(): string {
    const c = this.bankCard();
    return c.replace(/(\d{4})(?=\d)/g, '$1 ');
  }
  /** A non-UnionPay card number with a wrong Luhn digit. */
  bankCardBadLuhn(): string {
    const c = this.pick(['436742', '524094', '356833']) + this.digits(9);
    const ok = this.luhnComplete(c);
    return ok.slice(0, 15) + String((Number(ok[15]) + this.int(1, 9)) % 10);
  }

  private uscChar(): string {
    return this.pick([...'0123456789ABCDEFGHJKLMNPQRTUWXY']);
  }
  uscc(): string {
    let body = '';
    for (let i = 0; i < 8; i++) body += this.chance(0.8) ? this.digits(1) : this.uscChar();
    for (;;) {
      const code = makeUscc(this.pick(['91', '92', '93', '11', '12', '52', '51']), this.region(), body);
      if (/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return code;
      body = body.slice(1) + this.digits(1);
    }
  }
  usccBadCheck(): string {
    const u = this.uscc();
    let c = u[17];
    while (c === u[17]) c = this.uscChar();
    return u.slice(0, 17) + c;
  }
  orgCode(): string {
    const u = this.uscc();
    return `${u.slice(8, 16)}-${u[16]}`;
  }
  passport(): string {
    return this.pick([`E${this.digits(8)}`, `E${this.pick([...'ABCDEFGHJKLMNPQRSTUVWXYZ'])}${this.digits(7)}`, `G${this.digits(8)}`]);
  }
  hkMacauPermit(): string {
    return this.pick([`C${this.digits(8)}`, `H${this.digits(8)}`, `M${this.digits(8)}`]);
  }
  plate(): string {
    const p = this.pick([...PLATE_PROVINCES]);
    const letter = this.pick([...'ABCDEFGHJKLMNPQRSTUVWXYZ']);
    const L = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
    if (this.chance(0.2)) return `${p}${letter}${this.pick(['D', 'F'])}${this.pick([...L, ...'0123456789'])}${this.digits(4)}`;
    let tail = this.digits(5).split('');
    const letters = this.int(0, 2);
    for (let i = 0; i < letters; i++) tail[this.int(0, 4)] = this.pick([...L]);
    tail = tail.slice(0, 5);
    return `${p}${letter}${tail.join('')}`;
  }
  email(): string {
    const user =
      this.pick(['zhangwei', 'wang.fang', 'li_na', 'liuyang', 'chen.jie', 'yang-li', 'zhao1988', 'huang.min', 'wu_qiang']) +
      (this.chance(0.5) ? this.digits(this.int(1, 4)) : '');
    return `${user}@${this.pick(['qq.com', '163.com', '126.com', 'sina.com', 'gov.cn', 'szgov.gov.cn', 'example.com.cn', 'foxmail.com'])}`;
  }
  ipv4(): string {
    return this.pick([
      `192.168.${this.int(0, 255)}.${this.int(1, 254)}`,
      `10.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`,
      `${this.int(1, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`,
    ]);
  }
  ipv6(): string {
    const g = () => this.int(0, 0xffff).toString(16);
    return this.pick([`2001:db8:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`, `fe80::${g()}:${g()}:${g()}:${g()}`, `2408:8207:${g()}::${g()}`]);
  }

  name(): string {
    const sur = this.pick([...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘']);
    const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文辉鹏飞宇浩然子涵欣怡梓轩诗雨';
    const n = this.chance(0.7) ? 2 : 1;
    let s = sur;
    for (let i = 0; i < n; i++) s += this.pick([...given]);
    return s;
  }
  address(): string {
    const [prov, cities] = this.pick([
      ['广东省', ['深圳市', '广州市', '东莞市']],
      ['浙江省', ['杭州市', '宁波市']],
      ['江苏省', ['南京市', '苏州市']],
      ['四川省', ['成都市', '绵阳市']],
      ['', ['北京市', '上海市', '天津市', '重庆市']],
    ] as const);
    const city = this.pick(cities);
    const district = this.pick(['南山区', '福田区', '西湖区', '鼓楼区', '武侯区', '朝阳区', '浦东新区', '江北区', '高新区']);
    const road = this.pick(['科技园路', '人民路', '建设大道', '中山路', '解放街', '学府路', '滨江大道', '新华街']);
    const tail = this.chance(0.6) ? `${this.int(1, 30)}栋${this.int(1, 30)}${this.pad(this.int(1, 20), 2)}室` : '';
    return `${prov}${city}${district}${road}${this.int(1, 999)}号${tail}`;
  }
  dob(): string {
    return this.ymd(this.date(1940, 2015), '-');
  }

  // ---- hard negatives ----
  orderNumber(): string {
    return this.pick([
      `${this.ymd(this.date(2019, 2024))}${this.digits(this.int(8, 11))}`,
      `DD${this.ymd(this.date(2019, 2024))}${this.digits(6)}`,
      `NO.${this.digits(12)}`,
    ]);
  }
  timestamp(): string {
    const [y, m, d] = this.date(2019, 2024);
    const hms = `${this.pad(this.int(0, 23), 2)}:${this.pad(this.int(0, 59), 2)}:${this.pad(this.int(0, 59), 2)}`;
    return this.pick([
      `${y}-${this.pad(m, 2)}-${this.pad(d, 2)} ${hms}`,
      `${this.ymd([y, m, d])}${hms.replace(/:/g, '')}`,
      String(1546300800000 + this.int(0, 1e9) * 157),
    ]);
  }
  amount(): string {
    return `${this.int(0, 999999)}.${this.digits(2)}`;
  }
}

/** Full-width form of the ASCII letters, digits and punctuation in s (what NFKC undoes). */
export function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** One CSV field (quoted when needed). */
export function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
