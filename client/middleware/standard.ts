/** The daemon's standard middleware: answer re-offered instructions from the result cache, and turn throws into "failed". */
import { FedfinError } from '../../common/errors.js';
import type { FleetStage } from '../../schema/fleet.js';
import { bareResult, type Handler, type Middleware } from '../handlers/types.js';

/**
 * A re-offered instruction (the coordinator restarted, or our push was lost) is answered from the
 * ledger's cache: the same header and bytes, with no training and no second privacy spend.
 */
export const fromResultCache: Middleware = async (instruction, ctx, next) => {
  const cached = ctx.ledger.cachedResult(instruction.instructionId);
  if (cached) {
    ctx.logger.info('answering from the result cache', { instruction: instruction.instructionId });
    return { result: cached.result, bytes: cached.bytes };
  }
  return next();
};

/**
 * Errors whose messages describe the job or the instruction (what the coordinator sent), never the bank's
 * files or data: only these travel with their text.
 */
// Secure-aggregation failures name the offending member and stage (never data): shareable too.
const SHAREABLE = new Set(['config-invalid', 'protocol-violation', 'encoding-mismatch', 'privacy-budget-exhausted', 'signature-invalid', 'decryption-failed', 'share-invalid']);

/**
 * Short, value-free text for a failure. Domain errors carry their code; the text only when it is about
 * the job. Anything else (file paths, data errors, bugs) stays in the bank's own log.
 */
export function failureReason(err: unknown): string {
  if (err instanceof FedfinError) return SHAREABLE.has(err.code) ? `${err.code}: ${err.message.slice(0, 300)}` : `${err.code} (details in the bank's log)`;
  return 'internal error in the bank daemon (see its log)';
}

/** Any exception below becomes a "failed" result with a short reason; the daemon keeps running. */
export const failureGuard: Middleware = async (instruction, ctx, next) => {
  try {
    return await next();
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const reason = failureReason(err);
    ctx.logger.warn('instruction failed', { instruction: instruction.instructionId, reason, error: err instanceof Error ? err.message : String(err) });
    ctx.ledger.audit('failed', instruction.instructionId, { reason });
    return { result: bareResult(instruction.instructionId, 'failed', reason), bytes: undefined };
  }
};

/** Routes by stage to one handler each. */
export function byStage(handlers: Readonly<Record<FleetStage, Handler>>): Handler {
  return (instruction, ctx) => handlers[instruction.stage](instruction, ctx);
}
