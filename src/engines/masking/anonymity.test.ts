// LIF-7: k-anonymity and l-diversity checks and the generalisation search for open-data releases, on tables
// whose answer is known by construction and against a brute-force pass over the whole lattice.
import { describe, expect, it } from 'vitest';
import { AnonymityOptionsError, applyGeneralisation, checkAnonymity, type QuasiIdentifier, searchGeneralisation } from './anonymity.ts';
import { HierarchyError } from './hierarchy.ts';

/**
 * 8 five-year age bands × 2 genders × 2 four-digit postcode prefixes, 3 rows each: at (5-year band, gender,
 * 4-digit prefix) every class has exactly 3 rows, while exact ages and exact postcodes are all distinct within
 * a class. Diseases are distinct within each class except the (20-24, F, 5181) class, which is all 'flu'.
 */
function knownTable(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let band = 20; band < 60; band += 5) {
    for (const [g, gender] of ['M', 'F'].entries()) {
      for (const zip4 of ['5180', '5181']) {
        for (let j = 0; j < 3; j++) {
          const allFlu = band === 20 && gender === 'F' && zip4 === '5181';
          rows.push({
            age: band + j,
            gender,
            zip: `${zip4}${g * 3 + j}${band / 5}`,
            disease: allFlu ? 'flu' : ['flu', 'asthma', 'diabetes'][j],
          });
        }
      }
    }
  }
  return rows;
}

const QIS: QuasiIdentifier[] = [
  { field: 'age', hierarchy: { type: 'number', widths: [5, 10] } },
  { field: 'gender', hierarchy: { type: 'suppress' } },
  { field: 'zip', hierarchy: { type: 'prefix', keep: [4, 2] } },
];

/** Every lattice node checked directly with applyGeneralisation + checkAnonymity: the reference answer. */
function bruteForceMinimal(rows: Record<string, unknown>[], k: number, l: number | undefined, maxSuppression: number): string[] {
  const heights = [4, 2, 4];
  const ok = new Set<string>();
  for (let a = 0; a < heights[0]!; a++)
    for (let g = 0; g < heights[1]!; g++)
      for (let z = 0; z < heights[2]!; z++) {
        const levels = { age: a, gender: g, zip: z };
        const applied = applyGeneralisation(rows, { quasiIdentifiers: QIS, levels, k, l, sensitive: l ? 'disease' : undefined });
        if (applied.suppressedRows <= maxSuppression) ok.add(`${a}${g}${z}`);
      }
  return [...ok].filter((node) => {
    const [a, g, z] = [...node].map(Number) as [number, number, number];
    return ![`${a - 1}${g}${z}`, `${a}${g - 1}${z}`, `${a}${g}${z - 1}`].some((p) => ok.has(p));
  });
}

const key = (levels: Record<string, number>) => `${levels.age}${levels.gender}${levels.zip}`;

describe('checkAnonymity (LIF-7)', () => {
  it('counts classes, the smallest class and the rows below k, never values', () => {
    const rows = [
      { a: 1, b: 'x' },
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'x' },
      { a: 2, b: 'x' },
    ];
    const r = checkAnonymity(rows, { quasiIdentifiers: ['a', 'b'], k: 2 });
    expect(r).toEqual({ rows: 6, classes: 3, smallestClass: 1, violatingClasses: 1, violatingRows: 1, kAnonymous: false, lDiversity: null });
    expect(checkAnonymity(rows, { quasiIdentifiers: ['a'], k: 3 }).kAnonymous).toBe(true);
    expect(JSON.stringify(r)).not.toContain('"x"');
  });

  it('detects an l-diversity violation: a class whose sensitive values are all the same', () => {
    const rows = applyGeneralisation(knownTable(), { quasiIdentifiers: QIS, levels: { age: 1, gender: 0, zip: 1 }, k: 1 }).rows;
    const r = checkAnonymity(rows, { quasiIdentifiers: ['age', 'gender', 'zip'], sensitive: 'disease', k: 3, l: 2 });
    expect(r.kAnonymous).toBe(true);
    expect(r.smallestClass).toBe(3);
    expect(r.lDiversity).toEqual({ l: 2, smallestDistinct: 1, violatingClasses: 1, violatingRows: 3, lDiverse: false });
  });

  it('treats null and missing values as one group and refuses bad options', () => {
    expect(checkAnonymity([{ a: null }, {}, { a: undefined }], { quasiIdentifiers: ['a'], k: 3 }).kAnonymous).toBe(true);
    expect(() => checkAnonymity([], { quasiIdentifiers: ['a'], k: 0 })).toThrow(AnonymityOptionsError);
    expect(() => checkAnonymity([], { quasiIdentifiers: ['a'], k: 2, l: 2 })).toThrow('sensitive');
  });
});

describe('searchGeneralisation (LIF-7)', () => {
  it('finds the generalisation known by construction: 5-year bands, gender kept, 4-digit postcodes', () => {
    const rows = knownTable();
    const r = searchGeneralisation(rows, { quasiIdentifiers: QIS, k: 3, maxSuppression: 0 });
    expect(r.found).toBe(true);
    expect(r.best?.levels).toEqual({ age: 1, gender: 0, zip: 1 });
    expect(r.best?.levelNames).toEqual({ age: 'band-5', gender: 'exact', zip: 'prefix-4' });
    expect(r.best?.suppressedRows).toBe(0);
    expect(r.best?.smallestClass).toBe(3);
    expect(r.best?.classes).toBe(32);
    expect(r.best?.loss).toBeCloseTo((1 / 3 + 0 + 1 / 3) / 3, 10);
    expect(r.latticeSize).toBe(32);
    expect(r.complete).toBe(true);
    // Pruning: fewer evaluations than lattice nodes.
    expect(r.evaluated).toBeLessThan(r.latticeSize);
    const applied = applyGeneralisation(rows, { quasiIdentifiers: QIS, levels: r.best!.levels, k: 3 });
    expect(checkAnonymity(applied.rows, { quasiIdentifiers: ['age', 'gender', 'zip'], k: 3 }).smallestClass).toBe(3);
    expect(applied.rows[0]).toMatchObject({ age: '20-24', gender: 'M', zip: '5180' });
  });

  it('returns exactly the minimal nodes a brute-force pass finds', () => {
    const rows = knownTable();
    for (const [k, l, s] of [
      [3, undefined, 0],
      [4, undefined, 0],
      [6, undefined, 0],
      [3, 2, 0],
      [3, 2, 3],
      [7, undefined, 20],
    ] as const) {
      const r = searchGeneralisation(rows, { quasiIdentifiers: QIS, k, l, sensitive: l ? 'disease' : undefined, maxSuppression: s });
      expect(r.minimal.map((n) => key(n.levels)).sort(), `k=${k} l=${l} s=${s}`).toEqual(bruteForceMinimal(rows, k, l, s).sort());
    }
  });

  it('suppresses the all-flu class when allowed, and generalises further when not (l-diversity)', () => {
    const rows = knownTable();
    const allowed = searchGeneralisation(rows, { quasiIdentifiers: QIS, k: 3, l: 2, sensitive: 'disease', maxSuppression: 3 });
    expect(allowed.best?.levels).toEqual({ age: 1, gender: 0, zip: 1 });
    expect(allowed.best?.suppressedRows).toBe(3);
    const strict = searchGeneralisation(rows, { quasiIdentifiers: QIS, k: 3, l: 2, sensitive: 'disease', maxSuppression: 0 });
    expect(strict.best?.suppressedRows).toBe(0);
    expect(strict.best!.precisionLoss).toBeGreaterThan(allowed.best!.precisionLoss);
    const applied = applyGeneralisation(rows, { quasiIdentifiers: QIS, levels: strict.best!.levels, k: 3, l: 2, sensitive: 'disease' });
    expect(applied.suppressedRows).toBe(0);
    expect(checkAnonymity(applied.rows, { quasiIdentifiers: ['age', 'gender', 'zip'], sensitive: 'disease', k: 3, l: 2 }).lDiversity?.lDiverse).toBe(true);
  });

  it('uses outlier suppression within the allowance', () => {
    const rows = [...knownTable(), { age: 99, gender: 'M', zip: '999999', disease: 'flu' }];
    expect(searchGeneralisation(rows, { quasiIdentifiers: QIS, k: 3, maxSuppression: 1 }).best).toMatchObject({
      levels: { age: 1, gender: 0, zip: 1 },
      suppressedRows: 1,
    });
    const none = searchGeneralisation(rows, { quasiIdentifiers: QIS, k: 3, maxSuppression: 0 });
    expect(none.best?.suppressedRows).toBe(0);
    expect(none.best!.loss).toBeGreaterThan(2 / 9);
  });

  it('reports no solution when even full generalisation fails', () => {
    const r = searchGeneralisation(knownTable().slice(0, 4), { quasiIdentifiers: QIS, k: 5, maxSuppression: 0 });
    expect(r).toMatchObject({ found: false, best: null, evaluated: 1 });
  });

  it('stops at maxEvaluations and says so', () => {
    const r = searchGeneralisation(knownTable(), { quasiIdentifiers: QIS, k: 3, maxSuppression: 0, maxEvaluations: 3 });
    expect(r.complete).toBe(false);
    expect(r.evaluated).toBeLessThanOrEqual(4);
  });

  it('generalises dates and addresses through their hierarchies', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      birth: `19${80 + (i % 3)}-0${1 + (i % 2)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      address: ['广东省深圳市南山区粤海街道1号', '广东省深圳市福田区沙头街道2号', '广东省广州市天河区3号'][i % 3],
    }));
    const r = searchGeneralisation(rows, {
      quasiIdentifiers: [
        { field: 'birth', hierarchy: { type: 'date' } },
        { field: 'address', hierarchy: { type: 'address' } },
      ],
      k: 10,
      maxSuppression: 0,
    });
    expect(r.best?.levelNames).toEqual({ birth: 'month', address: 'exact' });
    const applied = applyGeneralisation(rows, { quasiIdentifiers: [{ field: 'birth', hierarchy: { type: 'date' } }], levels: { birth: 2 }, k: 1 });
    expect(applied.rows[0]?.birth).toBe('1980');
  });

  it('refuses hierarchies that do not nest, checked on the data', () => {
    expect(() =>
      searchGeneralisation(knownTable(), { quasiIdentifiers: [{ field: 'age', hierarchy: { type: 'number', widths: [5, 7] } }], k: 2, maxSuppression: 0 }),
    ).toThrow(HierarchyError);
    const badMap: QuasiIdentifier = {
      field: 'gender',
      hierarchy: {
        type: 'map',
        levels: [
          { M: 'person', F: 'person' },
          { M: 'a', F: 'b' },
        ],
      },
    };
    expect(() => searchGeneralisation(knownTable(), { quasiIdentifiers: [badMap], k: 2, maxSuppression: 0 })).toThrow('does not nest');
  });
});
