/** The per-task seam of `fedfin demo`: what a task's demo synthesises, submits, measures and reports. */
import type { JobSpecInput } from '../../schema/job-spec.js';
import type { Comparison } from './measure.js';
import type { FinishedJob } from './measure.js';
import type { DemoBank, DemoDataOptions } from './setup.js';

/** One metric column of the comparison table and one key of every model's JSON object. */
export interface DemoMetric {
  /** Key in `Comparison` scores and in the JSON report (`federated.<key>`), e.g. `auc`, `prAuc`. */
  readonly key: string;
  /** Table header, e.g. `pr-auc`. */
  readonly header: string;
  /** Decimals in the table (the JSON keeps 4). @default 3 */
  readonly digits?: number;
}

/** CLI defaults of a task's demo (every flag may still override them). */
export interface DemoDefaults {
  readonly rows: number;
  readonly rounds: number;
  readonly epsilon: number;
  readonly model: 'logistic' | 'mlp' | 'lstm';
  readonly localEpochs: number;
  readonly learningRate: number;
  readonly skew: number;
  /** Per bank, the share of its synthesised rows it keeps; the length is the number of banks. */
  readonly bankFractions: readonly number[];
  readonly testFraction: number;
  readonly holdoutFraction: number;
}

/** What the CLI hands a profile to build the job. */
export interface DemoJobOptions {
  readonly rounds: number;
  readonly epsilon: number;
  readonly model: 'logistic' | 'mlp' | 'lstm';
  readonly seed: number;
  readonly localEpochs: number;
  readonly learningRate: number;
}

/** Extra report content beyond the per-model metrics (e.g. the market task's buy-and-hold benchmark). */
export interface DemoExtras {
  /** Top-level JSON sections merged into the report, e.g. `{ buyAndHold: { sharpe: 0.4 } }`. */
  readonly json: Readonly<Record<string, unknown>>;
  /** Lines printed under the comparison table. */
  readonly lines: readonly string[];
  /**
   * The line above the table saying what every model was scored on, for a task without a common test set
   * (e.g. market: each bank's own holdout windows). @default "Common test set: N rows pooled from every bank …"
   */
  readonly testSetLine?: string;
}

/**
 * A task's demo. The driver (`run-demo.ts`) is task-agnostic: it asks the profile for the banks' files,
 * the job spec and the comparison, and reports the profile's metrics. A task adds its demo by writing
 * one profile file and one line in `task-profiles.ts`.
 */
export interface DemoTaskProfile {
  /** The registered task name the job uses, e.g. `fraud-detection`. */
  readonly task: string;
  /** The built-in schema the synthetic banks' data follows, e.g. `transaction.v1`. */
  readonly schema: string;
  /** A noun for progress lines: "synthesising 3 <noun> banks". */
  readonly noun: string;
  readonly defaults: DemoDefaults;
  /**
   * The metrics every model is scored with, in table order. The FIRST is the headline: the targets
   * (`federatedVsCentralized`, `aboveEveryBankAlone`) compare it, and higher must be better.
   */
  readonly metrics: readonly DemoMetric[];
  /**
   * What the per-round progress line shows of the coordinator's round metrics (pooled bank holdouts),
   * headline first, e.g. fraud `pr-auc  recall@1%fpr  auc`. Keys are round-metric keys (tasks/metrics).
   * @default the `jobs watch` line: auc, ks, logloss (rmse, direction, sharpe for regression rounds)
   */
  readonly roundMetrics?: readonly DemoMetric[];
  /** The job the demo submits. */
  jobSpec(o: DemoJobOptions): JobSpecInput;
  /** Synthesises the banks and lays out each bank's files (data, mapping, policy, key) and test share. */
  prepare(o: DemoDataOptions): Promise<DemoBank[]>;
  /**
   * Scores the federated model and trains/scores the centralised and local-only baselines on the
   * common test set; every score's `metrics` carries at least the keys of `metrics`.
   */
  compare(banks: readonly DemoBank[], finished: FinishedJob, holdoutFraction: number, seed: number): Promise<Comparison>;
  /** Task-specific report sections (optional). */
  extras?(c: Comparison): DemoExtras;
}
