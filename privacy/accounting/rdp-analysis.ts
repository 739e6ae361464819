/** Pure RDP math: RDP of the Poisson-subsampled Gaussian per order, and RDP → (ε, δ) conversion with dp_accounting's guards. */
import { assertInRange, assertInt, assertNonNegative, describeValue } from '../../common/assert.js';
import { assertOrders } from './orders.js';
import { computeLogA } from './rdp-log-a.js';

/** An (ε or δ) value together with the RDP order that achieved it. */
export interface OptimalOrder {
  /** The order α at which the bound is tightest; 0 when no order applies (dp_accounting's convention for δ = 0). */
  readonly order: number;
}

/**
 * RDP of ONE step of the Poisson-subsampled Gaussian mechanism at each order (Mironov 2017;
 * Mironov, Talwar, Zhang 2019), in dp_accounting's conventions:
 * q = 0 → 0; σ = 0 or α = ∞ → ∞; q = 1 → α/(2σ²); otherwise log(A_α)/(α − 1), with fractional orders
 * summed conservatively (see computeLogAFrac). Order α = 1 with 0 < q < 1 gives ∞ (an order the
 * conversion cannot use anyway, since it needs α > 1.01).
 *
 * @param sampleRate - Poisson sampling probability q in [0, 1].
 * @param noiseMultiplier - σ = noise std / L2 sensitivity, ≥ 0.
 * @param orders - RDP orders, each ≥ 1 (Infinity allowed).
 * @returns the RDP at each order (may contain Infinity, never NaN).
 * @throws {TypeError | RangeError} on a bad argument.
 * @example computeRdpStep(1, 2, [2, 4]) // Float64Array [0.25, 0.5]
 */
export function computeRdpStep(sampleRate: number, noiseMultiplier: number, orders: readonly number[]): Float64Array {
  assertInRange('computeRdpStep', 'sampleRate', sampleRate, 0, 1);
  assertNonNegative('computeRdpStep', 'noiseMultiplier', noiseMultiplier);
  assertOrders('computeRdpStep', orders);
  const out = new Float64Array(orders.length);
  for (let k = 0; k < orders.length; k++) {
    const alpha = orders[k] as number;
    if (sampleRate === 0) out[k] = 0;
    else if (alpha === Infinity || noiseMultiplier === 0) out[k] = Infinity;
    else if (sampleRate === 1) out[k] = alpha / (2 * noiseMultiplier ** 2);
    else if (alpha === 1) out[k] = Infinity;
    else out[k] = computeLogA(sampleRate, noiseMultiplier, alpha) / (alpha - 1);
  }
  return out;
}

/**
 * RDP of `steps` identical steps (RDP composes additively, so this is `steps ×` the one-step RDP).
 * Heterogeneous runs add the vectors of each kind of step per order (see RdpAccountant).
 *
 * @param sampleRate - Poisson sampling probability q in [0, 1].
 * @param noiseMultiplier - σ ≥ 0.
 * @param steps - number of steps, a non-negative integer.
 * @param orders - RDP orders, each ≥ 1.
 * @example computeRdp(0.1, 2, 10, [5])[0] // ≈ 0.07736968489795912 (TF Privacy's classic value)
 */
export function computeRdp(sampleRate: number, noiseMultiplier: number, steps: number, orders: readonly number[]): Float64Array {
  assertInt('computeRdp', 'steps', steps, 0);
  const rdp = computeRdpStep(sampleRate, noiseMultiplier, orders);
  for (let k = 0; k < rdp.length; k++) rdp[k] = steps === 0 ? 0 : steps * (rdp[k] as number);
  return rdp;
}

function assertRdp(fn: string, orders: readonly number[], rdp: ArrayLike<number>): void {
  assertOrders(fn, orders);
  if (!(rdp instanceof Float64Array) && !Array.isArray(rdp)) throw new TypeError(`${fn}: "rdp" expected Float64Array or number array, got ${describeValue(rdp)}`);
  if (rdp.length !== orders.length) throw new RangeError(`${fn}: "rdp" expected ${orders.length} values (one per order), got ${rdp.length}`);
  for (let k = 0; k < rdp.length; k++) {
    const r: unknown = rdp[k];
    if (typeof r !== 'number') throw new TypeError(`${fn}: "rdp[${k}]" expected number, got ${describeValue(r)}`);
    if (Number.isNaN(r)) throw new RangeError(`${fn}: "rdp[${k}]" expected number (not NaN), got NaN`);
  }
}

/**
 * Converts an RDP curve to (ε, δ)-DP: ε = min over orders of
 * `r + log(1 − 1/α) − (log δ + log α)/(α − 1)` (Balle et al. 2020 Thm 21; Canonne, Kamath, Steinke 2020
 * Prop. 12), with every guard of dp_accounting `compute_epsilon`: δ = 0 → ε = 0 if all r = 0 else ∞;
 * r < 0 (numerical noise) → 0; the KL bound `δ² + expm1(−r) > 0` → 0; the formula only for α > 1.01,
 * else ∞; result `max(0, min)`. Ties go to the first order, as numpy's argmin.
 *
 * @param orders - the orders of `rdp`.
 * @param rdp - RDP per order (Infinity allowed, NaN not).
 * @param delta - target δ in [0, 1).
 * @returns ε ≥ 0 (Infinity if no order gives a finite bound) and the optimal order.
 * @example rdpToEpsilon([2, 3, 32], [1.1, 1.1, 1.1], 1e-5) // { epsilon: ≈ 1.4716, order: 32 }
 */
export function rdpToEpsilon(orders: readonly number[], rdp: ArrayLike<number>, delta: number): OptimalOrder & { readonly epsilon: number } {
  assertInRange('rdpToEpsilon', 'delta', delta, 0, 1, { hi: true });
  assertRdp('rdpToEpsilon', orders, rdp);
  if (delta === 0) {
    for (let k = 0; k < rdp.length; k++) if (rdp[k] !== 0) return { epsilon: Infinity, order: 0 };
    return { epsilon: 0, order: 0 };
  }
  let best = Infinity;
  let bestK = 0;
  for (let k = 0; k < orders.length; k++) {
    const a = orders[k] as number;
    const r = rdp[k] as number;
    let eps: number;
    if (r < 0) eps = 0;
    else if (delta ** 2 + Math.expm1(-r) > 0) eps = 0;
    else if (a > 1.01) eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
    else eps = Infinity;
    if (Number.isNaN(eps)) eps = Infinity; // α = ∞ with r = ∞
    if (eps < best) {
      best = eps;
      bestK = k;
    }
  }
  return { epsilon: Math.max(0, best), order: orders[bestK] as number };
}

/**
 * δ for a target ε from an RDP curve, as dp_accounting `compute_delta`:
 * `log δ_α = min(½·log1p(−e^{−r}), (α−1)(r − ε + log1p(−1/α)) − log α)` (second term only for
 * α > 1.01; r ≤ 0 gives δ_α = 0), δ = min(exp(min_α log δ_α), 1).
 *
 * @param orders - the orders of `rdp`.
 * @param rdp - RDP per order.
 * @param epsilon - target ε ≥ 0 (finite).
 * @returns δ in [0, 1] and the optimal order.
 * @example rdpToDelta([2, 3, 32], [1.1, 1.1, 1.1], 1.32783806176).delta // ≈ 1e-5 (with orders 2..32)
 */
export function rdpToDelta(orders: readonly number[], rdp: ArrayLike<number>, epsilon: number): OptimalOrder & { readonly delta: number } {
  assertNonNegative('rdpToDelta', 'epsilon', epsilon);
  assertRdp('rdpToDelta', orders, rdp);
  let best = Infinity;
  let bestK = 0;
  for (let k = 0; k < orders.length; k++) {
    const a = orders[k] as number;
    const r = rdp[k] as number;
    let logDelta = r <= 0 ? -Infinity : 0.5 * Math.log1p(-Math.exp(-r));
    if (a > 1.01) {
      const bound = (a - 1) * (r - epsilon + Math.log1p(-1 / a)) - Math.log(a);
      if (bound < logDelta) logDelta = bound;
    }
    if (logDelta < best) {
      best = logDelta;
      bestK = k;
    }
  }
  return { delta: Math.min(Math.exp(best), 1), order: orders[bestK] as number };
}
