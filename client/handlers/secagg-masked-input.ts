/**
 * The SecAgg masked-input stage on the bank: train like a fit (site policy, DP-SGD when asked), turn the
 * new weights into an update (new − global), and let the protocol client clip, quantise, noise and mask
 * it. Every ε — DP-SGD's record-level one and the distributed-DP one — is in the ledger, with the masked
 * bytes as the cached result, BEFORE the handler returns them for pushing.
 */
import { flatten, subtract } from '../../common/weights.js';
import { RdpAccountant } from '../../privacy/accounting/rdp-accountant.js';
import type { AccountantState } from '../../privacy/accounting/accountant.js';
import { MASKED_TENSOR, type PrivacySpendInfo } from '../../schema/fleet.js';
import { getTask } from '../../tasks/registry.js';
import { datasetScope, jobScope, type SpendRecord } from '../ledger/ledger.js';
import { checkFit } from '../site-policy.js';
import { accountantFrom, dpSgdSpend, round3 } from './dp-sgd-spend.js';
import { assertModelWidth, encodeSplit, federationSpec, jobOf, trainConfigFor } from './encoding.js';
import { attemptOf, type SecAggSessions } from './secagg-session.js';
import { bareResult, type Handler } from './types.js';


/** Ledger scope of a job's distributed-DP spend when it runs on top of DP-SGD (kept apart from the record-level one). */
export const ddpScope = (jobId: string, datasetId: string): string => `ddp:${jobId}:${datasetId}`;

/** The masked-input handler over the daemon's SecAgg sessions. */
export function secaggMaskedInputHandler(sessions: SecAggSessions): Handler {
  return async (instruction, ctx) => {
    const client = sessions.get(instruction);
    const job = jobOf(instruction);
    const { data, ledger, policy } = ctx;
    const jobKey = jobScope(instruction.jobId, data.datasetId);
    const decision = checkFit({ policy, job, numBanks: instruction.numBanks, numTrain: data.train.length, rememberedNoise: ledger.jobNoise(instruction.jobId, data.datasetId), datasetState: ledger.accountantState(datasetScope(data.datasetId)), jobState: ledger.accountantState(jobKey) });
    if (!decision.accept) {
      ledger.audit('refused', instruction.instructionId, { reason: decision.reason, job: instruction.jobId, round: instruction.round });
      sessions.finish(instruction);
      return { result: bareResult(instruction.instructionId, 'refused', decision.reason), bytes: undefined };
    }
    const dp = decision.dp;
    if (dp?.calibrated) ledger.rememberJobNoise(instruction.jobId, data.datasetId, dp.calibrated);

    const spec = federationSpec(instruction, data.schema, job);
    const global = await ctx.downloadModel();
    assertModelWidth(global, spec);
    const trainer = ctx.createTrainer(getTask(job.task).modelSpec(job, spec.numFeatures));
    const out = await trainer.fit(global, encodeSplit(spec, data.train), trainConfigFor(job, instruction, dp), ctx.signal);
    ctx.signal.throwIfAborted();
    const update = flatten(subtract(out.weights, global));
    sessions.options.probe?.({ jobId: instruction.jobId, round: instruction.round, attempt: attemptOf(instruction), memberId: ctx.memberId, update, numExamples: out.numExamples });

    // Accountants: DP-SGD steps (record level) and the distributed-DP step realised at minSurvivors (worst case).
    const datasetAcc = accountantFrom(ledger.accountantState(datasetScope(data.datasetId)));
    const jobAcc = accountantFrom(ledger.accountantState(jobKey));
    const spends: SpendRecord[] = [];
    const states: { scope: string; state: AccountantState }[] = [];
    let privacy: PrivacySpendInfo | undefined;
    const base = { jobId: instruction.jobId, round: instruction.round, datasetId: data.datasetId, accountant: 'rdp' as const, datasetDelta: policy.delta };
    if (dp) {
      const recordLevel = dpSgdSpend({ instruction, datasetId: data.datasetId, datasetDelta: policy.delta, dp, privacySteps: out.privacySteps, datasetAcc, jobAcc });
      spends.push(recordLevel.spend);
      privacy = recordLevel.privacy;
    }
    const noise = client.plannedNoise();
    const ddp = job.secureAggregation?.distributedDp;
    if (noise && ddp) {
      // Alone, the bank-level guarantee also bounds every record: it goes into the dataset and job accountants.
      // On top of DP-SGD it is kept in its own scope (the record-level accountants already hold DP-SGD's steps).
      const ddpKey = ddpScope(instruction.jobId, data.datasetId);
      const ddpAcc = dp ? accountantFrom(ledger.accountantState(ddpKey)) : jobAcc;
      const roundAcc = new RdpAccountant();
      for (const acc of dp ? [ddpAcc, roundAcc] : [datasetAcc, jobAcc, roundAcc]) acc.step({ noiseMultiplier: noise.noiseMultiplier, sampleRate: noise.sampleRate }, 1);
      const spend = { ...base, instructionId: dp ? `${instruction.instructionId}#ddp` : instruction.instructionId, epsilonRound: roundAcc.epsilon(ddp.delta).epsilon, epsilonJobTotal: ddpAcc.epsilon(ddp.delta).epsilon, epsilonDatasetTotal: datasetAcc.epsilon(policy.delta).epsilon, delta: ddp.delta, noiseMultiplier: noise.noiseMultiplier, sampleRate: noise.sampleRate, steps: 1 };
      if (!dp && spend.epsilonDatasetTotal > policy.maxEpsilon) {
        const reason = `privacy budget: this round's distributed DP would take the dataset to epsilon ${round3(spend.epsilonDatasetTotal)} > this bank's maxEpsilon ${policy.maxEpsilon}`;
        ledger.audit('refused', instruction.instructionId, { reason, job: instruction.jobId, round: instruction.round });
        sessions.finish(instruction);
        return { result: bareResult(instruction.instructionId, 'refused', reason), bytes: undefined };
      }
      spends.push(spend);
      if (dp) states.push({ scope: ddpKey, state: ddpAcc.toState() });
      privacy ??= { accountant: 'rdp', epsilonRound: spend.epsilonRound, epsilonTotal: spend.epsilonJobTotal, delta: ddp.delta, noiseMultiplier: noise.noiseMultiplier, sampleRate: noise.sampleRate, steps: 1, unit: 'bank' };
    }
    const masked = client.maskedInput(instruction.secaggPayload ?? new Uint8Array(0), update, out.numExamples);
    // No example count, loss or other per-bank statistic leaves: the weight travels inside the masked vector.
    const result = { ...bareResult(instruction.instructionId, 'ok'), headers: [{ name: MASKED_TENSOR, shape: [masked.length] }], privacy, encodingHash: spec.specHash, numFeatures: spec.numFeatures };
    ledger.recordFit({ spend: spends[0], extraSpends: spends.slice(1), datasetState: spends.length > 0 ? datasetAcc.toState() : undefined, jobState: spends.length > 0 ? jobAcc.toState() : undefined, extraStates: states, result, jobId: instruction.jobId, bytes: masked });
    ctx.logger.info('masked input ready', { instruction: instruction.instructionId, bytes: masked.length, ...(spends.length > 0 ? { epsilon: spends.map((s) => round3(s.epsilonJobTotal)) } : { dp: false }) });
    return { result, bytes: masked };
  };
}
