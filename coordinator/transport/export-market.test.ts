/** ExportModel's metadata for market-forecast jobs: the LSTM or MLP regressor, windows, target scale, regression metrics and a per-window privacy statement. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { marketJobInStore, MARKET_STATS } from '../../test/helpers/market-job.js';
import { marketFeatureHash, MarketModelMetadataSchema } from '../../tasks/market-forecast/package.js';
import { marketSpecHash } from '../../tasks/market-forecast.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { exportMetadata } from './admin-ops-service.js';

const fresh = () => createSqliteStore(new Database(':memory:'));

describe('exportMetadata for market-forecast', () => {
  it('describes an LSTM job: shape, windows, target scale, spec hash, final metrics and ε per window', async () => {
    const store = fresh();
    await marketJobInStore(store, { jobId: 'm1', model: { type: 'lstm', units: 4 }, windowDays: 10, dp: true });
    const meta = await exportMetadata(store, (await store.getJob('m1'))!, 2, new Date('2026-02-01T00:00:00Z'));
    expect(MarketModelMetadataSchema.parse(meta)).toEqual(meta);
    expect(meta).toMatchObject({
      task: 'market-forecast', round: 2, jobStatus: 'completed',
      model: { kind: 'lstm', numFeatures: 40, timesteps: 10, featuresPerStep: 4, units: 4, output: 'scaled-return' },
      encoding: { schemaId: 'market.v1', numFeatures: 40, stats: MARKET_STATS, spec: null, featureHash: marketFeatureHash({ windowDays: 10, holdoutFraction: 0.25 }) },
      market: { windowDays: 10, holdoutFraction: 0.25, maxMissingWeekdays: 3, costBps: 5, features: ['logReturn', 'logVolumeChange', 'logRange', 'logBody'], target: { kind: 'next-day-log-return', scale: 0.018, centred: false } },
      metrics: { rmse: 0.02 - 2 * 0.001, directionalAccuracy: 0.52, sharpe: 0.6 },
      privacy: { mode: 'dp-sgd', epsilon: 1, delta: 1e-5, accountant: 'rdp', unit: 'window', sampling: 'Poisson', noiseMultipliers: [1.2], perBank: [{ memberId: 'bank-a', epsilon: 0.8, rounds: 2 }, { memberId: 'bank-b', epsilon: 1, rounds: 2 }] },
    });
    expect('market' in meta && meta.market.specHash).toBe(marketSpecHash({ windowDays: 10, holdoutFraction: 0.25 }, MARKET_STATS));
    expect(meta.privacy.statement).toContain('per training window of one instrument');
    expect(meta.privacy.statement).toContain('up to 11 windows');
    // ε up to the exported round only.
    expect((await exportMetadata(store, (await store.getJob('m1'))!, 1)).privacy.epsilon).toBe(0.5);
    await store.close();
  });

  it('describes the MLP baseline without DP: hidden layers, scaled-return output, no guarantee stated', async () => {
    const store = fresh();
    await marketJobInStore(store, { jobId: 'b1', model: { type: 'mlp', hidden: [8] }, windowDays: 5, dp: false });
    const meta = await exportMetadata(store, (await store.getJob('b1'))!, 2);
    expect(meta.model).toEqual({ kind: 'mlp', numFeatures: 20, hiddenUnits: [8], activation: 'relu', output: 'scaled-return' });
    expect(meta.privacy).toMatchObject({ mode: 'none', epsilon: null, delta: null, unit: null, accountant: null });
    expect(meta.privacy.statement).toMatch(/^No differential privacy.*no formal guarantee about any window/);
    await store.close();
  });

  it('refuses a job whose banks reported a feature hash its forecast settings do not give, naming both hashes', async () => {
    const store = fresh();
    await marketJobInStore(store, { jobId: 'h1', model: { type: 'logistic' }, windowDays: 5, dp: false });
    const job = (await store.getJob('h1'))!;
    await expect(exportMetadata(store, { ...job, featureHash: 'ab'.repeat(32) }, 2)).rejects.toMatchObject({ code: 9, message: expect.stringMatching(/job h1 \(market-forecast\) cannot be exported: the banks' feature hash abababababab… is not the hash of its forecast settings/) });
    await expect(exportMetadata(store, { ...job, encodingStatsJson: JSON.stringify({ logReturn: { mean: 0, std: 1 } }) }, 2)).rejects.toMatchObject({ code: 9, message: expect.stringContaining('lack logVolumeChange, logRange, logBody') });
    await store.close();
  });
});
