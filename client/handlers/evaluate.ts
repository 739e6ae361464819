/** The evaluate stage: score the holdout with the downloaded model and reply with a score histogram, or regression sums (never scores). */
import { FedfinError } from '../../common/errors.js';
import type { JobSpec } from '../../schema/job-spec.js';
import type { InstructionInfo } from '../../schema/fleet.js';
import { evaluationBinning } from '../../tasks/fraud-detection.js';
import { buildHistogram } from '../../tasks/metrics/score-histogram.js';
import { getTask, type TaskExamples } from '../../tasks/registry.js';
import { assertModelWidth, encodeSplit, federationSpec, jobOf, trainConfigFor } from './encoding.js';
import { builtExamples } from './task-examples.js';
import { bareResult, type Handler, type HandlerContext, type Outcome } from './types.js';

/**
 * Encodes the holdout with the federation's statistics, evaluates the downloaded weights and replies
 * with the histogram by label, `numExamples` and `metrics.loss`. Scores stay in the bank. Tasks that
 * build their own examples (market-forecast) reply with regression sums instead.
 */
export const evaluateHandler: Handler = async (instruction, ctx) => {
  const job = jobOf(instruction);
  const custom = getTask(job.task).examples;
  if (custom) return evaluateRegression(instruction, ctx, job, custom);
  if (ctx.data.holdout.length === 0) throw new FedfinError('data-invalid', 'the bank has no holdout rows (holdoutFraction is 0 or the data is tiny)');
  const spec = federationSpec(instruction, ctx.data.schema, job);
  const weights = await ctx.downloadModel();
  assertModelWidth(weights, spec);
  const data = encodeSplit(spec, ctx.data.holdout);
  const trainer = ctx.createTrainer(getTask(job.task).modelSpec(job, spec.numFeatures));
  const out = await trainer.evaluate(weights, data, trainConfigFor(job, instruction, undefined), ctx.signal);
  const histogram = buildHistogram(out.scores, data.labels, evaluationBinning(job.task));
  const result = {
    ...bareResult(instruction.instructionId, 'ok'),
    numExamples: out.numExamples,
    metrics: { loss: out.loss },
    histogram,
    encodingHash: spec.specHash,
    numFeatures: spec.numFeatures,
  };
  ctx.ledger.cacheResult(instruction.jobId, 'evaluate', result);
  ctx.logger.info('evaluation sent', { instruction: instruction.instructionId, holdoutRows: out.numExamples, loss: Number(out.loss.toFixed(4)) });
  return { result, bytes: undefined };
};

/**
 * The regression reply: sums of errors and direction counts over the bank's holdout windows and the
 * backtest's per-day sums over its own instruments. Predictions, prices and symbols stay in the bank.
 */
async function evaluateRegression(instruction: InstructionInfo, ctx: HandlerContext, job: JobSpec, examples: TaskExamples): Promise<Outcome> {
  const built = builtExamples(instruction, ctx, job, examples);
  const holdout = built.holdout;
  if (holdout.numExamples === 0) throw new FedfinError('data-invalid', 'the bank has no holdout windows (its series are too short for the window and holdout fraction)');
  const weights = await ctx.downloadModel();
  const trainer = ctx.createTrainer(getTask(job.task).modelSpec(job, holdout.numFeatures));
  const out = await trainer.evaluate(weights, holdout, trainConfigFor(job, instruction, undefined), ctx.signal);
  const regression = built.evaluate(out.scores);
  const result = {
    ...bareResult(instruction.instructionId, 'ok'),
    numExamples: out.numExamples,
    metrics: { loss: out.loss },
    regression,
    encodingHash: built.specHash,
    numFeatures: holdout.numFeatures,
  };
  ctx.ledger.cacheResult(instruction.jobId, 'evaluate', result);
  ctx.logger.info('evaluation sent', { instruction: instruction.instructionId, holdoutWindows: out.numExamples, backtestDays: regression.days.length, loss: Number(out.loss.toFixed(4)) });
  return { result, bytes: undefined };
}
