/** The stats stage: the bank's feature hash, encoded width and numeric moments over its TRAIN split (aggregates only). */
import { computeMoments } from '../../schema/encoding-stats.js';
import { featureHash, numericInputs, placeholderSpec } from '../data/feature-schema.js';
import { getTask } from '../../tasks/registry.js';
import { jobOf } from './encoding.js';
import { examplesStats } from './task-examples.js';
import { bareResult, type Handler } from './types.js';

/**
 * Replies with `numFeatures` (width of the encoding of the desensitised schema), `encodingHash` (the
 * feature hash: equal across banks with the same schema and policy rules) and `momentsJson`
 * ({field: {count, sum, sumSq}} of each numeric input over the train split).
 */
export const statsHandler: Handler = async (instruction, ctx) => {
  const job = jobOf(instruction);
  const custom = getTask(job.task).examples;
  if (custom) return examplesStats(instruction, ctx, job, custom);
  const schema = ctx.data.schema;
  const spec = placeholderSpec(schema, job.encoding.includeSensitive);
  const wanted = new Set(numericInputs(spec));
  const all = computeMoments(ctx.data.train, schema);
  const moments = Object.fromEntries(Object.entries(all).filter(([name]) => wanted.has(name)));
  const result = {
    ...bareResult(instruction.instructionId, 'ok'),
    numExamples: ctx.data.train.length,
    numFeatures: spec.numFeatures,
    encodingHash: featureHash(schema, job.encoding.includeSensitive),
    momentsJson: JSON.stringify(moments),
  };
  ctx.ledger.cacheResult(instruction.jobId, 'stats', result);
  ctx.logger.info('stats sent', { instruction: instruction.instructionId, features: spec.numFeatures, trainRows: ctx.data.train.length });
  return { result, bytes: undefined };
};
