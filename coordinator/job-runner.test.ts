import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { silentLogger } from '../common/log.js';
import { Dispatcher } from './fleet/dispatcher.js';
import { MemberRegistry } from './fleet/member-registry.js';
import { commitWithRetry, type JobRunnerDeps } from './job-runner.js';
import { createSqliteStore } from './store/sqlite-store.js';
import type { RoundCommit, Store } from './store/store.js';

const commit: RoundCommit = {
  jobId: 'j', round: 1, attempt: 1, weights: [{ name: 'w', shape: [1], values: Float32Array.of(1) }], strategyStateJson: undefined,
  participants: ['a', 'b'], dropped: [], metrics: {}, ledger: [], epsilon: undefined, delta: undefined, trainMs: 1, evaluateMs: 1, completedAt: 'now',
};

/** A store whose commitRound fails `failures` times with SQLITE_FULL before working. */
function fullDisk(inner: Store, failures: number): Store {
  let left = failures;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'commitRound') {
        return async (c: RoundCommit) => {
          if (left-- > 0) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          return target.commitRound(c);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

describe('commitWithRetry', () => {
  it('retries a full disk until the round commits, losing nothing', { timeout: 20_000 }, async () => {
    const inner = createSqliteStore(new Database(':memory:'));
    await inner.createJob({ jobId: 'j', name: 'n', task: 'credit-scoring', specJson: '{}', roundsTotal: 1, createdAt: 'x' });
    const store = fullDisk(inner, 2);
    const deps: JobRunnerDeps = { store, dispatcher: new Dispatcher(), registry: new MemberRegistry(1000), logger: silentLogger, onEvent: () => {} };
    expect(await commitWithRetry(deps, commit, new AbortController().signal, silentLogger)).toBe(true);
    expect((await inner.getJob('j'))?.roundsDone).toBe(1);
    expect((await inner.latestCheckpoint('j'))?.round).toBe(1);
  });

  it('rethrows errors that are not storage errors (bugs stay loud)', async () => {
    const inner = createSqliteStore(new Database(':memory:'));
    const deps: JobRunnerDeps = { store: inner, dispatcher: new Dispatcher(), registry: new MemberRegistry(1000), logger: silentLogger, onEvent: () => {} };
    await expect(commitWithRetry(deps, commit, new AbortController().signal, silentLogger)).rejects.toThrow(/not at round 0/);
  });
});
