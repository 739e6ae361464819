/** Statistics helpers for the sampler tests: moments, the normal CDF, Kolmogorov–Smirnov and chi-square goodness of fit. */

/** Sample mean and (unbiased) variance, accumulated in float64. */
export function moments(xs: ArrayLike<number>): { readonly mean: number; readonly variance: number } {
  const n = xs.length;
  let mean = 0;
  let m2 = 0;
  // Welford: stable for large n and large offsets.
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  return { mean, variance: m2 / (n - 1) };
}

/** Fraction of samples with |x − center| > bound. */
export function tailFraction(xs: ArrayLike<number>, bound: number, center = 0): number {
  let k = 0;
  for (let i = 0; i < xs.length; i++) if (Math.abs((xs[i] as number) - center) > bound) k++;
  return k / xs.length;
}

/**
 * erfc(x) for x ≥ 0 via the Numerical Recipes Chebyshev fit (relative error < 1.2e-7),
 * enough for goodness-of-fit tests at n ≤ 10^7.
 */
function erfcPositive(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(poly);
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const tail = 0.5 * erfcPositive(z);
  return x >= 0 ? 1 - tail : tail;
}

/**
 * Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of `xs` against a continuous CDF.
 * Sorts a copy.
 */
export function ksStatistic(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i] as number);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** KS critical value at significance 0.001 (asymptotic: 1.949 / √n). */
export function ksCritical(n: number): number {
  return 1.949 / Math.sqrt(n);
}

/**
 * Chi-square goodness of fit of integer samples against a probability mass function.
 * Values whose expected count is below 5 are pooled into the two tails.
 * @returns the statistic, the degrees of freedom and the critical value at significance ≈ 0.0005
 *   (Wilson–Hilferty approximation of the chi-square quantile).
 */
export function chiSquareInt(
  xs: ArrayLike<number>,
  pmf: (k: number) => number,
  lo: number,
  hi: number,
): { readonly statistic: number; readonly df: number; readonly critical: number } {
  const n = xs.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(xs[i] as number, (counts.get(xs[i] as number) ?? 0) + 1);
  // Bins: (−∞, a], a+1 … b−1, [b, ∞) where a and b are the outermost values with expected count ≥ 5.
  let a = lo;
  while (pmf(a) * n < 5 && a < hi) a++;
  let b = hi;
  while (pmf(b) * n < 5 && b > a) b--;
  const bins: { observed: number; expected: number }[] = [];
  let lowExp = 0;
  for (let k = lo; k <= a; k++) lowExp += pmf(k);
  let lowObs = 0;
  let highObs = 0;
  for (const [k, c] of counts) {
    if (k <= a) lowObs += c;
    else if (k >= b) highObs += c;
  }
  let highExp = 0;
  for (let k = b; k <= hi; k++) highExp += pmf(k);
  bins.push({ observed: lowObs, expected: lowExp * n });
  for (let k = a + 1; k < b; k++) bins.push({ observed: counts.get(k) ?? 0, expected: pmf(k) * n });
  bins.push({ observed: highObs, expected: highExp * n });
  let statistic = 0;
  for (const { observed, expected } of bins) statistic += (observed - expected) ** 2 / expected;
  const df = bins.length - 1;
  const z = 3.29;
  const critical = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
  return { statistic, df, critical };
}
