/** The evaluate stage: score the holdout with the downloaded model and reply with a score histogram (never scores). */
import { FedfinError } from '../../common/errors.js';
import { buildHistogram } from '../../tasks/metrics/score-histogram.js';
import { getTask } from '../../tasks/registry.js';
import { assertModelWidth, encodeSplit, federationSpec, jobOf, trainConfigFor } from './encoding.js';
import { bareResult, type Handler } from './types.js';

/**
 * Encodes the holdout with the federation's statistics, evaluates the downloaded weights and replies
 * with the histogram by label, `numExamples` and `metrics.loss`. Scores stay in the bank.
 */
export const evaluateHandler: Handler = async (instruction, ctx) => {
  const job = jobOf(instruction);
  if (ctx.data.holdout.length === 0) throw new FedfinError('data-invalid', 'the bank has no holdout rows (holdoutFraction is 0 or the data is tiny)');
  const spec = federationSpec(instruction, ctx.data.schema, job);
  const weights = await ctx.downloadModel();
  assertModelWidth(weights, spec);
  const data = encodeSplit(spec, ctx.data.holdout);
  const trainer = ctx.createTrainer(getTask(job.task).modelSpec(job, spec.numFeatures));
  const out = await trainer.evaluate(weights, data, trainConfigFor(job, instruction, undefined), ctx.signal);
  const histogram = buildHistogram(out.scores, data.labels);
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
