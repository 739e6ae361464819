/** `npm run bench -- tasks`, fraud part: the feature step's rate on raw transactions, and local training throughput of fraud-detection's MLP (weighted BCE and focal, plain and DP-SGD) on wasm and cpu in one run. */
import { seededRandom } from '../common/seeded-random.js';
import type { Dataset, RoundConfig } from '../client/trainer/trainer.js';
import { fillGaussian } from '../privacy/dp/gaussian.js';
import type { CanonicalRecord } from '../schema/field.js';
import { bankProfile } from '../simulations/synth/bank-shapes.js';
import { Sampler } from '../simulations/synth/sampling.js';
import { synthTransactionBank } from '../simulations/synth/synth-transaction.js';
import { engineerTransactionFeatures, TRANSACTION_V1_FEATURES } from '../tasks/features/index.js';
import type { MlpSpec } from '../tasks/models/mlp.js';
import { activeTfBackend, initTfBackend, useTfBackend, type TfBackendName } from '../tasks/tf-backend.js';
import type { PartResult } from './summary.js';
import { examplesPerCpuSec, flag, medianCpuRate } from './tasks-common.js';

/** Width of transaction.v1 encoded under the demo policy, engineered features included. */
const NUM_FEATURES = 53;
/** The fraud demo's batch: larger, so a batch holds a fraud now and then at 0.5 %. */
const BATCH_SIZE = 256;
const TRAIN_BASE = { batchSize: BATCH_SIZE, learningRate: 0.5 };
const MODELS: readonly (readonly [string, MlpSpec])[] = [
  ['mlp-16 bce', { numFeatures: NUM_FEATURES, hiddenUnits: [16], activation: 'relu' }],
  ['mlp-16 focal', { numFeatures: NUM_FEATURES, hiddenUnits: [16], activation: 'relu', focal: { gamma: 2, alpha: 0.25 } }],
];
const MODES: readonly (readonly [string, RoundConfig])[] = [
  ['plain', { positiveClassWeight: 20 }],
  ['dp-sgd', { positiveClassWeight: 20, dpSgd: true, noiseMultiplier: 1.1, clippingNorm: 1 }],
];

/** Gaussian features with a rare (≈ 0.5 %) logistic label. */
function syntheticFraud(n: number): Dataset {
  const rng = seededRandom('bench-tasks-fraud');
  const features = new Float32Array(n * NUM_FEATURES);
  fillGaussian(rng, features, 1, 0, { mode: 'fast' });
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) labels[i] = features[i * NUM_FEATURES]! + 0.5 * features[i * NUM_FEATURES + 1]! > 2.9 ? 1 : 0;
  return { features, labels, numExamples: n, numFeatures: NUM_FEATURES };
}

/** Transactions per CPU second through the feature step (per-account history, windows, novelty). */
function featureRate(rows: number, repeats: number): Promise<number> {
  const records = synthTransactionBank(bankProfile(1), rows, 0.5, new Sampler('bench-tasks-fraud')).map(({ pattern: _p, ms: _m, ...r }) => r as unknown as CanonicalRecord);
  return medianCpuRate(rows, repeats, () => engineerTransactionFeatures(records, TRANSACTION_V1_FEATURES));
}

/**
 * The feature step on synthetic transaction.v1 rows, then one-epoch local fits (batch 256) of the
 * demo's MLP 53-16-1 with weighted BCE (w 20) and focal loss (γ 2, α 0.25), plain and DP-SGD (σ 1.1,
 * C 1), on wasm and cpu. Flags: `--fraud-examples N` (default 8192; `--quick` 2048), `--repeats R`.
 */
export async function measure(args: string[]): Promise<PartResult> {
  const quick = args.includes('--quick');
  const n = flag(args, '--fraud-examples', quick ? 2048 : 8192);
  const repeats = flag(args, '--repeats', quick ? 1 : 3);
  const features = await featureRate(4 * n, repeats);
  const data = syntheticFraud(n);
  const primary = await initTfBackend();
  const figures: { backend: TfBackendName; model: string; mode: string; examplesPerCpuSec: number }[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    if (!(await useTfBackend(backend))) continue;
    for (const [model, spec] of MODELS) {
      for (const [mode, config] of MODES) {
        await examplesPerCpuSec(spec, { ...data, numExamples: 512, features: data.features.subarray(0, 512 * NUM_FEATURES), labels: data.labels.subarray(0, 512) }, TRAIN_BASE, config, 1);
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
  const lines = [
    `tasks-fraud: feature step ${features.toFixed(0)} transactions/CPU-s (${4 * n} rows, ${TRANSACTION_V1_FEATURES.windows.length} windows)`,
    `tasks-fraud: fraud-detection local fits, ${n} examples × ${NUM_FEATURES} features, batch ${BATCH_SIZE}, 1 epoch, median of ${repeats}; backend in use: ${primary}`,
    `  ${'model'.padEnd(13)} ${'mode'.padEnd(7)} ${'wasm ex/CPU-s'.padStart(14)} ${'cpu ex/CPU-s'.padStart(13)}  wasm/cpu`,
    ...ratios.map((r) => `  ${r.model.padEnd(13)} ${r.mode.padEnd(7)} ${(r.wasm?.toFixed(0) ?? 'n/a').padStart(14)} ${(r.cpu?.toFixed(0) ?? 'n/a').padStart(13)}  ${r.wasmToCpu?.toFixed(2) ?? 'n/a'}`),
  ];
  const rows = ratios.filter((r) => r.wasmToCpu !== undefined).map((r) => ({
    metric: `wasm / cpu training, fraud ${r.model} ${r.mode}`, value: r.wasmToCpu!, unit: 'x', target: '> 1 (wasm preferred)', ok: r.wasmToCpu! > 1,
  }));
  return {
    result: { benchmark: 'tasks-fraud', examples: n, numFeatures: NUM_FEATURES, batchSize: BATCH_SIZE, repeats, backend: primary, active: activeTfBackend(), featureStepPerCpuSec: features, figures, ratios },
    rows,
    text: lines.join('\n'),
  };
}
