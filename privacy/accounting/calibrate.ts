/** noiseMultiplierFor: the smallest noise multiplier (to a stated tolerance) whose RDP ε stays at or below a target. */
import { assertInRange, assertInt, assertPositive, describeValue } from '../../common/assert.js';
import { FedfinError } from '../../common/errors.js';
import { DEFAULT_RDP_ORDERS, assertOrders } from './orders.js';
import { computeRdp, rdpToEpsilon } from './rdp-analysis.js';

/** Relative tolerance in ε: the returned σ gives ε in [target·(1 − EPSILON_RTOL), target]. */
export const EPSILON_RTOL = 1e-4;
/** The largest σ searched; a target needing more noise than this is reported as unreachable. */
export const MAX_NOISE_MULTIPLIER = 2 ** 20;

/** The target ε cannot be met by any σ ≤ MAX_NOISE_MULTIPLIER (code `config-invalid`: the request itself is unsatisfiable). */
export class UnreachableEpsilonError extends FedfinError {
  constructor(
    readonly targetEpsilon: number,
    readonly delta: number,
    readonly bestEpsilon: number,
  ) {
    super(
      'config-invalid',
      `target epsilon ${targetEpsilon} at delta ${delta} is unreachable: even noise multiplier ${MAX_NOISE_MULTIPLIER} gives epsilon ${bestEpsilon}`,
    );
  }
}

/** Inputs of {@link noiseMultiplierFor}. */
export interface CalibrationTarget {
  /** ε to stay at or below; > 0. */
  readonly targetEpsilon: number;
  /** δ in (0, 1). */
  readonly delta: number;
  /** Poisson sampling probability q in (0, 1]. */
  readonly sampleRate: number;
  /** Number of steps, a positive integer. */
  readonly steps: number;
  /** RDP orders; default DEFAULT_RDP_ORDERS. */
  readonly orders?: readonly number[];
}

/**
 * Finds the noise multiplier σ for a target (ε, δ) after `steps` Poisson-subsampled Gaussian steps,
 * by doubling then bisection on σ (Opacus `get_noise_multiplier`), with a tighter stopping rule:
 * the search stops once ε(σ) is within a RELATIVE 1e-4 of the target ({@link EPSILON_RTOL}; Opacus uses
 * an absolute 0.01), or when the σ bracket has collapsed to 1e-12 relative. It NEVER overshoots:
 * the returned σ is always the upper end of the bracket, whose ε was checked to be ≤ target.
 *
 * @returns σ with ε(σ) ≤ targetEpsilon.
 * @throws {TypeError | RangeError} on a bad argument.
 * @throws {UnreachableEpsilonError} when even σ = 2^20 exceeds the target.
 * @example noiseMultiplierFor({ targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: 2000 }) // ≈ 1.356
 */
export function noiseMultiplierFor(target: CalibrationTarget): number {
  const fn = 'noiseMultiplierFor';
  if (typeof target !== 'object' || target === null) throw new TypeError(`${fn}: "target" expected object, got ${describeValue(target)}`);
  const { targetEpsilon, delta, sampleRate, steps } = target;
  assertPositive(fn, 'targetEpsilon', targetEpsilon);
  assertInRange(fn, 'delta', delta, 0, 1, { lo: true, hi: true });
  assertInRange(fn, 'sampleRate', sampleRate, 0, 1, { lo: true });
  assertInt(fn, 'steps', steps, 1);
  const orders = target.orders ?? DEFAULT_RDP_ORDERS;
  assertOrders(fn, orders);
  const eps = (sigma: number): number => rdpToEpsilon(orders, computeRdp(sampleRate, sigma, steps, orders), delta).epsilon;

  let hi = 1;
  let epsHi = eps(hi);
  while (epsHi > targetEpsilon) {
    if (hi >= MAX_NOISE_MULTIPLIER) throw new UnreachableEpsilonError(targetEpsilon, delta, epsHi);
    hi *= 2;
    epsHi = eps(hi);
  }
  let lo = 0; // σ = 0 gives ε = ∞, always above the target
  while (targetEpsilon - epsHi > EPSILON_RTOL * targetEpsilon && hi - lo > 1e-12 * hi) {
    const mid = (lo + hi) / 2;
    const e = eps(mid);
    if (e <= targetEpsilon) {
      hi = mid;
      epsHi = e;
    } else lo = mid;
  }
  return hi;
}
