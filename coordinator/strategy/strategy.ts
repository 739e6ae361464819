/** The Strategy contract: who trains with what settings, and how replies become the next global model. */
import type { RandomSource } from '../../common/random.js';
import type { Metrics, Weights } from '../../common/weights.js';
import type { RegressionData } from '../../schema/fleet.js';
import type { ScoreHistogram } from '../../tasks/metrics/score-histogram.js';

/** Per-round settings sent to one bank: scalars only (Flower's ConfigRecord). */
export type RoundConfig = Readonly<Record<string, number | string | boolean>>;

/** One bank asked to take part in a round, with its settings. */
export interface Assignment {
  readonly memberId: string;
  readonly config: RoundConfig;
}

/** A successful fit result. `weights` are the bank's new local weights (not a delta). */
export interface FitReply {
  readonly memberId: string;
  readonly weights: Weights;
  readonly numExamples: number;
  readonly metrics: Metrics;
}

/**
 * A successful evaluation result: a score histogram, never scores — or, for regression tasks
 * (market-forecast), regression sums and per-day backtest sums, never predictions or prices.
 */
export interface EvaluateReply {
  readonly memberId: string;
  readonly numExamples: number;
  readonly histogram: ScoreHistogram;
  readonly metrics: Metrics;
  readonly regression?: RegressionData | undefined;
}

/** Why an assigned bank produced no usable result. Failures are data, not exceptions. */
export interface ClientFailure {
  readonly memberId: string;
  readonly kind: 'timeout' | 'refused' | 'failed' | 'invalid';
  readonly reason: string;
}

/**
 * Decides who trains, with what settings, and how replies become the next global model.
 *
 * A Strategy performs no I/O and reads no clock: the round runner sends, waits and times out.
 * Rounds are numbered from 1. Privacy is added by wrapping a strategy, never by a flag inside one.
 * Every implementation passes `strategyContract` (strategy.contract.ts).
 */
export interface Strategy {
  /** Short stable name for logs and the audit trail, e.g. 'fedavg'. */
  readonly name: string;
  /**
   * Picks the banks for a fit round among `available` (sorted ids of connected members) and
   * their settings. Returns [] when fewer than the strategy's minimum are available.
   */
  configureFit(round: number, weights: Weights, available: readonly string[], rng: RandomSource): readonly Assignment[];
  /**
   * Aggregates successful replies. `failures` lists every assigned bank that did not reply usefully.
   * Returns `weights: undefined` to keep the previous global model (e.g. too few replies); the
   * runner then records the round as failed and retries it, with `reason` when the strategy gives one
   * (e.g. Krum: "4 replies, 2f+3 = 5 needed").
   *
   * Stateful strategies (server optimisers) fold round `round` into their state here; calling
   * aggregateFit again for the same round recomputes it from the state before that round, so a
   * retried aggregation never counts a round twice. The result does not depend on the order of
   * `replies` (built-in strategies sort them by memberId first).
   * @throws never for bad replies (the runner validated them); only for bugs.
   */
  aggregateFit(round: number, current: Weights, replies: readonly FitReply[], failures: readonly ClientFailure[]): {
    readonly weights: Weights | undefined;
    readonly metrics: Metrics;
    readonly reason?: string;
  };
  /** Picks the banks that evaluate the new global model (by default: every available bank). */
  configureEvaluate(round: number, weights: Weights, available: readonly string[], rng: RandomSource): readonly Assignment[];
  /** Pools evaluation replies into metrics computed from the merged histograms. */
  aggregateEvaluate(round: number, replies: readonly EvaluateReply[], failures: readonly ClientFailure[]): { readonly metrics: Metrics };
  /**
   * Server-side optimiser state to checkpoint with the round (FedAdam moments …); JSON-safe (float
   * arrays as base64 of their bytes, so a restart resumes bit for bit). Called after aggregateFit of
   * the round being committed. Stateless strategies omit it.
   */
  saveState?(): unknown;
  /**
   * Restores what saveState returned, after a coordinator restart, before the next aggregateFit.
   * @throws ConfigError when `state` is not a state this strategy wrote (wrong name, corrupt data).
   */
  loadState?(state: unknown): void;
}

/** Common sampling parameters of the built-in strategies. */
export interface SamplingOptions {
  /** Fewest banks a round may run with. @default 2 */
  readonly minFitClients?: number;
  /** Banks to select per round when more are available; undefined = all. */
  readonly targetFitClients?: number;
  /**
   * Poisson sampling rate q: each available bank joins independently with probability q
   * (for client-level DP amplification). Overrides targetFitClients when set.
   */
  readonly sampleRate?: number;
  /** Settings sent to every bank each round (learning rate, local epochs …). */
  readonly fitConfig?: RoundConfig | ((round: number) => RoundConfig);
}
