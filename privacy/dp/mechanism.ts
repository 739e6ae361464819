/** The PrivacyMechanism contract (clip + noise one update) and the fixed-clip Gaussian mechanism. */
import { assertInRange, assertPositive, describeValue } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import type { Weights } from '../../common/weights.js';
import { clipWeights } from './clip.js';
import { addGaussianNoise } from './gaussian.js';

/**
 * What one application of a mechanism costs in privacy, as the accountant needs it:
 * a Gaussian with noise multiplier z (noise std / sensitivity) applied to a Poisson sample with rate q.
 */
export interface MechanismStep {
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
}

/**
 * Turns one update into a privatised update. Pure apart from `rng`; never modifies its input.
 * Implementations document their sensitivity and the noise they add, so that the reported
 * `step` is exactly what an accountant must compose.
 */
export interface PrivacyMechanism {
  /** Short stable name for logs and the audit trail, e.g. 'gaussian-fixed-clip'. */
  readonly name: string;
  /** Clips `update` to the configured L2 norm and adds calibrated noise. Pure apart from `rng`. */
  privatize(update: Weights, rng: RandomSource): { readonly update: Weights; readonly step: MechanismStep };
}

/** Settings of {@link gaussianMechanism}. */
export interface GaussianMechanismOptions {
  /** L2 bound C: one number (flat clipping) or one per tensor (per-layer; sensitivity sqrt(Σ C_j²)). */
  readonly clippingNorm: number | readonly number[];
  /** z > 0: the noise std is z times the sensitivity. */
  readonly noiseMultiplier: number;
  /** Poisson sampling rate q of whoever is privatised (clients per round / clients), in (0, 1]; default 1. */
  readonly sampleRate?: number;
}

/**
 * The Gaussian mechanism with a fixed clip: `clip(Δ, C) + N(0, (z·S)² I)` where S = C for flat
 * clipping and S = sqrt(Σ C_j²) for per-layer clipping. Noise comes from the secure sampler
 * (sum of four normals, see gaussian.ts). Reports `{ noiseMultiplier: z, sampleRate: q }` per call.
 * @throws TypeError / RangeError on invalid options (non-positive norm or z, q outside (0, 1]).
 */
export function gaussianMechanism(options: GaussianMechanismOptions): PrivacyMechanism {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`gaussianMechanism: "options" expected object, got ${describeValue(options)}`);
  }
  const { clippingNorm, noiseMultiplier, sampleRate = 1 } = options;
  let sensitivity: number;
  if (Array.isArray(clippingNorm)) {
    const norms = clippingNorm as readonly unknown[];
    if (norms.length === 0) throw new RangeError('gaussianMechanism: "clippingNorm" expected non-empty per-layer list, got array(0)');
    let squares = 0;
    norms.forEach((c, j) => {
      assertPositive('gaussianMechanism', `clippingNorm[${j}]`, c);
      squares += c * c;
    });
    sensitivity = Math.sqrt(squares);
  } else {
    assertPositive('gaussianMechanism', 'clippingNorm', clippingNorm);
    sensitivity = clippingNorm as number;
  }
  assertPositive('gaussianMechanism', 'noiseMultiplier', noiseMultiplier);
  assertInRange('gaussianMechanism', 'sampleRate', sampleRate, 0, 1, { lo: true });
  const perLayer = Array.isArray(clippingNorm) ? [...(clippingNorm as readonly number[])] : undefined;
  const std = noiseMultiplier * sensitivity;
  const step: MechanismStep = { noiseMultiplier, sampleRate };

  return {
    name: 'gaussian-fixed-clip',
    privatize(update: Weights, rng: RandomSource) {
      const { weights } = clipWeights(update, perLayer ?? sensitivity);
      // clipWeights returned fresh arrays, so noising them in place leaves `update` untouched.
      for (const t of weights) addGaussianNoise(rng, t.values, std);
      return { update: weights, step };
    },
  };
}
