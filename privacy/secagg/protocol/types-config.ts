/** The SecAgg+ protocol's configuration types: the job's settings, their resolution, and the DP noise a round realises (part of the types.ts contract). */

/** Distributed DP inside the secure sum: each bank adds integer noise before masking. */
export interface DistributedDpConfig {
  /** 'skellam' (Poisson(λ) − Poisson(λ)) or 'discrete-gaussian' (exact N_Z, Canonne–Kamath–Steinke). */
  readonly mechanism: 'skellam' | 'discrete-gaussian';
  /** z > 0: the noise in the sum has std ≥ z × the L2 sensitivity whenever ≥ minSurvivors banks are summed. */
  readonly noiseMultiplier: number;
  /**
   * m ≥ 2: the fewest banks whose noise is assumed to reach the sum. Each bank adds std σ/√m, so the sum
   * carries σ·√(s/m) ≥ σ for s ≥ m survivors. A round with fewer than m survivors is aborted, never released.
   */
  readonly minSurvivors: number;
}

/**
 * The job's secure-aggregation settings as a plain domain type (the job-spec zod schema lives with the
 * coordinator and maps onto this). Everything but `distributedDp` has a default.
 */
export interface SecAggJobConfig {
  /** k: neighbours per bank (self excluded). Default 4·⌈log2 n⌉ (config.ts `protocolDefaultDegree`); ≥ n − 1 means the complete graph. */
  readonly neighbours?: number;
  /** t: Shamir threshold among the k + 1 share holders. Default ⌊2k/3⌋ + 1. Refused when 2t ≤ k + 1. */
  readonly threshold?: number;
  /** b: each coordinate is quantised to 2^b levels, i.e. the grid [0, T] with T = 2^b − 1. Default 16. Integer in [1, 31]. */
  readonly bits?: number;
  /** M: masking modulus, a power of two in [2, 2^32]. Default 2^32. The masked vector travels at ⌈log2 M / 8⌉ bytes per entry. */
  readonly modulus?: number;
  /**
   * c > 0: every coordinate is clipped to [−c, c] before quantisation. Default 8 (Flower's clipping_range).
   * With `distributedDp` the whole update is first L2-clipped to norm c (which implies the coordinate
   * clip), because DP needs an L2 sensitivity.
   */
  readonly clippingRange?: number;
  /**
   * Number of examples that earns full weight (DP-FedAvg's ŵ cap; Flower's max_weight). A bank with w
   * examples carries weight factor q = max(1, round(min(w / maxWeight, 1)·T)). Default 1000.
   * Ignored with `distributedDp`: there every bank weighs the same (the example count is not released).
   */
  readonly maxWeight?: number;
  /** Distributed DP; absent = no noise (secure aggregation only). */
  readonly distributedDp?: DistributedDpConfig;
}

/** Defaults applied by `resolveSecAggConfig`. */
export const SECAGG_DEFAULTS = Object.freeze({ bits: 16, modulus: 2 ** 32, clippingRange: 8, maxWeight: 1000 });

/** A configuration with every default filled in and sized for a cohort of n banks and d parameters. */
export interface ResolvedSecAggConfig {
  /** n: banks in the cohort the sizing was made for. */
  readonly numMembers: number;
  /** d: model parameters (the masked vector has d + 1 entries: weight factor first). */
  readonly dimension: number;
  /** k actually used (the complete graph when the configured k ≥ n − 1). */
  readonly neighbours: number;
  /** t actually used. */
  readonly threshold: number;
  readonly bits: number;
  /** T = 2^b − 1: the top of the quantisation grid. */
  readonly targetRange: number;
  readonly modulus: number;
  readonly clippingRange: number;
  readonly maxWeight: number;
  readonly distributedDp?: ResolvedDistributedDp;
}

/** Distributed-DP sizing (all in quantised integer units). See dp-noise.ts and docs/secagg-protocol.md. */
export interface ResolvedDistributedDp extends DistributedDpConfig {
  /** Δ₂: L2 sensitivity of one bank's quantised vector, inflated for stochastic rounding: c·T/(2c) + √d = T/2 + √d. */
  readonly sensitivity: number;
  /** σ_local: each bank's noise std = z·Δ₂/√m (rounded up to an integer for the discrete Gaussian). */
  readonly localStd: number;
  /** Skellam only: λ = σ_local²/2 (each of the two Poisson draws). */
  readonly skellamLambda?: number;
}

/** `resolveSecAggConfig` outcome: the resolved config, or every reason it is refused (with numbers). */
export type SecAggConfigResolution = { readonly ok: true; readonly config: ResolvedSecAggConfig } | { readonly ok: false; readonly reasons: readonly string[] };

/** What the bank must record in its ledger for this round's distributed DP (one Gaussian-equivalent step). */
export interface RealisedNoise {
  readonly mechanism: DistributedDpConfig['mechanism'];
  /** Banks whose noise is in the sum. */
  readonly numSurvivors: number;
  /** Each bank's integer noise std σ_local. */
  readonly localStd: number;
  /** Std of the noise in the sum: σ_local·√numSurvivors (variances add). */
  readonly sumStd: number;
  /** Δ₂ (quantised units, inflated for rounding). */
  readonly sensitivity: number;
  /** sumStd / Δ₂: the noise multiplier an RDP accountant composes (Gaussian-equivalent; see docs). */
  readonly noiseMultiplier: number;
  /** Always 1: every enrolled bank is asked each round. */
  readonly sampleRate: number;
}
