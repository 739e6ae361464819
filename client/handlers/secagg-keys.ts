/** The first two SecAgg stages on the bank: advertise (fresh keys, signed) and share-keys (encrypted shares for the neighbours). */
import { checkFit } from '../site-policy.js';
import { datasetScope, jobScope } from '../ledger/ledger.js';
import { jobOf } from './encoding.js';
import type { SecAggSessions } from './secagg-session.js';
import { bareResult, type Handler } from './types.js';

/**
 * Advertise: the site policy is checked first (a bank that would refuse to train drops out here, before
 * any key is shared, so nobody has to recover its masks); then a fresh protocol client draws two X25519
 * key pairs and the self-mask seed and signs them with the bank's identity key.
 */
export function secaggAdvertiseHandler(sessions: SecAggSessions): Handler {
  return async (instruction, ctx) => {
    const job = jobOf(instruction);
    const decision = checkFit({
      policy: ctx.policy,
      job,
      numBanks: instruction.numBanks,
      numTrain: ctx.data.train.length,
      rememberedNoise: ctx.ledger.jobNoise(instruction.jobId, ctx.data.datasetId),
      datasetState: ctx.ledger.accountantState(datasetScope(ctx.data.datasetId)),
      jobState: ctx.ledger.accountantState(jobScope(instruction.jobId, ctx.data.datasetId)),
    });
    if (!decision.accept) {
      ctx.logger.warn('secure-aggregation round refused', { instruction: instruction.instructionId, reason: decision.reason });
      ctx.ledger.audit('refused', instruction.instructionId, { reason: decision.reason, job: instruction.jobId, round: instruction.round });
      return { result: bareResult(instruction.instructionId, 'refused', decision.reason), bytes: undefined };
    }
    const client = sessions.start(instruction, ctx.memberId, job);
    const payload = client.advertise();
    return { result: { ...bareResult(instruction.instructionId, 'ok'), secaggPayload: payload }, bytes: undefined };
  };
}

/**
 * Share keys: verifies every neighbour's signed advertisement in the roster, Shamir-splits the mask key
 * and the self-mask seed, and seals one box per neighbour. Only ciphertexts leave.
 */
export function secaggShareKeysHandler(sessions: SecAggSessions): Handler {
  return async (instruction, _ctx) => {
    const client = sessions.get(instruction);
    const payload = client.shareKeys(instruction.secaggPayload ?? new Uint8Array(0));
    return { result: { ...bareResult(instruction.instructionId, 'ok'), secaggPayload: payload }, bytes: undefined };
  };
}

/**
 * Unmask: reveals, per listed neighbour, the self-mask share of a survivor or the mask-key share of a
 * dropped bank — never both — then wipes every secret of the round.
 */
export function secaggUnmaskHandler(sessions: SecAggSessions): Handler {
  return async (instruction, ctx) => {
    // A re-offered unmask (the coordinator restarted before storing our answer) gets the same answer;
    // only the answer is kept, the secrets are gone.
    const earlier = sessions.unmaskAnswer(instruction.instructionId);
    if (earlier) return { result: { ...bareResult(instruction.instructionId, 'ok'), secaggPayload: earlier }, bytes: undefined };
    const client = sessions.get(instruction);
    try {
      const payload = client.unmask(instruction.secaggPayload ?? new Uint8Array(0));
      sessions.rememberUnmask(instruction.instructionId, payload);
      const delayMs = sessions.options.unmaskDelayMs ?? 0;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      ctx.logger.info('secure-aggregation round unmasked; secrets wiped', { instruction: instruction.instructionId });
      return { result: { ...bareResult(instruction.instructionId, 'ok'), secaggPayload: payload }, bytes: undefined };
    } finally {
      sessions.finish(instruction);
    }
  };
}
