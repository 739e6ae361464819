/** `npm run bench -- tasks`, part 1: local training throughput of the credit-scoring models, plain and DP-SGD, on wasm and cpu in one run. */
import { seededRandom } from '../common/seeded-random.js';
import type { Dataset, RoundConfig } from '../client/trainer/trainer.js';
import { fillGaussian } from '../privacy/dp/gaussian.js';
import type { MlpSpec } from '../tasks/models/mlp.js';
import { activeTfBackend, initTfBackend, useTfBackend, type TfBackendName } from '../tasks/tf-backend.js';
import type { PartResult } from './summary.js';
import { examplesPerCpuSec, flag } from './tasks-common.js';

/** Width of credit.v1 encoded under the default policy (bench/tasks-fixture.ts builds the same). */
const NUM_FEATURES = 92;
const BATCH_SIZE = 64;
const TRAIN_BASE = { batchSize: BATCH_SIZE, learningRate: 0.05 };
const MODELS: readonly (readonly [string, MlpSpec])[] = [
  ['logistic', { numFeatures: NUM_FEATURES, hiddenUnits: [], activation: 'relu' }],
  ['mlp-32-16', { numFeatures: NUM_FEATURES, hiddenUnits: [32, 16], activation: 'relu' }],
];
const MODES: readonly (readonly [string, RoundConfig])[] = [
  ['plain', {}],
  ['dp-sgd', { dpSgd: true, noiseMultiplier: 1.1, clippingNorm: 1 }],
];

/** Gaussian features with a logistic label (realistic, non-saturated gradients). */
function syntheticCredit(n: number): Dataset {
  const rng = seededRandom('bench-tasks-train');
  const d = NUM_FEATURES;
  const features = new Float32Array(n * d);
  fillGaussian(rng, features, 1, 0, { mode: 'fast' });
  const w = new Float32Array(d);
  fillGaussian(rng, w, 0.2, 0, { mode: 'fast' });
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += features[i * d + j]! * w[j]!;
    labels[i] = s > 0.8 ? 1 : 0;
  }
  return { features, labels, numExamples: n, numFeatures: d };
}

interface Figure {
  readonly backend: TfBackendName;
  readonly model: string;
  readonly mode: string;
  readonly examplesPerCpuSec: number;
}

/**
 * One-epoch local fits (batch 64) of logistic regression and the MLP 32-16 on 92 credit-width features,
 * plain and DP-SGD (σ 1.1, C 1), on every backend of wasm and cpu that loads; the backend in use is restored.
 * Flags: `--examples N` (default 4096; `--quick` 1024), `--repeats R` (default 3; `--quick` 1).
 * @returns examples per CPU second per configuration and the wasm/cpu ratio of each.
 */
export async function measure(args: string[]): Promise<PartResult> {
  const quick = args.includes('--quick');
  const n = flag(args, '--examples', quick ? 1024 : 4096);
  const repeats = flag(args, '--repeats', quick ? 1 : 3);
  const data = syntheticCredit(n);
  const primary = await initTfBackend();
  const figures: Figure[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    if (!(await useTfBackend(backend))) continue;
    for (const [model, spec] of MODELS) {
      for (const [mode, config] of MODES) {
        await examplesPerCpuSec(spec, { ...data, numExamples: 256, features: data.features.subarray(0, 256 * NUM_FEATURES), labels: data.labels.subarray(0, 256) }, TRAIN_BASE, config, 1);
        figures.push({ backend, model, mode, examplesPerCpuSec: await examplesPerCpuSec(spec, data, TRAIN_BASE, config, repeats) });
      }
    }
  }
  await useTfBackend(primary);
  const get = (b: string, m: string, k: string): number | undefined => figures.find((f) => f.backend === b && f.model === m && f.mode === k)?.examplesPerCpuSec;
  const ratios = MODELS.flatMap(([model]) => MODES.map(([mode]) => {
    const w = get('wasm', model, mode);
    const c = get('cpu', model, mode);
    return { model, mode, wasm: w, cpu: c, wasmToCpu: w !== undefined && c !== undefined ? w / c : undefined };
  }));
  const lines = [`tasks-train: credit-scoring local fits, ${n} examples × ${NUM_FEATURES} features, batch ${BATCH_SIZE}, 1 epoch, median of ${repeats}; backend in use: ${primary}`];
  lines.push(`  ${'model'.padEnd(10)} ${'mode'.padEnd(7)} ${'wasm ex/CPU-s'.padStart(14)} ${'cpu ex/CPU-s'.padStart(13)}  wasm/cpu`);
  for (const r of ratios) {
    lines.push(`  ${r.model.padEnd(10)} ${r.mode.padEnd(7)} ${(r.wasm?.toFixed(0) ?? 'n/a').padStart(14)} ${(r.cpu?.toFixed(0) ?? 'n/a').padStart(13)}  ${r.wasmToCpu?.toFixed(2) ?? 'n/a'}`);
  }
  const rows = ratios.filter((r) => r.wasmToCpu !== undefined).map((r) => ({
    metric: `wasm / cpu training, ${r.model} ${r.mode}`, value: r.wasmToCpu!, unit: 'x', target: '> 1 (wasm preferred)', ok: r.wasmToCpu! > 1,
  }));
  return {
    result: { benchmark: 'tasks-train', examples: n, numFeatures: NUM_FEATURES, batchSize: BATCH_SIZE, repeats, backend: primary, active: activeTfBackend(), figures, ratios },
    rows,
    text: lines.join('\n'),
  };
}
