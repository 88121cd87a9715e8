// The decision statistic. If a leaked file did not come from delivery c, then c's table words are
// independent of the file (the mark key is secret and random), so each observation in a distinct slot
// agrees with c's mark independently with probability at most p_i. Agreements are weighed by what they
// are worth, w_i = ln(1/p_i) (a seconds agreement is rarer by chance than a width bit), and the statistic
// W = Σ w_i·[observation i agrees] is bounded by Chernoff:
//   P(W ≥ w) ≤ min_{λ≥0} exp(−λw) · Π_i (1 − p_i + p_i·e^{λ·w_i})
// That is the chance of so much agreement by accident. It is exact when every observation agrees.

export interface EvidenceGroup {
  /** Observations with the same chance of agreeing by accident. */
  n: number;
  /** Agreements among them. */
  agree: number;
  /** Chance that one observation agrees when the file is not from this delivery (0 < p < 1). */
  p: number;
}

const LN10 = Math.log(10);

/** ln(1 − p + p·e^t), stable for large t. */
function lnMgf(p: number, t: number): number {
  return t + Math.log(p + (1 - p) * Math.exp(-t));
}

/** log10 of the Chernoff bound on P(W ≥ observed W) when the file is not from this delivery; 0: no evidence. */
export function log10TailBound(groups: readonly EvidenceGroup[]): number {
  const gs = groups.filter((g) => g.n > 0 && g.p > 0 && g.p < 1);
  let w = 0;
  let mean = 0;
  let max = 0;
  let allAgree = 0;
  for (const g of gs) {
    const weight = -Math.log(g.p);
    w += g.agree * weight;
    mean += g.n * g.p * weight;
    max += g.n * weight;
    allAgree += g.n * Math.log(g.p);
  }
  if (gs.length === 0 || w <= mean) return 0;
  if (w >= max * (1 - 1e-12)) return allAgree / LN10; // P(every observation agrees) = Π p_i exactly
  // h(λ) = −λw + Σ n_g ln(1 − p_g + p_g e^{λ w_g}) is convex; its slope rises from mean − w < 0 towards
  // max − w > 0. Bracket the root of the slope, then Newton steps kept inside the bracket (bisection when a
  // step would leave it). Any λ ≥ 0 gives a valid bound, so an imperfect root only loosens it.
  const weights = gs.map((g) => -Math.log(g.p));
  const slope = (lambda: number): [number, number] => {
    let d1 = -w;
    let d2 = 0;
    for (let i = 0; i < gs.length; i++) {
      const g = gs[i]!;
      const weight = weights[i]!;
      const e = Math.exp(-lambda * weight);
      const den = g.p + (1 - g.p) * e;
      d1 += (g.n * g.p * weight) / den;
      d2 += (g.n * g.p * (1 - g.p) * weight * weight * e) / (den * den);
    }
    return [d1, d2];
  };
  let lo = 0;
  let hi = 1;
  while (slope(hi)[0] < 0 && hi < 1e6) {
    lo = hi;
    hi *= 2;
  }
  let lambda = (lo + hi) / 2;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const [d1, d2] = slope(lambda);
    if (Math.abs(d1) < 1e-10 * w) break;
    if (d1 < 0) lo = lambda;
    else hi = lambda;
    const newton = d2 > 0 ? lambda - d1 / d2 : Number.NaN;
    const next = newton > lo && newton < hi ? newton : (lo + hi) / 2;
    const settled = Math.abs(next - lambda) <= 1e-12 * Math.max(1, lambda);
    lambda = next;
    if (settled) break;
  }
  let s = -lambda * w;
  for (const g of gs) s += g.n * lnMgf(g.p, -lambda * Math.log(g.p));
  return Math.min(0, s) / LN10;
}

/** log10 of the smallest bound the observations could give if every one agreed (how much they can prove). */
export function log10BestPossible(groups: readonly EvidenceGroup[]): number {
  let s = 0;
  for (const g of groups) if (g.n > 0 && g.p > 0 && g.p < 1) s += g.n * Math.log(g.p);
  return s / LN10;
}
