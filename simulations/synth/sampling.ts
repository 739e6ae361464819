/** Seeded sampling helpers for synthetic data: Gaussian (Box–Muller), log-normal, Poisson, categorical. */
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';

/**
 * A RandomReader with the distributions the generators need. Every draw comes from the wrapped
 * seeded stream, so a seed fixes every value.
 */
export class Sampler {
  readonly reader: RandomReader;
  private spare: number | undefined;

  /** @param seed any integer or string, passed to `seededRandom`. */
  constructor(seed: number | string) {
    this.reader = new RandomReader(seededRandom(seed), 1 << 16);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.reader.uniform();
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.reader.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return this.reader.int(n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.reader.uniform() < p;
  }

  /** Standard normal; Box–Muller, caching the second variate of each pair. */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return mean + sd * z;
    }
    const r = Math.sqrt(-2 * Math.log(this.reader.uniformPositive()));
    const theta = 2 * Math.PI * this.reader.uniform();
    this.spare = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  }

  /** exp(N(mu, sigma)). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(this.reader.uniformPositive());
  }

  /** Poisson(lambda): Knuth's product method below 30, a rounded normal above (accurate enough there). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = this.reader.uniform();
    while (p > l) {
      k++;
      p *= this.reader.uniform();
    }
    return k;
  }

  /** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
  choiceIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.reader.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** A value drawn with probability proportional to its weight. */
  choice<T>(values: readonly T[], weights?: readonly number[]): T {
    if (!weights) return values[this.reader.int(values.length)]!;
    return values[this.choiceIndex(weights)]!;
  }

  /** A string of `n` characters drawn uniformly from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.reader.int(alphabet.length)];
    return out;
  }
}

/** Logistic function 1 / (1 + e^-x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Clamps x into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Rounds to `digits` decimals (half away from zero as Math.round does for positives). */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Weights blended between a shared population and a bank's own: (1 - skew)·shared + skew·own. */
export function blend(shared: readonly number[], own: readonly number[], skew: number): number[] {
  return shared.map((s, i) => (1 - skew) * s + skew * (own[i] ?? s));
}
