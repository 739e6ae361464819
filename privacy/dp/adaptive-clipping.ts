/** Adaptive clipping (Andrew et al. 2021) in TF Privacy's direction: the clip tracks a target quantile of update norms. */
import { assertInRange, assertInt, assertNonNegative, assertPositive, describeValue } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import { sampleGaussian } from './gaussian.js';

/** The state carried from round to round. Plain data: store it as JSON. */
export interface AdaptiveClipState {
  /** The clip C used for this round's updates and noise. */
  readonly clippingNorm: number;
  /** γ: the fraction of updates meant to stay *unclipped*, in (0, 1); default 0.5 (the median). */
  readonly targetQuantile: number;
  /** η for the geometric update C ← C·exp(−η(b̃ − γ)); default 0.2. */
  readonly learningRate: number;
  /** m: expected clients per round; the count is normalised by m, not by the (private) actual count. */
  readonly expectedClients: number;
  /** σ_b: std of the Gaussian noise on the unclipped count; default m/20. */
  readonly countNoiseStd: number;
}

/** Settings for {@link initAdaptiveClip}; only `expectedClients` is required. */
export interface AdaptiveClipOptions {
  readonly expectedClients: number;
  /** Default 0.1 (TFF `gaussian_adaptive`). */
  readonly initialClippingNorm?: number;
  readonly targetQuantile?: number;
  readonly learningRate?: number;
  readonly countNoiseStd?: number;
}

/**
 * The starting state, with TF Privacy / TFF defaults: C₀ = 0.1, γ = 0.5, η = 0.2, σ_b = m/20.
 * @throws TypeError / RangeError for invalid settings (m not a positive integer, γ outside (0, 1),
 *   η < 0, C₀ or σ_b not positive and finite).
 */
export function initAdaptiveClip(options: AdaptiveClipOptions): AdaptiveClipState {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`initAdaptiveClip: "options" expected object, got ${describeValue(options)}`);
  }
  const { expectedClients, initialClippingNorm = 0.1, targetQuantile = 0.5, learningRate = 0.2 } = options;
  assertInt('initAdaptiveClip', 'expectedClients', expectedClients, 1);
  const countNoiseStd = options.countNoiseStd === undefined ? expectedClients / 20 : options.countNoiseStd;
  assertPositive('initAdaptiveClip', 'initialClippingNorm', initialClippingNorm);
  assertInRange('initAdaptiveClip', 'targetQuantile', targetQuantile, 0, 1, { lo: true, hi: true });
  assertNonNegative('initAdaptiveClip', 'learningRate', learningRate);
  assertPositive('initAdaptiveClip', 'countNoiseStd', countNoiseStd);
  return { clippingNorm: initialClippingNorm, targetQuantile, learningRate, expectedClients, countNoiseStd };
}

/**
 * b̃ = clamp((Σ_i (b_i − ½) + N(0, σ_b²)) / m + ½, 0, 1) with b_i = 1[‖Δ_i‖ ≤ C].
 * The ±½ shift makes the count's sensitivity ½ (adding or removing one client moves the sum by ½).
 * @param norms the L2 norms of this round's *unclipped* updates (one per participating client).
 * @throws TypeError / RangeError for a non-array or a negative/NaN norm.
 */
export function noisyUnclippedFraction(state: AdaptiveClipState, norms: readonly number[], rng: RandomSource): number {
  if (!Array.isArray(norms)) throw new TypeError(`noisyUnclippedFraction: "norms" expected array of numbers, got ${describeValue(norms)}`);
  let shifted = 0;
  norms.forEach((n: unknown, i) => {
    assertNonNegative('noisyUnclippedFraction', `norms[${i}]`, n);
    shifted += (n <= state.clippingNorm ? 1 : 0) - 0.5;
  });
  const noisy = (shifted + sampleGaussian(rng, state.countNoiseStd)) / state.expectedClients + 0.5;
  return Math.min(1, Math.max(0, noisy));
}

/**
 * The geometric update C ← C·exp(−η(b̃ − γ)): when fewer than γ of the updates were unclipped
 * (b̃ < γ) the clip grows, when more were (b̃ > γ) it shrinks. The new clip applies from the next round.
 * @throws RangeError when b̃ is outside [0, 1].
 */
export function updateClippingNorm(state: AdaptiveClipState, unclippedFraction: number): AdaptiveClipState {
  assertInRange('updateClippingNorm', 'unclippedFraction', unclippedFraction, 0, 1);
  const clippingNorm = state.clippingNorm * Math.exp(-state.learningRate * (unclippedFraction - state.targetQuantile));
  return { ...state, clippingNorm };
}

/**
 * One round of adaptive clipping: the noisy unclipped fraction from this round's norms and the
 * state for the next round. This round's updates are clipped (and noised) with `state.clippingNorm`.
 */
export function adaptiveClipRound(
  state: AdaptiveClipState,
  norms: readonly number[],
  rng: RandomSource,
): { readonly unclippedFraction: number; readonly next: AdaptiveClipState } {
  const unclippedFraction = noisyUnclippedFraction(state, norms, rng);
  return { unclippedFraction, next: updateClippingNorm(state, unclippedFraction) };
}

/**
 * The noise multiplier left for the clipped sum once the count query takes its share:
 * z_Δ = (z^−2 − (2σ_b)^−2)^−1/2, so that the pair (sum with z_Δ, count with σ_b and sensitivity ½)
 * composes to one Gaussian with multiplier z. Account with z; add noise z_Δ·C to the sum.
 * @param noiseMultiplier z, the total target multiplier.
 * @param countNoiseStd σ_b.
 * @throws RangeError when z ≥ 2σ_b (the count alone would already spend the whole budget).
 */
export function splitNoiseMultiplier(noiseMultiplier: number, countNoiseStd: number): number {
  assertPositive('splitNoiseMultiplier', 'noiseMultiplier', noiseMultiplier);
  assertPositive('splitNoiseMultiplier', 'countNoiseStd', countNoiseStd);
  if (noiseMultiplier >= 2 * countNoiseStd) {
    throw new RangeError(
      `splitNoiseMultiplier: "noiseMultiplier" expected < 2·countNoiseStd = ${2 * countNoiseStd}, got ${noiseMultiplier}`,
    );
  }
  return (noiseMultiplier ** -2 - (2 * countNoiseStd) ** -2) ** -0.5;
}
