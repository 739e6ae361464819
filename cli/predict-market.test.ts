/** `fedfin predict` with exported market models: forecasts equal the pure-JS forward pass over buildWindows' windows; gaps and package edits are refused by name. */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAcceptedRecords } from '../client/data/read-records.js';
import type { Weights } from '../common/weights.js';
import { createSqliteStore } from '../coordinator/store/sqlite-store.js';
import { exportMetadata } from '../coordinator/transport/admin-ops-service.js';
import { resolveSchema } from '../schema/registry.js';
import { marketModelSpec, type MarketModelMetadata } from '../tasks/market-forecast/package.js';
import { regressionMetrics, regressionSums } from '../tasks/market-forecast/regression-metrics.js';
import { loadSeries } from '../tasks/market-forecast/series.js';
import { buildWindows } from '../tasks/market-forecast/windows.js';
import { writeAnyModelPackage } from '../tasks/model-package-kinds.js';
import { lstmPredict } from '../tasks/models/lstm-forward.js';
import { isLstm } from '../tasks/models/model-spec.js';
import { mlpLogits } from '../tasks/models/mlp.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import { marketCsv, marketJobInStore, MARKET_STATS, type MarketJobOptions } from '../test/helpers/market-job.js';
import { runCli } from '../test/helpers/run-cli.js';
import type { MarketPredictSummary } from './predict-market.js';

const dir = mkdtempSync(join(tmpdir(), 'fedfin-predict-market-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Exports a committed market job of an in-memory coordinator store into `out`. */
async function exported(o: MarketJobOptions, out: string): Promise<{ meta: MarketModelMetadata; weights: Weights }> {
  const store = createSqliteStore(new Database(':memory:'));
  const weights = await marketJobInStore(store, o);
  const meta = (await exportMetadata(store, (await store.getJob(o.jobId))!, 2)) as MarketModelMetadata;
  await store.close();
  await writeAnyModelPackage(out, meta, weights);
  return { meta, weights };
}

const data = join(dir, 'bars.csv');
writeFileSync(data, marketCsv(['AAA', 'BBB.L'], 45, 'predict-market'));

describe('fedfin predict (market-forecast)', () => {
  for (const model of [{ type: 'lstm', units: 5 }, { type: 'mlp', hidden: [6] }] as const) {
    it(`forecasts every window with the exported ${model.type} as the trainer's forward pass does, and reports the holdout RMSE and direction`, async () => {
      await initTfBackend();
      const modelDir = join(dir, `model-${model.type}`);
      const { meta, weights } = await exported({ jobId: `job-${model.type}`, model, windowDays: 6, dp: true }, modelDir);
      const out = join(dir, `forecasts-${model.type}.csv`);
      const r = await runCli(['predict', '--model', modelDir, '--data', data, '--out', out, '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.out) as MarketPredictSummary;
      // 45 days, W = 6: 38 windows with a known next day and 1 forecast per symbol.
      expect(s).toMatchObject({ task: 'market-forecast', symbols: 2, windows: 78, rowsRead: 90, rejected: 0, known: { windows: 76 }, holdout: { windows: 20 } });
      expect(s.forecasts.map((f) => [f.symbol, f.date])).toEqual([['AAA', '2024-03-01'], ['BBB.L', '2024-03-01']]);

      const read = await readAcceptedRecords(data, resolveSchema('market.v1'), undefined, undefined);
      const series = loadSeries(read.records, 3);
      const { holdout, targetScale } = buildWindows(series, 6, 0.25, MARKET_STATS);
      const spec = marketModelSpec(meta);
      const outputs = isLstm(spec) ? lstmPredict(spec, weights, holdout.features) : mlpLogits(spec, weights, holdout.features);
      const want = Array.from(outputs, (o) => o * targetScale);
      const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
      const got = rows.filter((c) => c[6] === 'holdout');
      expect(got.map((c) => [c[0], c[2]])).toEqual(Array.from(holdout.targetDates, (d, i) => [series[holdout.symbolIndex[i]!]!.symbol, d]));
      got.forEach((c, i) => {
        expect(Number(c[3])).toBeCloseTo(want[i]!, 6);
        expect(c[4]).toBe(want[i]! > 0 ? 'up' : 'down');
        expect(Number(c[5])).toBeCloseTo(holdout.targetReturns[i]!, 6);
      });
      const m = regressionMetrics(regressionSums(want.map((p, i) => ({ symbol: holdout.symbolIndex[i]!, date: holdout.targetDates[i]!, predicted: p, realised: holdout.targetReturns[i]! })), 5));
      expect(s.holdout.rmse).toBeCloseTo(m['rmse']!, 7);
      expect(s.holdout.directionalAccuracy).toBe(m['directionalAccuracy']);
      expect(s.holdout.sharpe).toBeCloseTo(m['sharpe']!, 4);
      const text = await runCli(['predict', '--model', modelDir, '--data', data, '--out', out]);
      expect(text.out).toContain(`forecast 2 symbols with job job-${model.type} round 2 → ${out} (78 windows)`);
      expect(text.out).toContain(`job holdout period: 20 windows, RMSE ${s.holdout.rmse.toPrecision(4)}, direction ${(100 * s.holdout.directionalAccuracy).toFixed(1)} %`);
      expect(text.out).toMatch(/\n {2}BBB\.L after 2024-03-01: (up|down) -?\d+\.\d{3} %/);
    });
  }

  it('refuses a file with a gap or a duplicated date, naming the symbol and dates, and writes nothing', async () => {
    const modelDir = join(dir, 'model-gap');
    await exported({ jobId: 'job-gap', model: { type: 'logistic' }, windowDays: 4, dp: false }, modelDir);
    const lines = marketCsv(['AAA'], 30, 'gap').trim().split('\n');
    const bad = join(dir, 'gap.csv');
    writeFileSync(bad, [...lines.slice(0, 10), ...lines.slice(16), lines[20]].join('\n'));
    const out = join(dir, 'never.csv');
    const r = await runCli(['predict', '--model', modelDir, '--data', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('AAA: gap 2024-01-11 → 2024-01-22 (6 weekdays missing)');
    expect(r.err).toContain('AAA: date 2024-01-26 appears 2 times');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a package whose window settings were edited, naming the field, before reading data', async () => {
    const modelDir = join(dir, 'model-edit');
    await exported({ jobId: 'job-edit', model: { type: 'lstm', units: 3 }, windowDays: 6, dp: false }, modelDir);
    const file = join(modelDir, 'fedfin-model.json');
    const meta = JSON.parse(readFileSync(file, 'utf8')) as MarketModelMetadata;
    writeFileSync(file, JSON.stringify({ ...meta, market: { ...meta.market, windowDays: 7 } }));
    const r = await runCli(['predict', '--model', modelDir, '--data', join(dir, 'missing.csv'), '--out', join(dir, 'never.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('width: the model takes 24 inputs, windowDays 7 × 4 features give 28');
    expect(r.err).toContain('windowDays: the LSTM reads 6 steps of 4, the package says 7 days of 4');
    expect(r.err).toContain('featureHash: windowDays 7 and holdoutFraction 0.25 do not hash');
  });
});
