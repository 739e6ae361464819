/** The task registry: what can be learned, on which schemas, with which model. Other tasks join here. */
import { FedfinError } from '../common/errors.js';
import type { DatasetSchema } from '../schema/field.js';
import type { DesensitizedRecord } from '../schema/desensitized.js';
import type { EncodingStats, Moments } from '../schema/encoding-stats.js';
import type { RegressionData } from '../schema/fleet.js';
import type { JobSpec } from '../schema/job-spec.js';
import type { ModelSpec } from './models/model-spec.js';
import { CREDIT_SCORING } from './credit-scoring.js';
import { FRAUD_DETECTION } from './fraud-detection.js';
import { MARKET_FORECAST } from './market-forecast.js';

/**
 * A learning task. Pure description: the daemon builds its trainer from `modelSpec`, the coordinator
 * its initial model, and both check a job's schema against `schemaKinds`.
 */
export interface TaskDefinition {
  /** Stable name used in job specs, e.g. `credit-scoring`. */
  readonly name: string;
  readonly description: string;
  /** Schema kinds the task accepts (`credit` covers credit.v1 and custom credit schemas). */
  readonly schemaKinds: readonly DatasetSchema['kind'][];
  /** The label field the task trains on, for a schema. */
  labelField(schema: DatasetSchema): string;
  /** The model for a job, once the encoded feature width is known. */
  modelSpec(job: JobSpec, numFeatures: number): ModelSpec;
  /**
   * Set by tasks whose examples are not one encoded row per record — market-forecast builds windows
   * over each symbol's date-ordered series and splits by time. The daemon then asks this instead of
   * the record encoder (client/handlers/task-examples.ts), and evaluation returns regression sums.
   */
  readonly examples?: TaskExamples;
}

/** A row-major example matrix (structurally the trainer's Dataset). */
export interface ExampleMatrix {
  readonly features: Float32Array;
  readonly labels: Float32Array;
  readonly numExamples: number;
  readonly numFeatures: number;
}

/** What a task-built example set hands the daemon. Everything stays in the bank but the sums `evaluate` returns. */
export interface BuiltExamples {
  readonly train: ExampleMatrix;
  readonly holdout: ExampleMatrix;
  /** SHA-256 of the feature definition plus the federation's statistics (the fit/evaluate `encodingHash`). */
  readonly specHash: string;
  /** The aggregate a bank sends for its holdout, from the model's outputs on `holdout` (in its row order). */
  evaluate(outputs: Float32Array): RegressionData;
}

/** Example building for tasks that do it themselves (see TaskDefinition.examples). */
export interface TaskExamples {
  /**
   * The stats stage's reply: input width, a hash of the feature definition (equal across banks that
   * will build identical inputs), moments of the inputs over the TRAIN part, and the train count.
   * @throws FedfinError('data-invalid') naming what is wrong (kept in the bank's log).
   */
  stats(records: readonly DesensitizedRecord[], job: JobSpec): { numFeatures: number; featureHash: string; moments: Moments; numExamples: number };
  /** Train and holdout examples standardised with the federation's statistics. @throws as stats. */
  build(records: readonly DesensitizedRecord[], job: JobSpec, stats: EncodingStats): BuiltExamples;
}

const TASKS: ReadonlyMap<string, TaskDefinition> = new Map([
  [CREDIT_SCORING.name, CREDIT_SCORING],
  [FRAUD_DETECTION.name, FRAUD_DETECTION],
  [MARKET_FORECAST.name, MARKET_FORECAST],
]);

/** Names of every registered task. */
export function taskNames(): string[] {
  return [...TASKS.keys()];
}

/**
 * The task called `name`.
 * @throws FedfinError('config-invalid') naming the known tasks.
 */
export function getTask(name: string): TaskDefinition {
  const t = TASKS.get(name);
  if (!t) throw new FedfinError('config-invalid', `unknown task "${name}": expected one of ${taskNames().join(', ')}`);
  return t;
}
