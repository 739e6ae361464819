/** `npm run bench -- privacy`: DP-SGD vs non-private training throughput of the credit-sized MLP, on the backend in use and wasm vs cpu. */
import { performance } from 'node:perf_hooks';
import { cryptoRandom } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { createTfjsTrainer } from '../client/trainer/tfjs-trainer.js';
import type { Dataset, RoundConfig } from '../client/trainer/trainer.js';
import { fillGaussian } from '../privacy/dp/gaussian.js';
import { initMlpWeights, type MlpSpec } from '../tasks/models/mlp.js';
import { activeTfBackend, initTfBackend, useTfBackend, type TfBackendName } from '../tasks/tf-backend.js';
import type { PartResult } from './summary.js';

/** The model of the issue: 60 credit-like inputs, hidden 64-32, one sigmoid output. */
const SPEC: MlpSpec = { numFeatures: 60, hiddenUnits: [64, 32], activation: 'relu' };
const BATCH_SIZE = 64;
const DP: RoundConfig = { dpSgd: true, noiseMultiplier: 1.1, clippingNorm: 1 };

/** Gaussian features with a logistic label, so the gradients are realistic (not all-zero, not saturated). */
function syntheticCredit(numExamples: number): Dataset {
  const rng = seededRandom('bench-dpsgd');
  const d = SPEC.numFeatures;
  const features = new Float32Array(numExamples * d);
  fillGaussian(rng, features, 1, 0, { mode: 'fast' });
  const w = new Float32Array(d);
  fillGaussian(rng, w, 0.3, 0, { mode: 'fast' });
  const u = new Float32Array(numExamples);
  fillGaussian(rng, u, 1, 0, { mode: 'fast' });
  const labels = new Float32Array(numExamples);
  for (let i = 0; i < numExamples; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (features[i * d + j] as number) * (w[j] as number);
    labels[i] = s + (u[i] as number) > 1 ? 1 : 0;
  }
  return { features, labels, numExamples, numFeatures: d };
}

/** Best-of-`repeats` examples/s of one fit configuration (nominal examples = N × localEpochs). */
async function throughput(data: Dataset, config: RoundConfig, repeats: number): Promise<number> {
  const trainer = createTfjsTrainer({ model: SPEC, rng: cryptoRandom() });
  const weights = initMlpWeights(SPEC, seededRandom(1));
  const signal = new AbortController().signal;
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await trainer.fit(weights, data, { batchSize: BATCH_SIZE, learningRate: 0.05, localEpochs: 1, ...config }, signal);
    best = Math.max(best, data.numExamples / ((performance.now() - t0) / 1000));
  }
  return best;
}

interface BackendFigures {
  readonly backend: TfBackendName;
  readonly plainExamplesPerSec: number;
  readonly dpExamplesPerSec: number;
  readonly dpToPlainRatio: number;
}

async function measure1(backend: TfBackendName, data: Dataset, repeats: number): Promise<BackendFigures> {
  const warm = Math.min(1024, data.numExamples);
  await throughput({ ...data, numExamples: warm, features: data.features.subarray(0, warm * 60), labels: data.labels.subarray(0, warm) }, DP, 1);
  const plain = await throughput(data, {}, repeats);
  const dp = await throughput(data, DP, repeats);
  return { backend, plainExamplesPerSec: plain, dpExamplesPerSec: dp, dpToPlainRatio: dp / plain };
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/**
 * Measures DP-SGD against plain training. Flags: `--examples N` (default 8192), `--repeats R` (default 3),
 * `--quick` (2048 examples, 2 repeats). Returns examples/s with and without DP-SGD and their ratio (target ≥ 0.4)
 * per backend, and the wasm-to-cpu speed ratio when both backends load.
 */
export async function measure(args: string[]): Promise<PartResult> {
  const quick = args.includes('--quick');
  const n = Math.round(flag(args, '--examples', quick ? 2048 : 8192));
  const repeats = Math.round(flag(args, '--repeats', quick ? 2 : 3));
  const data = syntheticCredit(n);
  const primary = await initTfBackend();
  const figures: BackendFigures[] = [await measure1(primary, data, repeats)];
  const other: TfBackendName | undefined = primary === 'wasm' ? 'cpu' : primary === 'cpu' ? 'wasm' : undefined;
  if (other && (await useTfBackend(other))) {
    figures.push(await measure1(other, data, repeats));
    await useTfBackend(primary);
  }
  const byName = new Map(figures.map((f) => [f.backend, f]));
  const wasm = byName.get('wasm');
  const cpu = byName.get('cpu');
  const result = {
    benchmark: 'privacy-dpsgd',
    model: '60-64-32-1 relu, sigmoid output',
    batchSize: BATCH_SIZE,
    examples: n,
    noiseMultiplier: DP['noiseMultiplier'],
    backend: primary,
    active: activeTfBackend(),
    figures,
    wasmToCpu: wasm && cpu ? { plain: wasm.plainExamplesPerSec / cpu.plainExamplesPerSec, dp: wasm.dpExamplesPerSec / cpu.dpExamplesPerSec } : undefined,
  };
  const lines = [`privacy-dpsgd: MLP 60-64-32-1, batch ${BATCH_SIZE}, ${n} examples, σ=${String(DP['noiseMultiplier'])}, C=1; backend in use: ${primary}`];
  for (const f of figures) {
    lines.push(
      `  ${f.backend.padEnd(5)} plain ${f.plainExamplesPerSec.toFixed(0).padStart(7)} ex/s   DP-SGD ${f.dpExamplesPerSec.toFixed(0).padStart(7)} ex/s   DP/plain ${f.dpToPlainRatio.toFixed(2)} (target ≥ 0.40)`,
    );
  }
  if (result.wasmToCpu) lines.push(`  wasm/cpu: plain ${result.wasmToCpu.plain.toFixed(2)}×, DP-SGD ${result.wasmToCpu.dp.toFixed(2)}×`);
  const rows = figures.map((f) => ({
    metric: `DP-SGD / plain training, ${f.backend} backend${f.backend === primary ? ' (in use)' : ''}`,
    value: f.dpToPlainRatio,
    unit: 'x',
    target: '>= 0.4',
    ok: f.dpToPlainRatio >= 0.4,
  }));
  return { result, rows, text: lines.join('\n') };
}
