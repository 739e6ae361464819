/** Tests for the link's backoff: exponential caps, full jitter from an injected source, which codes retry, deadlines. */
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { actionFor, backoffCap, backoffDelay, realClock, shouldLogAttempt, withRetry, type RetryClock } from './retry.js';

const SETTINGS = { initialMs: 100, maxMs: 1000, factor: 2 };

/** A clock whose "random" draw is always the top of the range, recording sleeps instead of waiting. */
function fakeClock(pick: 'max' | 'min' = 'max'): RetryClock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, randomBelow: (n) => (pick === 'max' ? n - 1 : 0), sleep: async (ms) => void slept.push(ms) };
}

describe('backoff', () => {
  it('doubles the cap up to maxMs, when attempts grow', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffCap(SETTINGS, a))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('draws each delay uniformly in [0, cap] from the clock, when jittering', () => {
    expect(backoffDelay(SETTINGS, 2, fakeClock('max'))).toBe(400);
    expect(backoffDelay(SETTINGS, 2, fakeClock('min'))).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(SETTINGS, 3, realClock);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('maps gRPC codes to retry, rejoin or fatal, when a call fails', () => {
    expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED].map(actionFor)).toEqual(['retry', 'retry', 'retry']);
    expect(actionFor(status.UNAUTHENTICATED)).toBe('rejoin');
    expect([status.INVALID_ARGUMENT, status.FAILED_PRECONDITION, status.PERMISSION_DENIED, undefined].map(actionFor)).toEqual(['fatal', 'fatal', 'fatal', 'fatal']);
  });

  it('logs attempts 1, 2, 4, 8 … only, when an outage lasts', () => {
    expect(Array.from({ length: 20 }, (_, i) => i).filter(shouldLogAttempt).map((a) => a + 1)).toEqual([1, 2, 4, 8, 16]);
  });
});

describe('withRetry', () => {
  it('sleeps the backoff schedule between failures and returns the first success, when the call recovers', async () => {
    const clock = fakeClock('max');
    let calls = 0;
    const out = await withRetry(async () => (++calls < 5 ? Promise.reject(new Error('down')) : 'ok'), { settings: SETTINGS, clock, shouldRetry: () => true });
    expect(out).toBe('ok');
    expect(clock.slept).toEqual([100, 200, 400, 800]);
  });

  it('rethrows at once, when the error is not retryable', async () => {
    const clock = fakeClock();
    await expect(withRetry(() => Promise.reject(new Error('bad')), { settings: SETTINGS, clock, shouldRetry: () => false })).rejects.toThrow('bad');
    expect(clock.slept).toEqual([]);
  });

  it('gives up with the last error, when the next retry would start after the deadline', async () => {
    const clock = fakeClock('max');
    const err = await withRetry(() => Promise.reject(new Error('down')), { settings: SETTINGS, clock, shouldRetry: () => true, deadlineMs: 350, now: () => 0 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('down');
    expect(clock.slept).toEqual([100, 200]);
  });

  it('stops with the abort reason, when the signal aborts', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stopping'));
    await expect(withRetry(() => Promise.resolve(1), { settings: SETTINGS, shouldRetry: () => true, signal: ac.signal })).rejects.toThrow('stopping');
  });
});
