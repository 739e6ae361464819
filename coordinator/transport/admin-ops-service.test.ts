/** Tests of the operator handlers' pure parts: the audit chain check of a tail and the export metadata of a stored job. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../store/sqlite-store.js';
import { checkChain, exportMetadata } from './admin-ops-service.js';

async function storeWithAudit(n: number) {
  const store = createSqliteStore(new Database(':memory:'));
  for (let i = 0; i < n; i++) await store.appendAudit({ type: 'test', detail: { i } });
  return store;
}

describe('checkChain', () => {
  it('accepts a tail that links to the entry before it, when nothing was altered', async () => {
    const store = await storeWithAudit(5);
    const all = await store.listAudit();
    expect(checkChain(all.slice(2), all[1])).toEqual({ ok: true, problem: '' });
    expect(checkChain(all, undefined).ok).toBe(true);
  });

  it('names the entry whose content no longer matches its hash, when a detail was altered', async () => {
    const all = [...(await (await storeWithAudit(4)).listAudit())];
    all[2] = { ...all[2]!, detail: { i: 99 } };
    expect(checkChain(all, undefined)).toEqual({ ok: false, problem: 'entry 3: its hash does not match its content' });
  });

  it('names the broken link, when an entry was removed from the middle', async () => {
    const all = await (await storeWithAudit(4)).listAudit();
    expect(checkChain([all[0]!, all[2]!, all[3]!], undefined)).toEqual({ ok: false, problem: 'entry 3 does not link to entry 1 (prevHash differs)' });
  });
});

describe('exportMetadata', () => {
  it('builds task, schema hash, stats, metrics of the round and a no-DP statement, when the job ran without DP', async () => {
    const store = createSqliteStore(new Database(':memory:'));
    const spec = { name: 'n', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 1 };
    await store.createJob({ jobId: 'j1', name: 'n', task: 'credit-scoring', specJson: JSON.stringify(spec), roundsTotal: 1, createdAt: '2026-01-01T00:00:00Z' });
    const w = [{ name: 'dense_0/kernel', shape: [3, 1], values: new Float32Array(3) }, { name: 'dense_0/bias', shape: [1], values: new Float32Array(1) }];
    await store.initializeJob('j1', JSON.stringify({ age: { mean: 40, std: 9 } }), 'cd'.repeat(32), w, ['a', 'b']);
    await store.commitRound({ jobId: 'j1', round: 1, attempt: 1, weights: w, strategyStateJson: undefined, participants: ['a', 'b'], dropped: [], metrics: { auc: 0.61 }, ledger: [], epsilon: undefined, delta: undefined, trainMs: 1, evaluateMs: 1, completedAt: '2026-01-01T00:01:00Z' });
    const meta = await exportMetadata(store, (await store.getJob('j1'))!, 1, new Date('2026-01-02T00:00:00Z'));
    expect(meta).toMatchObject({ jobId: 'j1', round: 1, metrics: { auc: 0.61 }, model: { numFeatures: 3, hiddenUnits: [] }, encoding: { featureHash: 'cd'.repeat(32), stats: { age: { mean: 40, std: 9 } } }, privacy: { mode: 'none' } });
    expect(meta.schema.hash).toMatch(/^[0-9a-f]{64}$/);
    await store.close();
  });
});
