/** Exact (ε, δ) of the composed, non-subsampled Gaussian mechanism via its privacy-loss distribution (Balle & Wang 2018). */
import { assertInRange, assertInt, assertNonNegative, describeValue } from '../../../common/assert.js';
import { logNdtr, ndtr } from '../../math/log-erfc.js';

/** A Gaussian mechanism with noise multiplier σ applied `count` times to the full dataset (no sampling). */
export interface GaussianComposition {
  /** σ ≥ 0 (noise std / L2 sensitivity); 0 means no noise, so δ = 1 for every ε. */
  readonly noiseMultiplier: number;
  /** Number of compositions, a positive integer; default 1. */
  readonly count?: number;
}

function muOf(fn: string, mech: GaussianComposition): number {
  if (typeof mech !== 'object' || mech === null) throw new TypeError(`${fn}: "mechanism" expected object, got ${describeValue(mech)}`);
  assertNonNegative(fn, 'noiseMultiplier', mech.noiseMultiplier);
  const count = mech.count === undefined ? 1 : mech.count;
  assertInt(fn, 'count', count, 1);
  // T Gaussians with std σ compose exactly into one with std σ/√T: μ = √T/σ (Dong, Roth, Su 2019).
  return Math.sqrt(count) / mech.noiseMultiplier;
}

/** δ(ε) for μ-GDP, clamped to [0, 1] (the subtraction can round a hair below 0 far in the tail). */
function deltaForMu(epsilon: number, mu: number): number {
  if (mu === Infinity) return 1;
  if (mu === 0) return 0;
  const a = ndtr(-epsilon / mu + mu / 2);
  const b = Math.exp(epsilon + logNdtr(-epsilon / mu - mu / 2));
  return Math.min(1, Math.max(0, a - b));
}

/**
 * The exact δ at which the composed Gaussian mechanism is ε-DP (add-or-remove-one, Balle & Wang 2018
 * Thm 8): `δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2)` with `μ = √count / σ`. Tight: no accountant
 * can report a smaller δ for these steps. Paper: https://arxiv.org/abs/1805.06530
 *
 * @param epsilon - ε ≥ 0, finite.
 * @param mechanism - σ and the number of compositions.
 * @returns δ in [0, 1].
 * @throws {TypeError | RangeError} on a bad argument.
 * @example gaussianPldDelta(1, { noiseMultiplier: 1 }) // ≈ 0.12693673750664392
 * @example gaussianPldDelta(1, { noiseMultiplier: Math.sqrt(3), count: 3 }) // the same μ = 1
 */
export function gaussianPldDelta(epsilon: number, mechanism: GaussianComposition): number {
  assertNonNegative('gaussianPldDelta', 'epsilon', epsilon);
  return deltaForMu(epsilon, muOf('gaussianPldDelta', mechanism));
}

/**
 * The smallest ε (to a relative 1e-12, rounded up) at which the composed Gaussian mechanism is
 * (ε, δ)-DP, by bisection on the exact δ(ε), which decreases in ε. The returned ε is never below the
 * exact value (bracket's upper end).
 *
 * @param delta - target δ in (0, 1).
 * @param mechanism - σ and the number of compositions.
 * @returns ε ≥ 0 (Infinity when σ = 0).
 * @throws {TypeError | RangeError} on a bad argument.
 * @example gaussianPldEpsilon(0.12693673750664392, { noiseMultiplier: 1 }) // ≈ 1
 */
export function gaussianPldEpsilon(delta: number, mechanism: GaussianComposition): number {
  assertInRange('gaussianPldEpsilon', 'delta', delta, 0, 1, { lo: true, hi: true });
  const mu = muOf('gaussianPldEpsilon', mechanism);
  if (mu === Infinity) return Infinity;
  if (deltaForMu(0, mu) <= delta) return 0;
  let lo = 0;
  let hi = 1;
  while (deltaForMu(hi, mu) > delta) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-12 * hi) {
    const mid = (lo + hi) / 2;
    if (deltaForMu(mid, mu) > delta) lo = mid;
    else hi = mid;
  }
  return hi;
}
