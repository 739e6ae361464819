/** Integration: three real bank daemons (createDaemon, tfjs) train an LSTM market-forecast job with DP-SGD over real gRPC; regression sums pool into the round's metrics. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../client/daemon.js';
import { synthesize } from '../../simulations/synth/index.js';
import { submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';
import { startSynthDaemons } from '../helpers/synth-daemons.js';

describe('market-forecast over gRPC', () => {
  const fx = useCoordinatorFixture({ prefix: 'fedfin-market-' });
  let daemons: Daemon[] = [];
  afterEach(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    daemons = [];
  });

  it('trains an LSTM with DP-SGD for 2 rounds, records every bank\'s spend and commits pooled RMSE, directional accuracy and backtest metrics', async () => {
    const coord = await fx.start();
    const dir = fx.dir;
    const summary = await synthesize({ schema: 'market.v1', banks: 3, rows: 360, seed: 11, skew: 0.3, outDir: join(dir, 'banks') });
    daemons = startSynthDaemons({ dir, coordinator: coord.address, synth: summary, schema: 'market.v1', task: 'market-forecast', holdoutFraction: 0.2, policy: (bank) => ({ schema: 'market.v1', domain: `${bank}/market`, k: 1, maxSuppression: 0, fields: {} }) }).daemons;
    const job = await submitJob(coord.admin, {
      name: 'market', task: 'market-forecast', schema: 'market.v1', model: { type: 'lstm', units: 8 }, rounds: 2, minBanks: 3,
      localEpochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'adam', privacy: { mode: 'dp-sgd', noiseMultiplier: 1, clippingNorm: 1, delta: 1e-5, maxEpsilon: 40 }, forecast: { windowDays: 10, holdoutFraction: 0.25, maxMissingWeekdays: 3, costBps: 5 },
      timeouts: { fitMs: 60_000, evaluateMs: 30_000 },
    });
    const final = await waitForJobEnd(coord.store, job.job_id, 90_000);
    expect(final.status, final.reason).toBe('completed');

    const rounds = await coord.store.listRounds(job.job_id);
    expect(rounds).toHaveLength(2);
    const m = rounds[1]!.metrics;
    expect(m['evalBanks']).toBe(3);
    for (const k of ['rmse', 'mae', 'directionalAccuracy', 'annualVolatility', 'maxDrawdown', 'turnover', 'buyHoldSharpe', 'backtestDays']) expect(Number.isFinite(m[k]), k).toBe(true);
    // A 2-round DP model may forecast "down" everywhere: the long/flat book then never trades and has no Sharpe.
    if (m['turnover'] === 0 && m['annualVolatility'] === 0) expect(m['sharpe']).toBeUndefined();
    else expect(Number.isFinite(m['sharpe']), 'sharpe').toBe(true);
    expect(m['rmse']).toBeGreaterThan(0.001);
    expect(m['rmse']).toBeLessThan(0.2);
    expect(m['directionalAccuracy']).toBeGreaterThan(0);
    expect(m['directionalAccuracy']).toBeLessThan(1);
    // Same holdout every round: the buy-and-hold benchmark does not depend on the model.
    expect(rounds[0]!.metrics['buyHoldSharpe']).toBeCloseTo(m['buyHoldSharpe']!, 10);
    const cp = await coord.store.latestCheckpoint(job.job_id);
    expect(cp!.weights.map((t) => `${t.name}:${t.shape.join('x')}`)).toEqual(['lstm/kernel:4x32', 'lstm/recurrent_kernel:8x32', 'lstm/bias:32', 'dense/kernel:8x1', 'dense/bias:1']);
    // DP-SGD on windows: every bank's spend is in the coordinator's ledger, per window sampled.
    const ledger = await coord.store.ledger({ jobId: job.job_id });
    expect(new Set(ledger.map((l) => l.memberId)).size).toBe(3);
    expect(ledger.every((l) => l.epsilonTotal > 0 && l.epsilonTotal < 40)).toBe(true);
  }, 120_000);
});
