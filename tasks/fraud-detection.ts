/** `fraud-detection`: probability that a card transaction is fraudulent, on transaction.v1 or a custom transaction schema, with engineered per-account features. */
import { FedfinError } from '../common/errors.js';
import type { JobSpec } from '../schema/job-spec.js';
import { positiveClassWeight } from './fraud-detection-loss.js';
import { logitEdges } from './metrics/binning.js';
import { DEFAULT_NUM_BINS } from './metrics/score-histogram.js';
import type { TaskDefinition } from './registry.js';

/** Defaults of a job's `fraud` section when it has none. */
export const FRAUD_DEFAULTS = { loss: 'weighted-bce', positiveWeight: 'auto', focalGamma: 2, focalAlpha: 0.25 } as const;

/** The job's fraud settings with defaults filled. */
export function fraudSettings(job: JobSpec): NonNullable<JobSpec['fraud']> {
  return job.fraud ?? { ...FRAUD_DEFAULTS };
}

export const FRAUD_DETECTION: TaskDefinition = {
  name: 'fraud-detection',
  description: 'fraud probability of a card transaction from engineered per-account features (velocity, novelty, amount vs history, time of day); weighted or focal loss; metrics PR-AUC, recall at 1 % FPR, precision at k',
  schemaKinds: ['transaction'],
  labelField(schema) {
    if (!schema.label) throw new FedfinError('schema-invalid', `fraud-detection needs a schema with a label field (1 = fraud); ${schema.id} has none`);
    return schema.label;
  },
  modelSpec(job, numFeatures) {
    const f = fraudSettings(job);
    return {
      numFeatures,
      hiddenUnits: job.model.type === 'logistic' ? [] : [...job.model.hidden],
      activation: job.model.activation,
      ...(f.loss === 'focal' ? { focal: { gamma: f.focalGamma, alpha: f.focalAlpha } } : {}),
    };
  },
};

/**
 * The round-config keys a fraud job adds for one bank's training labels: `positiveClassWeight` for
 * weighted cross-entropy (fixed, or `auto` from the bank's own prevalence); nothing for focal loss or
 * any other task.
 * @throws FedfinError('config-invalid') for `auto` with DP-SGD (the job spec refuses it first).
 */
export function fraudRoundConfig(job: JobSpec, labels: ArrayLike<number>, dpSgd: boolean): { positiveClassWeight?: number } {
  if (job.task !== FRAUD_DETECTION.name) return {};
  const f = fraudSettings(job);
  if (f.loss !== 'weighted-bce') return {};
  return { positiveClassWeight: positiveClassWeight(f.positiveWeight, labels, dpSgd) };
}

/** Bins of fraud-detection's evaluation histograms: 1,000 logit-spaced bins (metrics.md, "Rare events"). */
export const FRAUD_HISTOGRAM_BINS = 1000;
let fraudEdges: readonly number[] | undefined;

/**
 * How a task's evaluation histogram is binned: explicit logit-spaced edges for fraud-detection (fraud
 * scores crowd near 0, where equal-width bins merge the region that decides recall at 1 % FPR), the
 * default 1,000 equal-width bins for every other task. Banks bin with it, the coordinator checks it.
 */
export function evaluationBinning(task: string): number | { readonly edges: readonly number[] } {
  if (task !== FRAUD_DETECTION.name) return DEFAULT_NUM_BINS;
  fraudEdges ??= Object.freeze(logitEdges(FRAUD_HISTOGRAM_BINS));
  return { edges: fraudEdges };
}
