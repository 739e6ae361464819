/**
 * Centralised and local-only baselines with the federation's own pipeline: desensitised records, the job's
 * encoding statistics, the task's model, the tfjs trainer and the same DP-SGD setting and budget.
 */
import { assertInt } from '../common/assert.js';
import type { RandomSource } from '../common/random.js';
import type { Weights } from '../common/weights.js';
import { createTfjsTrainer } from '../client/trainer/tfjs-trainer.js';
import { planPoisson } from '../client/trainer/poisson-batches.js';
import type { Dataset, RoundConfig } from '../client/trainer/trainer.js';
import { noiseMultiplierFor } from '../privacy/accounting/calibrate.js';
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import type { DesensitizedRecord } from '../schema/desensitized.js';
import type { EncodingStats } from '../schema/encoding-stats.js';
import { createEncodingSpec, encode, type EncodingSpec } from '../schema/encoding.js';
import type { DatasetSchema } from '../schema/field.js';
import type { JobSpec } from '../schema/job-spec.js';
import { financeMetrics } from '../tasks/metrics/index.js';
import { buildHistogram, metricsFromHistogram, type BinaryMetrics } from '../tasks/metrics/score-histogram.js';
import { initModelWeights, type ModelSpec } from '../tasks/models/model-spec.js';
import { evaluationBinning, fraudRoundConfig, FRAUD_DETECTION } from '../tasks/fraud-detection.js';
import { getTask } from '../tasks/registry.js';

/** The encoder and model a job implies for a desensitised schema and the job's statistics. */
export interface JobPipeline {
  readonly spec: EncodingSpec;
  readonly model: ModelSpec;
}

/** Builds the encoding spec (with the job's federation-wide statistics) and the task's model. */
export function jobPipeline(schema: DatasetSchema, job: JobSpec, stats: EncodingStats): JobPipeline {
  const spec = createEncodingSpec(schema, stats, { includeSensitive: job.encoding.includeSensitive });
  return { spec, model: getTask(job.task).modelSpec(job, spec.numFeatures) };
}

/** Encodes desensitised records into the trainer's Dataset. */
export function encodeRecords(spec: EncodingSpec, records: readonly DesensitizedRecord[]): Dataset {
  const e = encode(spec, records);
  return { features: e.features, labels: e.labels, numExamples: e.numExamples, numFeatures: e.numFeatures };
}

/** A trained baseline and what it cost in privacy. */
export interface BaselineModel {
  readonly weights: Weights;
  readonly rows: number;
  /** σ used (0 without DP). */
  readonly noiseMultiplier: number;
  /** ε spent over every step at the job's δ (0 without DP). */
  readonly epsilon: number;
}

/**
 * Trains one party alone the way a bank trains in the federation, for `job.rounds` rounds of
 * `job.localEpochs` local epochs (the same total local epochs the federation gives each bank). With
 * `dp-sgd` and `targetEpsilon`, σ is calibrated for this party's own N exactly as a bank's site policy
 * does: q = batchSize/N, steps = rounds · round(localEpochs·N/batchSize).
 * @param rng batch sampling and DP noise (simulations may pass a seeded source); `initRng` the initial weights.
 * @throws RangeError for an empty training set.
 */
export async function trainBaseline(pipeline: Pick<JobPipeline, 'model'>, train: Dataset, job: JobSpec, rng: RandomSource, initRng: RandomSource, signal: AbortSignal = new AbortController().signal): Promise<BaselineModel> {
  assertInt('trainBaseline', 'train.numExamples', train.numExamples, 1);
  const trainer = createTfjsTrainer({ model: pipeline.model, rng });
  const privacy = job.privacy;
  let dp: { noiseMultiplier: number; clippingNorm: number; delta: number } | undefined;
  if (privacy.mode === 'dp-sgd') {
    const plan = planPoisson(train.numExamples, job.batchSize, job.localEpochs);
    const noiseMultiplier = privacy.noiseMultiplier ?? noiseMultiplierFor({ targetEpsilon: privacy.targetEpsilon!, delta: privacy.delta, sampleRate: plan.sampleRate, steps: job.rounds * plan.steps });
    dp = { noiseMultiplier, clippingNorm: privacy.clippingNorm, delta: privacy.delta };
  }
  const config: RoundConfig = {
    learningRate: job.learningRate,
    localEpochs: job.localEpochs,
    batchSize: job.batchSize,
    optimizer: job.optimizer,
    l1: job.model.l1,
    l2: job.model.l2,
    proximalMu: 0,
    dpSgd: dp !== undefined,
    ...(dp ? { noiseMultiplier: dp.noiseMultiplier, clippingNorm: dp.clippingNorm } : {}),
    ...fraudRoundConfig(job, train.labels, dp !== undefined),
  };
  const accountant = new RdpAccountant();
  let weights = initModelWeights(pipeline.model, initRng);
  for (let round = 1; round <= job.rounds; round++) {
    const out = await trainer.fit(weights, train, config, signal);
    for (const s of out.privacySteps) accountant.step({ noiseMultiplier: s.noiseMultiplier, sampleRate: s.sampleRate }, s.steps);
    weights = out.weights;
  }
  return { weights, rows: train.numExamples, noiseMultiplier: dp?.noiseMultiplier ?? 0, epsilon: dp ? accountant.epsilon(dp.delta).epsilon : 0 };
}

/**
 * Scores a test set and returns the metrics the federation reports (ROC-AUC and KS from a 1000-bin score
 * histogram, exact log-loss), so baselines and federated rounds are measured alike.
 */
export async function scoreModel(pipeline: JobPipeline, weights: Weights, test: Dataset, signal: AbortSignal = new AbortController().signal): Promise<BinaryMetrics> {
  const trainer = createTfjsTrainer({ model: pipeline.model });
  const out = await trainer.evaluate(weights, test, {}, signal);
  return metricsFromHistogram(buildHistogram(out.scores, test.labels));
}

/** The keys `scoreForTask` returns for fraud-detection beyond the binary metrics. */
export const RARE_EVENT_KEYS = ['prAuc', 'recallAtFpr', 'precisionAtK'] as const;

/**
 * Scores a test set with the task's own evaluation binning: the binary metrics of `scoreModel` for
 * credit scoring; for fraud detection the coordinator's 1,000 logit-spaced bins and, besides AUC, KS,
 * log-loss, Brier and accuracy, PR-AUC, recall at 1 % FPR and precision in the top 1 % of the examples.
 */
export async function scoreForTask(task: string, pipeline: JobPipeline, weights: Weights, test: Dataset, signal: AbortSignal = new AbortController().signal): Promise<Record<string, number>> {
  if (task !== FRAUD_DETECTION.name) return { ...(await scoreModel(pipeline, weights, test, signal)) };
  const out = await createTfjsTrainer({ model: pipeline.model }).evaluate(weights, test, {}, signal);
  const m = financeMetrics(buildHistogram(out.scores, test.labels, evaluationBinning(task))).metrics;
  const keys = ['auc', 'ks', 'logLoss', 'brier', 'accuracy', ...RARE_EVENT_KEYS] as const;
  return Object.fromEntries(keys.map((k) => [k, m[k] ?? Number.NaN]));
}
