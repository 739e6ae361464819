/** The fit stage: site policy and budget check, local training (DP-SGD when the job asks), ledger entry, then the update. */
import { encodeWeights } from '../../common/weights-codec.js';
import type { PrivacySpendInfo } from '../../schema/fleet.js';
import { fraudRoundConfig } from '../../tasks/fraud-detection.js';
import { getTask } from '../../tasks/registry.js';
import { jobScope, datasetScope, type SpendRecord } from '../ledger/ledger.js';
import { checkFit } from '../site-policy.js';
import { accountantFrom, dpSgdSpend, round3 } from './dp-sgd-spend.js';
import { jobOf, trainConfigFor } from './encoding.js';
import { trainExampleCount, trainingInputs } from './task-examples.js';
import { bareResult, type Handler } from './types.js';

/**
 * Checks the site policy (refusing with a reason, logged and audited), trains on the train split, then
 * records the privacy spend (both accountants' new states and a spend row) and caches the result in ONE
 * ledger transaction — only then is the outcome returned for pushing. ε per round comes from the steps
 * the trainer actually took.
 */
export const fitHandler: Handler = async (instruction, ctx) => {
  const job = jobOf(instruction);
  const { data, ledger, policy } = ctx;
  const jobKey = jobScope(instruction.jobId, data.datasetId);
  // A job without record-level DP spends nothing, and checkFit reads none of the privacy state for it: the ledger
  // reads (and, for tasks that build their own examples, the training-set count) happen for DP jobs only, where
  // they are read fresh at every instruction as before.
  const dpJob = job.privacy.mode !== 'none';
  const decision = checkFit({
    policy,
    job,
    numBanks: instruction.numBanks,
    numTrain: dpJob ? trainExampleCount(ctx, job) : 0,
    rememberedNoise: dpJob ? ledger.jobNoise(instruction.jobId, data.datasetId) : undefined,
    datasetState: dpJob ? ledger.accountantState(datasetScope(data.datasetId)) : undefined,
    jobState: dpJob ? ledger.accountantState(jobKey) : undefined,
  });
  if (!decision.accept) {
    ctx.logger.warn('instruction refused', { instruction: instruction.instructionId, reason: decision.reason });
    ledger.audit('refused', instruction.instructionId, { reason: decision.reason, job: instruction.jobId, round: instruction.round });
    return { result: bareResult(instruction.instructionId, 'refused', decision.reason), bytes: undefined };
  }
  const dp = decision.dp;
  if (dp?.calibrated) ledger.rememberJobNoise(instruction.jobId, data.datasetId, dp.calibrated);

  const { weights, train, specHash, numFeatures } = await trainingInputs(instruction, ctx, job);
  const trainer = ctx.createTrainer(getTask(job.task).modelSpec(job, numFeatures));
  // fraud-detection adds its class weight from this bank's labels (tasks/fraud-detection.ts).
  const out = await trainer.fit(weights, train, { ...trainConfigFor(job, instruction, dp), ...fraudRoundConfig(job, train.labels, dp !== undefined) }, ctx.signal);
  ctx.signal.throwIfAborted();

  let spend: SpendRecord | undefined;
  let privacy: PrivacySpendInfo | undefined;
  let datasetState;
  let jobState;
  if (dp) {
    const datasetAcc = accountantFrom(ledger.accountantState(datasetScope(data.datasetId)));
    const jobAcc = accountantFrom(ledger.accountantState(jobKey));
    ({ spend, privacy } = dpSgdSpend({ instruction, datasetId: data.datasetId, datasetDelta: policy.delta, dp, privacySteps: out.privacySteps, datasetAcc, jobAcc }));
    datasetState = datasetAcc.toState();
    jobState = jobAcc.toState();
  }
  const { headers, bytes } = encodeWeights(out.weights);
  const result = {
    ...bareResult(instruction.instructionId, 'ok'),
    numExamples: out.numExamples,
    // The training loss is computed from private data outside the DP guarantee, so with DP only the step count leaves.
    metrics: dp ? { steps: out.metrics['steps'] ?? 0 } : { ...out.metrics },
    headers,
    privacy,
    encodingHash: specHash,
    numFeatures,
  };
  ledger.recordFit({ spend, datasetState, jobState, result, jobId: instruction.jobId, bytes });
  ctx.logger.info('fit done', {
    instruction: instruction.instructionId,
    trainRows: out.numExamples,
    ...(spend ? { epsilonRound: round3(spend.epsilonRound), epsilonJob: round3(spend.epsilonJobTotal), epsilonDataset: round3(spend.epsilonDatasetTotal), epsilonLeft: round3(Math.max(0, policy.maxEpsilon - spend.epsilonDatasetTotal)) } : { dp: false }),
  });
  return { result, bytes };
};

