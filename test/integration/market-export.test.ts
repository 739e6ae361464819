/** Integration: a market-forecast LSTM trained by two real bank daemons over gRPC is exported with `fedfin admin models export`, and `fedfin predict` on each bank's file reproduces the coordinator's last evaluation. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../client/daemon.js';
import type { MarketPredictSummary } from '../../cli/predict-market.js';
import { synthesize } from '../../simulations/synth/index.js';
import { readAnyModelMetadata } from '../../tasks/model-package-kinds.js';
import { submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';
import { startSynthDaemons } from '../helpers/synth-daemons.js';
import { runCli } from '../helpers/run-cli.js';

describe('market-forecast export and predict end to end', () => {
  const fx = useCoordinatorFixture({ prefix: 'fedfin-market-export-' });
  let daemons: Daemon[] = [];
  afterEach(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    daemons = [];
  });

  it('exports the LSTM with its windows, target scale and per-window privacy, and predict on the banks\' files gives the federation\'s holdout RMSE and direction', async () => {
    const coord = await fx.start();
    const dir = fx.dir;
    const synth = await synthesize({ schema: 'market.v1', banks: 2, rows: 300, seed: 5, skew: 0.3, outDir: join(dir, 'banks') });
    daemons = startSynthDaemons({ dir, coordinator: coord.address, synth: synth, schema: 'market.v1', task: 'market-forecast', holdoutFraction: 0.2, policy: (bank) => ({ schema: 'market.v1', domain: `${bank}/market`, k: 1, maxSuppression: 0, fields: {} }) }).daemons;
    const job = await submitJob(coord.admin, {
      name: 'market-export', task: 'market-forecast', schema: 'market.v1', model: { type: 'lstm', units: 6 }, rounds: 2, minBanks: 2,
      localEpochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'adam', privacy: { mode: 'dp-sgd', noiseMultiplier: 1, clippingNorm: 1, delta: 1e-5, maxEpsilon: 40 },
      forecast: { windowDays: 8, holdoutFraction: 0.25, maxMissingWeekdays: 3, costBps: 5 }, timeouts: { fitMs: 60_000, evaluateMs: 30_000 },
    });
    const final = await waitForJobEnd(coord.store, job.job_id, 90_000);
    expect(final.status, final.reason).toBe('completed');
    const last = (await coord.store.listRounds(job.job_id)).at(-1)!.metrics;

    const modelDir = join(dir, 'model');
    const ex = await runCli(['admin', '--insecure', '--coordinator', coord.address, 'models', 'export', job.job_id, '--out', modelDir]);
    expect(ex.err).toBe('');
    expect(ex.code).toBe(0);
    expect(ex.out).toContain('model lstm over 8-day windows of logReturn, logVolumeChange, logRange, logBody');
    const meta = readAnyModelMetadata(modelDir);
    expect(meta).toMatchObject({ task: 'market-forecast', round: 2, jobStatus: 'completed', model: { kind: 'lstm', numFeatures: 32, timesteps: 8, featuresPerStep: 4, units: 6, output: 'scaled-return' } });
    expect(meta.privacy).toMatchObject({ mode: 'dp-sgd', unit: 'window', accountant: 'rdp', sampling: 'Poisson', delta: 1e-5 });
    expect(meta.privacy.epsilon).toBeGreaterThan(0);
    expect(meta.privacy.statement).toContain('per training window of one instrument');
    expect(meta.metrics['rmse']).toBe(last['rmse']);

    // Each bank forecasts its own file; pooling the two holdout figures must give the coordinator's.
    const runs: MarketPredictSummary[] = [];
    for (const [i, b] of synth.banks.entries()) {
      const out = join(dir, `forecasts-${i}.csv`);
      const r = await runCli(['predict', '--model', modelDir, '--data', join(dir, 'banks', b.file), '--mapping', join(dir, 'banks', b.mapping), '--out', out, '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.out) as MarketPredictSummary;
      runs.push(s);
      const rows = readFileSync(out, 'utf8').trim().split('\n');
      expect(rows[0]).toBe('symbol,date,targetDate,predictedReturn,direction,realisedReturn,split');
      expect(rows).toHaveLength(1 + s.windows);
      const forecasts = rows.filter((l) => l.endsWith(',forecast'));
      expect(forecasts).toHaveLength(s.symbols);
      for (const l of forecasts) expect(l).toMatch(/^[^,]+,\d{4}-\d\d-\d\d,,-?\d\.\d+(e-?\d+)?,(up|down),,forecast$/);
    }
    const n = runs.reduce((a, s) => a + s.holdout.windows, 0);
    expect(n).toBe(last['numExamples']);
    const rmse = Math.sqrt(runs.reduce((a, s) => a + s.holdout.windows * s.holdout.rmse ** 2, 0) / n);
    const direction = runs.reduce((a, s) => a + s.holdout.windows * s.holdout.directionalAccuracy, 0) / n;
    expect(rmse).toBeCloseTo(last['rmse']!, 6);
    // tfjs's LSTM and the trainer's forward pass may round a near-zero forecast to the other sign: allow one window.
    expect(Math.abs(direction - last['directionalAccuracy']!)).toBeLessThanOrEqual(1 / n + 1e-12);

    // A predict file whose windows the model cannot build is refused naming the field; nothing is written.
    const policy = join(dir, 'drop-volume.json');
    writeFileSync(policy, JSON.stringify({ schema: 'market.v1', domain: 'x', fields: { volume: { action: 'drop' } } }));
    const b0 = synth.banks[0]!;
    const bad = await runCli(['predict', '--model', modelDir, '--data', join(dir, 'banks', b0.file), '--mapping', join(dir, 'banks', b0.mapping), '--policy', policy, '--out', join(dir, 'never.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('volume: dropped by the policy, but logVolumeChange needs it');
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
  }, 120_000);
});
