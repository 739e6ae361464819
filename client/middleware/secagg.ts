/** Secure-aggregation middleware and stage routing for the bank daemon: a failed SecAgg stage wipes that round's secrets. */
import { isSecAggStage, type FleetStage } from '../../schema/fleet.js';
import { secaggAdvertiseHandler, secaggShareKeysHandler, secaggUnmaskHandler } from '../handlers/secagg-keys.js';
import { secaggMaskedInputHandler } from '../handlers/secagg-masked-input.js';
import type { SecAggSessions } from '../handlers/secagg-session.js';
import type { Handler, Middleware } from '../handlers/types.js';

/**
 * A bank that fails or refuses a SecAgg stage is out of that round attempt: its protocol client (keys,
 * seed, shares it holds) is wiped at once, so no later instruction of the attempt can make it reveal
 * anything. The failure itself travels as usual (failureGuard, outermost, turns a throw into "failed").
 */
export function secaggMiddleware(sessions: SecAggSessions): Middleware {
  return async (instruction, ctx, next) => {
    if (!isSecAggStage(instruction.stage)) return next();
    try {
      const out = await next();
      if (out.result.status !== 'ok') sessions.finish(instruction);
      return out;
    } catch (err) {
      ctx.logger.warn('secure-aggregation stage failed; this round\'s secrets are wiped', { instruction: instruction.instructionId, stage: instruction.stage });
      sessions.finish(instruction);
      throw err;
    }
  };
}

/** The four SecAgg stage handlers, for `byStage`. */
export function secaggHandlers(sessions: SecAggSessions): Readonly<Record<Extract<FleetStage, `secagg-${string}`>, Handler>> {
  return {
    'secagg-advertise': secaggAdvertiseHandler(sessions),
    'secagg-share-keys': secaggShareKeysHandler(sessions),
    'secagg-masked-input': secaggMaskedInputHandler(sessions),
    'secagg-unmask': secaggUnmaskHandler(sessions),
  };
}
