/** log(A_α) of the Poisson-subsampled Gaussian (Mironov, Talwar, Zhang 2019), in dp_accounting's conventions. */
import { gammaln } from '../math/gammaln.js';
import { logErfc } from '../math/log-erfc.js';

/** dp_accounting `_MAX_STEPS_LOG_A_FRAC`: a fractional order that has not converged by then is given up (∞). */
export const MAX_LOG_A_FRAC_TERMS = 1000;

/**
 * log A_α for an integer order α ≥ 1 and 0 < q < 1:
 * `A_α = Σ_{i=0}^{α} C(α,i) (1−q)^{α−i} q^i exp((i² − i)/(2σ²))`, summed in log space.
 * Not guarded: callers (computeRdpStep) validate first.
 *
 * Paper: https://arxiv.org/abs/1908.10530 (Sec. 3.3)
 */
export function computeLogAInt(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mq = Math.log1p(-q);
  const twoSigma2 = 2 * sigma ** 2;
  const lf = logFactorials(alpha);
  const lfAlpha = lf[alpha]!;
  // Two passes (max, then Σ e^{t−max}) cost one exp per term instead of the exp + log1p of a running logAdd.
  const terms = scratch(alpha + 1);
  let max = -Infinity;
  let argmax = 0;
  for (let i = 0; i <= alpha; i++) {
    const logCoef = lfAlpha - lf[i]! - lf[alpha - i]! + i * logQ + (alpha - i) * log1mq;
    const t = logCoef + (i * i - i) / twoSigma2;
    terms[i] = t;
    if (t > max) {
      max = t;
      argmax = i;
    }
  }
  if (max === Infinity || max === -Infinity) return max;
  // The largest term is left out of the sum and log1p used: A_α is often 1 + tiny, where log(sum) would lose it.
  let rest = 0;
  for (let i = 0; i <= alpha; i++) if (i !== argmax) rest += Math.exp(terms[i]! - max);
  return max + Math.log1p(rest);
}

// log n! for n = 0..N, each entry gammaln(n + 1) on its own (no accumulated rounding), grown on demand.
// A table of constants, not a cache of results: every call still does all of its own work.
let LOG_FACT = new Float64Array(0);
function logFactorials(n: number): Float64Array {
  if (LOG_FACT.length <= n) {
    const next = new Float64Array(Math.max(n + 1, 2 * LOG_FACT.length));
    next.set(LOG_FACT);
    for (let k = LOG_FACT.length; k < next.length; k++) next[k] = gammaln(k + 1);
    LOG_FACT = next;
  }
  return LOG_FACT;
}

let SCRATCH = new Float64Array(64);
function scratch(n: number): Float64Array {
  if (SCRATCH.length < n) SCRATCH = new Float64Array(Math.max(n, 2 * SCRATCH.length));
  return SCRATCH;
}

// logAdd without the argument guards: this file's loops only ever pass numbers they computed.
function addLog(a: number, b: number): number {
  const hi = a > b ? a : b;
  const lo = a > b ? b : a;
  if (lo === -Infinity || hi === Infinity) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

/**
 * log A_α for a fractional order α > 1 and 0 < q < 1, as the two half-line integrals split at
 * `z0 = σ² log(1/q − 1) + ½` (Mironov, Talwar, Zhang 2019, Sec. 3.3).
 *
 * Convention (dp_accounting since 2024-04-26): the binomial enters as log|C(α,i)| and every term is
 * ADDED, even where C(α,i) < 0. The result is an upper bound on A_α (so the RDP is conservative);
 * Opacus subtracts those terms instead and gets slightly smaller values (e.g. α = 1.5, q = 0.01,
 * σ = 1.1: 9.8588e−5 here against 9.5545e−5). The series stops once both term sequences decrease
 * and the larger term is below `total − 30` (e^−30 ≈ 1e−13 relative); after
 * {@link MAX_LOG_A_FRAC_TERMS} terms without that, the order is given up and `Infinity` is returned,
 * which only removes the order from the minimum over orders (it can never understate ε).
 */
export function computeLogAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma ** 2 * Math.log(1 / q - 1) + 0.5;
  const logQ = Math.log(q);
  const log1mq = Math.log1p(-q);
  const twoSigma2 = 2 * sigma ** 2;
  const sqrt2Sigma = Math.SQRT2 * sigma;
  const logHalf = Math.log(0.5);
  let lastS0 = -Infinity;
  let lastS1 = -Infinity;
  // log|C(α,i)| by recurrence instead of three gammaln calls per term (the loop's main cost):
  // log i! grows by log i, and log|Γ(α−i+1)| shrinks by log|α−i+1|. Drift stays ~1e-16 per term.
  const logGammaAlpha1 = gammaln(alpha + 1);
  let logFactI = 0;
  let logGammaRest = logGammaAlpha1;
  for (let i = 0; i < MAX_LOG_A_FRAC_TERMS; i++) {
    if (i > 0) {
      logFactI += Math.log(i);
      logGammaRest -= Math.log(Math.abs(alpha - i + 1));
    }
    const logCoef = logGammaAlpha1 - logFactI - logGammaRest;
    const j = alpha - i;
    const logT0 = logCoef + i * logQ + j * log1mq;
    const logT1 = logCoef + j * logQ + i * log1mq;
    const logE0 = logHalf + logErfc((i - z0) / sqrt2Sigma);
    const logE1 = logHalf + logErfc((z0 - j) / sqrt2Sigma);
    const logS0 = logT0 + (i * i - i) / twoSigma2 + logE0;
    const logS1 = logT1 + (j * j - j) / twoSigma2 + logE1;
    logA0 = addLog(logA0, logS0);
    logA1 = addLog(logA1, logS1);
    const total = addLog(logA0, logA1);
    if (logS0 < lastS0 && logS1 < lastS1 && Math.max(logS0, logS1) < total - 30) return total;
    lastS0 = logS0;
    lastS1 = logS1;
  }
  return Infinity;
}

/** log A_α, dispatching on whether α is an integer (exactly as dp_accounting's `float(alpha).is_integer()`). */
export function computeLogA(q: number, sigma: number, alpha: number): number {
  return Number.isInteger(alpha) ? computeLogAInt(q, sigma, alpha) : computeLogAFrac(q, sigma, alpha);
}
