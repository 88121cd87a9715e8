// The demo city's data: synthetic residents (seeded, so every demo looks the same) for the approved demo
// resource, loaded through the dataset store like any institution's data, so the protection page, masked
// previews, test copies and tracing have something to show. Every value is invented: resident ID numbers
// are checksum-valid but built from a counter, phone numbers are in an unassigned-looking sequence.
import type { LoadSource } from './datasets.service.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '林', '郑', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '志强'];
const STREETS = ['五四路', '东街', '杨桥中路', '湖东路', '古田路', '华林路', '铜盘路', '乌山路'];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A small deterministic generator (mulberry32): the same demo every time. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function residentId(body17: string): string {
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(body17[i]), 0);
  return body17 + ('10X98765432'[sum % 11] as string);
}

export function demoResidents(count = 240): Record<string, string>[] {
  const r = rng(20261126);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const year = 1950 + Math.floor(r() * 55);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    rows.push({
      xm: pick(SURNAMES) + pick(GIVEN),
      sfzh: residentId(`350102${birth}${String(100 + i).padStart(3, '0')}`),
      csrq: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      hjdz: `示范市鼓楼区${pick(STREETS)}${1 + Math.floor(r() * 300)}号`,
      lxdh: `1380591${String(1000 + i).padStart(4, '0')}`,
    });
  }
  return rows;
}

export function demoSource(rows: Record<string, string>[]): LoadSource {
  return {
    kind: 'csv',
    name: '常住人口基本信息（演示数据）.csv',
    columns: Object.keys(rows[0] ?? {}),
    rows: (async function* () {
      let line = 0;
      for (const values of rows) yield { line: ++line, values };
    })(),
  };
}
