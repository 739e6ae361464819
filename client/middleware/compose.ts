/** compose: chains middleware around a handler, hono-style, with a guard against calling next() twice. */
import type { InstructionInfo } from '../../schema/fleet.js';
import type { Handler, HandlerContext, Middleware, Outcome } from '../handlers/types.js';

/**
 * Builds one handler from `middleware` (outermost first) and the innermost `handler`.
 * Each middleware gets a `next()` that runs the rest of the chain; calling it twice in one dispatch
 * rejects with Error('next() called multiple times'), since running training twice would spend twice.
 * @example compose([failureGuard, fromResultCache], byStage({ stats, fit, evaluate }))
 */
export function compose(middleware: readonly Middleware[], handler: Handler): Handler {
  return (instruction: InstructionInfo, ctx: HandlerContext): Promise<Outcome> => {
    let index = -1;
    const dispatch = (i: number): Promise<Outcome> => {
      if (i <= index) return Promise.reject(new Error('next() called multiple times'));
      index = i;
      const mw = middleware[i];
      if (mw === undefined) return handler(instruction, ctx);
      try {
        return mw(instruction, ctx, () => dispatch(i + 1));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    return dispatch(0);
  };
}
