/** Resolves a job's SecAgg+ settings for n banks and d parameters: defaults, graph sizing, DP noise sizing and every refusal reason. */
import { MAX_DISCRETE_SIGMA } from '../../dp/discrete-gaussian.js';
import { MAX_POISSON_LAMBDA } from '../../dp/poisson.js';
import { SecAggParamsError } from '../errors.js';
import { defaultDegree, defaultThreshold, secAggParamIssues } from '../graph.js';
import { isPowerOfTwo } from '../prg.js';
import { SECAGG_DEFAULTS, type ResolvedDistributedDp, type ResolvedSecAggConfig, type SecAggConfigResolution, type SecAggJobConfig } from './types.js';

/** Noise headroom in standard deviations of the summed noise: the sum must stay clear of the modulus wrap. */
export const NOISE_TAIL_STDS = 12;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isPos = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/**
 * The protocol's default degree: 4·⌈log2 n⌉, capped at n − 1 (complete graph). Twice graph.ts's
 * `defaultDegree` on purpose: with the default t = ⌊2k/3⌋ + 1 a neighbourhood survives only while fewer
 * than a third of its holders drop, and with 10 % independent dropouts 2·⌈log2 n⌉ + 1 aborts about one
 * round in four at n = 100 (binomial tail), 4·⌈log2 n⌉ about one in 160 (docs/secagg-protocol.md).
 * @param n cohort size ≥ 2.
 */
export function protocolDefaultDegree(n: number): number {
  return Math.min(n - 1, Math.max(defaultDegree(n), 4 * Math.ceil(Math.log2(n))));
}

/**
 * k and t for a cohort of n: the configured (or default) k capped at n − 1 (complete graph), raised by one
 * (or lowered when at n − 1) so that n·k is even, and t = the configured threshold or ⌊2k/3⌋ + 1.
 */
export function sizeGraph(cfg: SecAggJobConfig, n: number): { k: number; t: number } {
  let k = Math.min(cfg.neighbours ?? protocolDefaultDegree(n), n - 1);
  if ((n * k) % 2 === 1) k = k + 1 <= n - 1 ? k + 1 : k - 1;
  return { k, t: cfg.threshold ?? defaultThreshold(Math.max(1, k)) };
}

function sizeDp(cfg: SecAggJobConfig, n: number, d: number, targetRange: number, modulus: number, reasons: string[]): ResolvedDistributedDp | undefined {
  const dp = cfg.distributedDp;
  if (dp === undefined) return undefined;
  if (typeof dp !== 'object' || dp === null) {
    reasons.push('distributedDp: expected {mechanism, noiseMultiplier, minSurvivors}');
    return undefined;
  }
  const before = reasons.length;
  if (dp.mechanism !== 'skellam' && dp.mechanism !== 'discrete-gaussian') reasons.push(`distributedDp.mechanism = ${String(dp.mechanism)}: expected 'skellam' or 'discrete-gaussian'`);
  if (!isPos(dp.noiseMultiplier)) reasons.push(`distributedDp.noiseMultiplier = ${String(dp.noiseMultiplier)}: expected a finite number > 0`);
  if (!isInt(dp.minSurvivors) || dp.minSurvivors < 2) reasons.push(`distributedDp.minSurvivors = ${String(dp.minSurvivors)}: expected an integer ≥ 2`);
  else if (dp.minSurvivors > n) reasons.push(`distributedDp.minSurvivors = ${dp.minSurvivors} > n = ${n} banks: the round could never complete`);
  if (reasons.length > before) return undefined;
  // Δ₂ in quantised units: an L2 clip to c maps to c·T/(2c) = T/2, and stochastic rounding moves each of
  // the d coordinates by less than one unit, i.e. by less than √d in L2 (TFF's inflated bound with β = 0).
  const sensitivity = targetRange / 2 + Math.sqrt(d);
  let localStd = (dp.noiseMultiplier * sensitivity) / Math.sqrt(dp.minSurvivors);
  if (dp.mechanism === 'discrete-gaussian') localStd = Math.ceil(localStd); // integer σ: exact sampler's fast path, never less noise
  const lambda = (localStd * localStd) / 2;
  if (dp.mechanism === 'discrete-gaussian' && localStd > MAX_DISCRETE_SIGMA) reasons.push(`distributedDp: per-bank σ = ${localStd.toFixed(0)} exceeds the sampler's ${MAX_DISCRETE_SIGMA}; use fewer bits`);
  if (dp.mechanism === 'skellam' && lambda > MAX_POISSON_LAMBDA) reasons.push(`distributedDp: Skellam λ = σ²/2 = ${lambda.toExponential(3)} exceeds the sampler's 2^30; use fewer bits`);
  const headroom = Math.ceil(NOISE_TAIL_STDS * localStd * Math.sqrt(n));
  if (n * targetRange + 2 * headroom >= modulus) {
    reasons.push(`n·T + 2·${NOISE_TAIL_STDS}·σ·√n = ${n}·${targetRange} + 2·${headroom} ≥ M = ${modulus}: the noisy sum could wrap; use fewer bits or a larger modulus`);
  }
  return { ...dp, sensitivity, localStd, ...(dp.mechanism === 'skellam' ? { skellamLambda: lambda } : {}) };
}

/**
 * Fills defaults and checks a configuration for n banks and d parameters. Refuses (with the numbers):
 * malformed fields; k outside [1, n − 1]; t > k + 1; 2t ≤ k + 1 (t ≤ k/2 and the tie, see graph.ts);
 * n·T ≥ M; with DP, a noisy sum that could wrap, a σ beyond the samplers and minSurvivors outside [2, n].
 * @param cfg the job's settings.
 * @param numMembers n ≥ 2.
 * @param dimension d ≥ 1 (DP sizing and headroom depend on it); defaults to 1 for validation at submission.
 * @returns `{ ok: true, config }` or `{ ok: false, reasons }`.
 */
export function resolveSecAggConfig(cfg: SecAggJobConfig, numMembers: number, dimension = 1): SecAggConfigResolution {
  if (typeof cfg !== 'object' || cfg === null) return { ok: false, reasons: ['secure aggregation settings: expected an object'] };
  const reasons: string[] = [];
  if (!isInt(numMembers) || numMembers < 2) return { ok: false, reasons: [`n = ${String(numMembers)}: secure aggregation needs at least 2 banks`] };
  if (!isInt(dimension) || dimension < 1 || dimension > 2 ** 28) reasons.push(`dimension = ${String(dimension)}: expected an integer in [1, 2^28]`);
  const bits = cfg.bits ?? SECAGG_DEFAULTS.bits;
  const modulus = cfg.modulus ?? SECAGG_DEFAULTS.modulus;
  const clippingRange = cfg.clippingRange ?? SECAGG_DEFAULTS.clippingRange;
  const maxWeight = cfg.maxWeight ?? SECAGG_DEFAULTS.maxWeight;
  if (!isInt(bits) || bits < 1 || bits > 31) reasons.push(`bits = ${String(bits)}: expected an integer in [1, 31]`);
  if (!isInt(modulus) || modulus < 2 || modulus > 2 ** 32 || !isPowerOfTwo(modulus)) reasons.push(`modulus = ${String(modulus)}: expected a power of two in [2, 2^32]`);
  if (!isPos(clippingRange)) reasons.push(`clippingRange = ${String(clippingRange)}: expected a finite number > 0`);
  if (!isPos(maxWeight)) reasons.push(`maxWeight = ${String(maxWeight)}: expected a finite number > 0`);
  if (cfg.neighbours !== undefined && (!isInt(cfg.neighbours) || cfg.neighbours < 1)) reasons.push(`neighbours = ${String(cfg.neighbours)}: expected an integer ≥ 1`);
  if (cfg.threshold !== undefined && (!isInt(cfg.threshold) || cfg.threshold < 1)) reasons.push(`threshold = ${String(cfg.threshold)}: expected an integer ≥ 1`);
  if (reasons.length > 0) return { ok: false, reasons };
  const targetRange = 2 ** bits - 1;
  const { k, t } = sizeGraph(cfg, numMembers);
  reasons.push(...secAggParamIssues({ n: numMembers, k, t, targetRange, modulus }));
  const distributedDp = sizeDp(cfg, numMembers, dimension, targetRange, modulus, reasons);
  if (reasons.length > 0) return { ok: false, reasons };
  const config: ResolvedSecAggConfig = {
    numMembers,
    dimension,
    neighbours: k,
    threshold: t,
    bits,
    targetRange,
    modulus,
    clippingRange,
    maxWeight,
    ...(distributedDp ? { distributedDp } : {}),
  };
  return { ok: true, config };
}

/**
 * `resolveSecAggConfig` that throws.
 * @throws SecAggParamsError ('config-invalid') listing every reason.
 */
export function checkSecAggConfig(cfg: SecAggJobConfig, numMembers: number, dimension = 1): ResolvedSecAggConfig {
  const r = resolveSecAggConfig(cfg, numMembers, dimension);
  if (!r.ok) throw new SecAggParamsError(r.reasons);
  return r.config;
}
