/** Backoff for the coordinator link: exponential caps with full jitter (from node:crypto), and which gRPC codes are retried. */
import { randomInt } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { RetrySettings } from '../../schema/node-config.js';

/** Default backoff: 200 ms, doubling, capped at 10 s. */
export const DEFAULT_RETRY: RetrySettings = { initialMs: 200, maxMs: 10_000, factor: 2 };

/** gRPC codes after which the link backs off and tries again (the coordinator restarts, is overloaded, or slow). */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED]);

/** How the link reacts to a failed call. */
export type FailureAction = 'retry' | 'rejoin' | 'fatal';

/** UNAVAILABLE/DEADLINE_EXCEEDED/RESOURCE_EXHAUSTED → retry; UNAUTHENTICATED → join again; anything else → fatal for this call. */
export function actionFor(code: number | undefined): FailureAction {
  if (code === status.UNAUTHENTICATED) return 'rejoin';
  if (code !== undefined && RETRYABLE_CODES.has(code)) return 'retry';
  return 'fatal';
}

/** Injected for tests: a uniform integer in [0, maxExclusive), and a sleep honouring a signal. */
export interface RetryClock {
  randomBelow(maxExclusive: number): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Sleeps `ms`, rejecting with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The production clock: node:crypto's randomInt (never a non-cryptographic generator) and setTimeout. */
export const realClock: RetryClock = { randomBelow: (n) => (n <= 1 ? 0 : randomInt(0, Math.min(n, 2 ** 48 - 1))), sleep };

/** The cap of attempt `attempt` (0-based): min(maxMs, initialMs · factor^attempt). */
export function backoffCap(settings: RetrySettings, attempt: number): number {
  return Math.min(settings.maxMs, settings.initialMs * settings.factor ** Math.min(attempt, 60));
}

/**
 * The delay before retry number `attempt` (0-based): "full jitter" (AWS Architecture Blog, 2015),
 * uniform in [0, cap]. Spreads reconnecting banks apart after a coordinator restart.
 */
export function backoffDelay(settings: RetrySettings, attempt: number, clock: RetryClock = realClock): number {
  return clock.randomBelow(Math.floor(backoffCap(settings, attempt)) + 1);
}

/** Options of {@link withRetry}. */
export interface RetryOptions {
  readonly settings: RetrySettings;
  readonly clock?: RetryClock;
  readonly signal?: AbortSignal;
  /** Give up (rethrow) once a retry would start after this time (ms since epoch). @default never */
  readonly deadlineMs?: number;
  /** Which errors to retry. */
  readonly shouldRetry: (err: unknown) => boolean;
  /** Called before each sleep, e.g. to log at a sane rate. */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Current time. @default Date.now */
  readonly now?: () => number;
}

/**
 * Calls `fn` until it resolves, sleeping `backoffDelay` between attempts while `shouldRetry(err)` holds.
 * @throws the last error when it is not retryable, when the deadline would pass, or the signal's reason on abort.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const clock = o.clock ?? realClock;
  const now = o.now ?? Date.now;
  for (let attempt = 0; ; attempt++) {
    o.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      if (o.signal?.aborted || !o.shouldRetry(err)) throw err;
      const delay = backoffDelay(o.settings, attempt, clock);
      if (o.deadlineMs !== undefined && now() + delay > o.deadlineMs) throw err;
      o.onRetry?.(err, attempt, delay);
      await clock.sleep(delay, o.signal);
    }
  }
}

/** True for attempts worth a log line: 1, 2, 4, 8 … so a long outage logs O(log n) lines, not one per try. */
export function shouldLogAttempt(attempt: number): boolean {
  const n = attempt + 1;
  return (n & (n - 1)) === 0;
}
