import { describe, expect, it } from 'vitest';
import { type EvidenceGroup, log10BestPossible, log10TailBound } from './stats.ts';
import { rng } from './test-data.ts';

function binomialPmf(n: number, p: number): number[] {
  const out = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array(out.length + 1).fill(0);
    out.forEach((q, k) => {
      next[k] += q * (1 - p);
      next[k + 1] += q * p;
    });
    out.splice(0, out.length, ...next);
  }
  return out;
}

/** Exact P(W ≥ observed W), W = Σ_g ln(1/p_g)·(agreements in g), by enumerating the three groups' counts. */
function exactTail(groups: [EvidenceGroup, EvidenceGroup, EvidenceGroup]): number {
  const [a, b, c] = groups.map((g) => ({ pmf: binomialPmf(g.n, g.p), w: -Math.log(g.p), agree: g.agree })) as [
    { pmf: number[]; w: number; agree: number },
    { pmf: number[]; w: number; agree: number },
    { pmf: number[]; w: number; agree: number },
  ];
  const observed = a.agree * a.w + b.agree * b.w + c.agree * c.w;
  let tail = 0;
  a.pmf.forEach((pa, i) => {
    b.pmf.forEach((pb, j) => {
      c.pmf.forEach((pc, k) => {
        if (i * a.w + j * b.w + k * c.w >= observed - 1e-9) tail += pa * pb * pc;
      });
    });
  });
  return tail;
}

describe('PRT-8 false-attribution bound (Chernoff)', () => {
  it('is never below the exact tail, and close to it', () => {
    const r = rng(3);
    for (let t = 0; t < 150; t++) {
      const groups: [EvidenceGroup, EvidenceGroup, EvidenceGroup] = [
        { n: Math.floor(r() * 30), agree: 0, p: 1 / 98 },
        { n: Math.floor(r() * 30), agree: 0, p: 1 / 29 },
        { n: Math.floor(r() * 40), agree: 0, p: 0.5 },
      ];
      // agreements from chance up to all: a third of the draws agree at random, the rest somewhat more
      for (const g of groups) g.agree = Math.min(g.n, Math.floor(r() * (g.n + 1) * (t % 3 === 0 ? g.p * 2 : 1)));
      const exact = Math.log10(exactTail(groups));
      const bound = log10TailBound(groups);
      expect(bound, JSON.stringify(groups)).toBeGreaterThanOrEqual(exact - 1e-9);
      // Chernoff is within a modest factor of the truth in the tail (here: at most 2.5 decades)
      if (exact < -3) expect(bound - exact).toBeLessThan(2.5);
    }
  });

  it('weighs rare agreements more: 100 pseudonym matches are not drowned by 100 decimal disagreements', () => {
    const b = log10TailBound([
      { n: 100, agree: 1, p: 1 / 98 },
      { n: 100, agree: 100, p: 1e-15 },
    ]);
    expect(b).toBeLessThan(-1400);
  });

  it('is exact when every observation agrees, and 1 when agreements are no more than chance', () => {
    const all: EvidenceGroup[] = [
      { n: 100, agree: 100, p: 1 / 98 },
      { n: 10, agree: 10, p: 0.5 },
    ];
    expect(log10TailBound(all)).toBeCloseTo(100 * Math.log10(1 / 98) + 10 * Math.log10(0.5), 9);
    expect(log10TailBound(all)).toBeCloseTo(log10BestPossible(all), 9);
    expect(log10TailBound([{ n: 100, agree: 1, p: 1 / 98 }])).toBe(0);
    expect(log10TailBound([{ n: 100, agree: 50, p: 0.5 }])).toBe(0);
    expect(log10TailBound([])).toBe(0);
  });

  it('holds its level on chance data: bounds ≤ 0.01 occur at most 1% of the time', () => {
    const r = rng(8);
    let small = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const groups: EvidenceGroup[] = [
        { n: 80, agree: 0, p: 1 / 29 },
        { n: 120, agree: 0, p: 0.5 },
      ];
      for (const g of groups) for (let i = 0; i < g.n; i++) if (r() < g.p) g.agree++;
      if (log10TailBound(groups) <= -2) small++;
    }
    expect(small / trials).toBeLessThanOrEqual(0.01);
  });

  it('handles overwhelming evidence without underflow', () => {
    const b = log10TailBound([
      { n: 5000, agree: 4990, p: 1 / 98 },
      { n: 10, agree: 10, p: 1e-15 },
    ]);
    expect(Number.isFinite(b)).toBe(true);
    expect(b).toBeLessThan(-9000);
  });
});
