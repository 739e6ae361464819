/** compose: chains middleware around a handler, hono-style, with a guard against calling next() twice. */
import type { InstructionInfo } from '../../schema/fleet.js';
import type { Handler, HandlerContext, Middleware, Outcome } from '../handlers/types.js';

/** One dispatch's position in the chain: the deepest middleware entered so far. */
interface Dispatch {
  readonly instruction: InstructionInfo;
  readonly ctx: HandlerContext;
  index: number;
}

/**
 * Builds one handler from `middleware` (outermost first) and the innermost `handler`.
 * Each middleware gets a `next()` that runs the rest of the chain; calling it twice in one dispatch
 * rejects with Error('next() called multiple times'), since running training twice would spend twice.
 * @example compose([failureGuard, fromResultCache], byStage({ stats, fit, evaluate }))
 */
export function compose(middleware: readonly Middleware[], handler: Handler): Handler {
  // The chain walker is built once here, not per instruction: the TypeScript loader (tsx, keepNames) gives every
  // named closure a defineProperty call, which cost more than the whole chain when the daemon created one per
  // instruction. The per-dispatch state is a plain object and each `next` an anonymous arrow.
  const step = (d: Dispatch, i: number): Promise<Outcome> => {
    if (i <= d.index) return Promise.reject(new Error('next() called multiple times'));
    d.index = i;
    const mw = middleware[i];
    if (mw === undefined) return handler(d.instruction, d.ctx);
    try {
      return mw(d.instruction, d.ctx, () => step(d, i + 1));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (instruction: InstructionInfo, ctx: HandlerContext): Promise<Outcome> => step({ instruction, ctx, index: -1 }, 0);
}
