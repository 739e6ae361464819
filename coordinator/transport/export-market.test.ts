/** Model export refuses market-forecast jobs with the reason, instead of writing a package that would misdescribe an LSTM regressor. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { initModelWeights } from '../../tasks/models/model-spec.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { exportMetadata } from './admin-ops-service.js';

describe('exportMetadata for market-forecast', () => {
  it('refuses with FAILED_PRECONDITION naming the task and what export covers', async () => {
    const store = createSqliteStore(new Database(':memory:'));
    const spec = { name: 'm', task: 'market-forecast', schema: 'market.v1', model: { type: 'lstm', units: 4 }, rounds: 1 };
    await store.createJob({ jobId: 'm1', name: 'm', task: 'market-forecast', specJson: JSON.stringify(spec), roundsTotal: 1, createdAt: '2026-01-01T00:00:00Z' });
    const w = initModelWeights({ kind: 'lstm', timesteps: 20, featuresPerStep: 4, units: 4 }, seededRandom(1));
    await store.initializeJob('m1', JSON.stringify({ logReturn: { mean: 0, std: 0.02 } }), 'ab'.repeat(32), w, ['a', 'b']);
    await store.commitRound({ jobId: 'm1', round: 1, attempt: 1, weights: w, strategyStateJson: undefined, participants: ['a', 'b'], dropped: [], metrics: { rmse: 0.02 }, ledger: [], epsilon: undefined, delta: undefined, trainMs: 1, evaluateMs: 1, completedAt: '2026-01-01T00:01:00Z' });
    await expect(exportMetadata(store, (await store.getJob('m1'))!, 1)).rejects.toMatchObject({ code: 9, message: expect.stringContaining('job m1 (market-forecast) trains a regression model over per-symbol windows') });
    await store.close();
  });
});
