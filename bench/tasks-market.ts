/** `npm run bench -- tasks`, market part: local training throughput of market-forecast's LSTM and MLP baseline (20-day windows), plain and DP-SGD, on wasm and cpu in one run. */
import { seededRandom } from '../common/seeded-random.js';
import type { Dataset, RoundConfig } from '../client/trainer/trainer.js';
import { fillGaussian } from '../privacy/dp/gaussian.js';
import { FEATURES_PER_STEP } from '../tasks/market-forecast/windows.js';
import type { ModelSpec } from '../tasks/models/model-spec.js';
import { activeTfBackend, initTfBackend, useTfBackend, type TfBackendName } from '../tasks/tf-backend.js';
import type { PartResult } from './summary.js';
import { examplesPerCpuSec, flag } from './tasks-common.js';

const WINDOW_DAYS = 20;
const WIDTH = WINDOW_DAYS * FEATURES_PER_STEP;
const BATCH_SIZE = 64;
const TRAIN_BASE = { batchSize: BATCH_SIZE, learningRate: 0.01, optimizer: 'adam' };
/** The demo's models: LSTM 16 units and the MLP baseline 80-32-1. */
const MODELS: readonly (readonly [string, ModelSpec])[] = [
  ['lstm-16', { kind: 'lstm', timesteps: WINDOW_DAYS, featuresPerStep: FEATURES_PER_STEP, units: 16 }],
  ['mlp-32', { numFeatures: WIDTH, hiddenUnits: [32], activation: 'tanh', loss: 'mse' }],
];
const MODES: readonly (readonly [string, RoundConfig])[] = [
  ['plain', {}],
  ['dp-sgd', { dpSgd: true, noiseMultiplier: 1.1, clippingNorm: 1 }],
];

/** Standardised windows with a weakly predictable target (the shapes of real market windows). */
function syntheticWindows(n: number): Dataset {
  const rng = seededRandom('bench-tasks-market');
  const features = new Float32Array(n * WIDTH);
  fillGaussian(rng, features, 1, 0, { mode: 'fast' });
  const noise = new Float32Array(n);
  fillGaussian(rng, noise, 1, 0, { mode: 'fast' });
  const labels = noise.map((e, i) => 0.3 * features[i * WIDTH + WIDTH - FEATURES_PER_STEP]! + e);
  return { features, labels, numExamples: n, numFeatures: WIDTH };
}

/**
 * One-epoch local fits (batch 64, Adam) of the LSTM and the MLP baseline on 20-day × 4-feature
 * windows, plain and DP-SGD (σ 1.1, C 1; the LSTM's per-example gradients from one backward pass),
 * on wasm and cpu. Flags: `--market-examples N` (default 2048; `--quick` 512), `--repeats R`.
 */
export async function measure(args: string[]): Promise<PartResult> {
  const quick = args.includes('--quick');
  const n = flag(args, '--market-examples', quick ? 512 : 2048);
  const repeats = flag(args, '--repeats', quick ? 1 : 3);
  const data = syntheticWindows(n);
  const primary = await initTfBackend();
  const figures: { backend: TfBackendName; model: string; mode: string; examplesPerCpuSec: number }[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    if (!(await useTfBackend(backend))) continue;
    for (const [model, spec] of MODELS) {
      for (const [mode, config] of MODES) {
        await examplesPerCpuSec(spec, { ...data, numExamples: 128, features: data.features.subarray(0, 128 * WIDTH), labels: data.labels.subarray(0, 128) }, TRAIN_BASE, config, 1);
        figures.push({ backend, model, mode, examplesPerCpuSec: await examplesPerCpuSec(spec, data, TRAIN_BASE, config, repeats) });
      }
    }
  }
  await useTfBackend(primary);
  const get = (b: string, m: string, k: string) => figures.find((f) => f.backend === b && f.model === m && f.mode === k)?.examplesPerCpuSec;
  const ratios = MODELS.flatMap(([model]) => MODES.map(([mode]) => {
    const w = get('wasm', model, mode);
    const c = get('cpu', model, mode);
    return { model, mode, wasm: w, cpu: c, wasmToCpu: w !== undefined && c !== undefined ? w / c : undefined };
  }));
  const lines = [`tasks-market: market-forecast local fits, ${n} windows × ${WINDOW_DAYS} days × ${FEATURES_PER_STEP} features, batch ${BATCH_SIZE}, 1 epoch, median of ${repeats}; backend in use: ${primary}`];
  lines.push(`  ${'model'.padEnd(10)} ${'mode'.padEnd(7)} ${'wasm ex/CPU-s'.padStart(14)} ${'cpu ex/CPU-s'.padStart(13)}  wasm/cpu`);
  for (const r of ratios) lines.push(`  ${r.model.padEnd(10)} ${r.mode.padEnd(7)} ${(r.wasm?.toFixed(0) ?? 'n/a').padStart(14)} ${(r.cpu?.toFixed(0) ?? 'n/a').padStart(13)}  ${r.wasmToCpu?.toFixed(2) ?? 'n/a'}`);
  const rows = ratios.filter((r) => r.wasmToCpu !== undefined).map((r) => ({
    metric: `wasm / cpu training, market ${r.model} ${r.mode}`, value: r.wasmToCpu!, unit: 'x', target: '> 1 (wasm preferred)', ok: r.wasmToCpu! > 1,
  }));
  return {
    result: { benchmark: 'tasks-market', examples: n, windowDays: WINDOW_DAYS, featuresPerStep: FEATURES_PER_STEP, batchSize: BATCH_SIZE, repeats, backend: primary, active: activeTfBackend(), figures, ratios },
    rows,
    text: lines.join('\n'),
  };
}
