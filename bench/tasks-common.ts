/** Shared pieces of the `tasks` bench parts: flag parsing and median training throughput in CPU time. */
import { cryptoRandom } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { createTfjsTrainer } from '../client/trainer/tfjs-trainer.js';
import type { Dataset, RoundConfig } from '../client/trainer/trainer.js';
import { initModelWeights, type ModelSpec } from '../tasks/models/model-spec.js';

/** A positive integer flag `name N` from `args`, else `fallback` (also for a missing or bad value). */
export function flag(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? Math.round(v) : fallback;
}

/**
 * Median of `repeats` rates `count / CPU seconds of run()`. CPU time (user + system), not wall time:
 * the bench machines are shared and wall time swings with load.
 */
export async function medianCpuRate(count: number, repeats: number, run: () => unknown): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    await run();
    const c = process.cpuUsage(c0);
    rates.push(count / ((c.user + c.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  return rates[rates.length >> 1]!;
}

/**
 * Examples per CPU second of one-epoch local fits of `spec` on `data` (median of `repeats`), from fixed
 * initial weights. `base` carries the part's batch size, learning rate and optimiser; `config` the mode.
 */
export async function examplesPerCpuSec(spec: ModelSpec, data: Dataset, base: RoundConfig, config: RoundConfig, repeats: number): Promise<number> {
  const trainer = createTfjsTrainer({ model: spec, rng: cryptoRandom() });
  const weights = initModelWeights(spec, seededRandom(1));
  const signal = new AbortController().signal;
  return medianCpuRate(data.numExamples, repeats, () => trainer.fit(weights, data, { localEpochs: 1, ...base, ...config }, signal));
}
