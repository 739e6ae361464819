/** The site policy's approval gate: with `requireApproval`, no instruction of a job runs before the bank approves it. */
import { bareResult, type Middleware } from '../handlers/types.js';

/** The refusal reason sent to the coordinator (names the job and the command that lifts it, nothing about the bank's data). */
export function awaitingApprovalReason(jobId: string): string {
  return `job ${jobId} awaits this bank's approval (fedfin client approve --config <bank config> ${jobId})`;
}

/**
 * Refuses every stage (stats, fit, evaluate, secure-aggregation stages) of a job this bank has not approved,
 * when `sitePolicy.requireApproval` is on. The approval is read from the ledger at each instruction, so
 * `fedfin client approve` takes effect on a running daemon without a restart. Each refusal is a `refused`
 * entry in the bank's audit log and a normal refusal at the coordinator (which audits it as `bank-refused`).
 * Sits after the result cache and the secure-aggregation middleware (which wipes a refused round's secrets): a result computed while the job was approved is still answered if re-offered.
 */
export const approvalGate: Middleware = async (instruction, ctx, next) => {
  if (!ctx.policy.requireApproval || ctx.ledger.approval(instruction.jobId)) return next();
  const reason = awaitingApprovalReason(instruction.jobId);
  ctx.logger.warn('instruction refused: job not approved', { instruction: instruction.instructionId, job: instruction.jobId, stage: instruction.stage });
  ctx.ledger.audit('refused', instruction.instructionId, { reason, job: instruction.jobId, round: instruction.round, stage: instruction.stage });
  return { result: bareResult(instruction.instructionId, 'refused', reason), bytes: undefined };
};
