/** `npm run bench -- tasks`, part 2: `fedfin predict` rows/s end to end against the bare exported model's batched inference on the same encoded rows. */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { emptyPredictPhases, predictFile, type PredictPhases } from '../cli/predict.js';
import { inferenceBatchRows, loadLayersModelDir, predictLogits } from '../tasks/model-artifacts.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import type { PartResult } from './summary.js';
import { flag } from './tasks-common.js';
import { predictFixture } from './tasks-fixture.js';

/** CPU seconds (user + system) of this process since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Rows per CPU second of the bare model over `x`, median of `repeats` after one warm-up call. */
async function bareRate(modelDir: string, x: Float32Array, d: number, batchRows: number, repeats: number): Promise<number> {
  const model = await loadLayersModelDir(modelDir);
  try {
    predictLogits(model, x, d, batchRows);
    const rates: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const c0 = process.cpuUsage();
      predictLogits(model, x, d, batchRows);
      rates.push(x.length / d / cpuSince(c0));
    }
    return median(rates);
  } finally {
    model.dispose();
  }
}

/**
 * Scores a synthetic credit extract (simulations/synth bank 1, through its own mapping) with `predictFile`
 * and runs the same exported MLP 32-16 bare over the same rows already encoded. Rates are rows per CPU
 * second (the machine is shared; wall time swings with load), medians of `--repeats` runs after a warm-up.
 * Flags: `--rows N` (default 50,000; `--quick` 10,000), `--repeats R` (default 3; `--quick` 2).
 * @returns the predict/bare ratio (target ≥ 0.7) and predict's time split by stage.
 */
export async function measure(args: string[]): Promise<PartResult> {
  const quick = args.includes('--quick');
  const rows = flag(args, '--rows', quick ? 10_000 : 50_000);
  const repeats = flag(args, '--repeats', quick ? 2 : 3);
  const backend = await initTfBackend();
  const fx = await predictFixture(rows, [32, 16]);
  try {
    const d = fx.spec.numFeatures;
    const out = join(fx.dir, 'scores.csv');
    const opts = { modelDir: fx.modelDir, data: fx.csv, mapping: fx.mapping, out };
    await predictFile(opts);
    const rates: number[] = [];
    const walls: number[] = [];
    const splits: PredictPhases[] = [];
    let scored = 0;
    for (let r = 0; r < repeats; r++) {
      const phases = emptyPredictPhases();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const s = await predictFile(opts, phases);
      rates.push(s.scored / cpuSince(c0));
      walls.push(performance.now() - t0);
      splits.push(phases);
      scored = s.scored;
    }
    const predictRate = median(rates);
    const batchRows = inferenceBatchRows();
    const bare = await bareRate(fx.modelDir, fx.encoded, d, batchRows, repeats);
    const bareLarge = await bareRate(fx.modelDir, fx.encoded, d, 8192, repeats);
    const stages = Object.keys(splits[0]!) as (keyof PredictPhases)[];
    const split = Object.fromEntries(stages.map((k) => [k, median(splits.map((p) => p[k]))])) as unknown as PredictPhases;
    const splitTotal = stages.reduce((a, k) => a + split[k], 0);
    const ratio = predictRate / bare;
    const result = {
      benchmark: 'tasks-predict', backend, rows: fx.rows, scored, numFeatures: d, model: `MLP ${d}-32-16-1 relu`, repeats,
      predictRowsPerCpuSec: predictRate, predictWallMs: median(walls), bareRowsPerCpuSec: bare, bareBatchRows: batchRows,
      bare8192RowsPerCpuSec: bareLarge, predictToBare: ratio, predictToBare8192: predictRate / bareLarge, splitMs: split,
      splitShare: Object.fromEntries(stages.map((k) => [k, split[k] / splitTotal])),
    };
    const lines = [
      `tasks-predict: ${fx.rows} synthetic credit rows (bank-1 CSV + mapping), MLP ${d}-32-16-1, backend ${backend}, median of ${repeats}`,
      `  fedfin predict   ${predictRate.toFixed(0).padStart(8)} rows/CPU-s  (wall ${median(walls).toFixed(0)} ms)`,
      `  bare model       ${bare.toFixed(0).padStart(8)} rows/CPU-s  (${batchRows}-row tfjs calls; ${bareLarge.toFixed(0)} rows/CPU-s with 8192-row calls)`,
      `  predict/bare ${ratio.toFixed(3)} (target ≥ 0.70); against the 8192-row bare rate (predictLogits' old default) ${(predictRate / bareLarge).toFixed(2)}`,
      `  where predict's time goes: ${stages.map((k) => `${k} ${(100 * split[k] / splitTotal).toFixed(0)}%`).join(', ')}`,
    ];
    const rowsOut = [{ metric: `predict / bare inference rows/s, ${backend}`, value: ratio, unit: 'x', target: '>= 0.7', ok: ratio >= 0.7 }];
    return { result, rows: rowsOut, text: lines.join('\n') };
  } finally {
    fx.cleanup();
  }
}
