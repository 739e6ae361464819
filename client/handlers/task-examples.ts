/** The handlers' side of TaskDefinition.examples (market-forecast): stats, training set and holdout built by the task, not the record encoder. */
import { FedfinError } from '../../common/errors.js';
import type { Weights } from '../../common/weights.js';
import { parseEncodingStats } from '../../schema/encoding-stats.js';
import type { InstructionInfo } from '../../schema/fleet.js';
import type { JobSpec } from '../../schema/job-spec.js';
import type { BuiltExamples, TaskExamples } from '../../tasks/registry.js';
import { getTask } from '../../tasks/registry.js';
import type { Dataset } from '../trainer/trainer.js';
import { assertModelWidth, encodeSplit, federationSpec } from './encoding.js';
import { bareResult, type HandlerContext, type Outcome } from './types.js';

/**
 * Every record the bank loaded: a task that splits by time re-splits them itself (the daemon's secret
 * random holdout split suits record-level tasks, not series).
 */
function allRecords(ctx: HandlerContext) {
  return [...ctx.data.train, ...ctx.data.holdout];
}

/** The stats reply of a task that builds its own examples: width, feature hash, train moments. */
export function examplesStats(instruction: InstructionInfo, ctx: HandlerContext, job: JobSpec, examples: TaskExamples): Outcome {
  const s = examples.stats(allRecords(ctx), job);
  const result = {
    ...bareResult(instruction.instructionId, 'ok'),
    numExamples: s.numExamples,
    numFeatures: s.numFeatures,
    encodingHash: s.featureHash,
    momentsJson: JSON.stringify(s.moments),
  };
  ctx.ledger.cacheResult(instruction.jobId, 'stats', result);
  ctx.logger.info('stats sent', { instruction: instruction.instructionId, features: s.numFeatures, trainExamples: s.numExamples });
  return { result, bytes: undefined };
}

/** The task's examples built with the instruction's federation statistics. */
export function builtExamples(instruction: InstructionInfo, ctx: HandlerContext, job: JobSpec, examples: TaskExamples): BuiltExamples {
  let raw: unknown;
  try {
    raw = JSON.parse(instruction.encodingStatsJson);
  } catch {
    throw new FedfinError('protocol-violation', `instruction ${instruction.instructionId}: encoding_stats_json is not JSON`);
  }
  return examples.build(allRecords(ctx), job, parseEncodingStats(raw, `encoding stats of ${instruction.instructionId}`));
}

/** What the fit handler trains on, for either kind of task. */
export interface TrainingInputs {
  readonly weights: Weights;
  readonly train: Dataset;
  readonly specHash: string;
  readonly numFeatures: number;
}

/**
 * Downloads the model and builds the training set: the record encoder with the federation's
 * statistics, or the task's own examples. The model's structure is checked by the trainer.
 */
export async function trainingInputs(instruction: InstructionInfo, ctx: HandlerContext, job: JobSpec): Promise<TrainingInputs> {
  const examples = getTask(job.task).examples;
  if (examples) {
    const built = builtExamples(instruction, ctx, job, examples);
    if (built.train.numExamples === 0) throw new FedfinError('data-invalid', 'the bank has no training examples for this task');
    return { weights: await ctx.downloadModel(), train: built.train, specHash: built.specHash, numFeatures: built.train.numFeatures };
  }
  const spec = federationSpec(instruction, ctx.data.schema, job);
  const weights = await ctx.downloadModel();
  assertModelWidth(weights, spec);
  return { weights, train: encodeSplit(spec, ctx.data.train), specHash: spec.specHash, numFeatures: spec.numFeatures };
}

/**
 * N for the fit's privacy pre-check (σ calibration and the budget gate): the task's training
 * examples (market windows) when it builds its own, else the train rows. The trainer's Poisson
 * plan uses the same N, so the predicted spend is the spend the ledger will record.
 */
export function trainExampleCount(ctx: HandlerContext, job: JobSpec): number {
  const examples = getTask(job.task).examples;
  return examples ? examples.stats(allRecords(ctx), job).numExamples : ctx.data.train.length;
}

