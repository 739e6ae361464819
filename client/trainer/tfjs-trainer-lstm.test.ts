/** Tests of the tfjs trainer on regression models: the LSTM and the MSE MLP learn a tiny synthetic series, plain and with DP-SGD. */
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { initModelWeights, type ModelSpec } from '../../tasks/models/model-spec.js';
import { initTfBackend } from '../../tasks/tf-backend.js';
import { createTfjsTrainer } from './tfjs-trainer.js';
import type { Dataset } from './trainer.js';

const T = 6;

/** Windows of an AR(1)-like series x_{t+1} = 0.8·x_t + small noise: the target is predictable from the last step. */
function series(n: number, seed: number): Dataset {
  const rng = seededRandom(seed);
  const bytes = new Uint8Array(4 * (n + T + 1));
  rng.fill(bytes);
  const xs: number[] = [0.5];
  for (let i = 1; i < n + T + 1; i++) xs.push(0.8 * xs[i - 1]! + ((bytes[i]! / 255) - 0.5) * 0.6);
  const features = new Float32Array(n * T);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) features[i * T + t] = xs[i + t]!;
    labels[i] = xs[i + T]!;
  }
  return { features, labels, numExamples: n, numFeatures: T };
}

const never = new AbortController().signal;

describe('tfjs trainer, regression', () => {
  beforeAll(() => initTfBackend());

  it.each<[string, ModelSpec]>([
    ['lstm', { kind: 'lstm', timesteps: T, featuresPerStep: 1, units: 8 }],
    ['mlp (mse)', { numFeatures: T, hiddenUnits: [8], activation: 'tanh', loss: 'mse' }],
  ])('reduces the holdout MSE of %s on an AR(1) series within a few epochs', async (_name, spec) => {
    const train = series(256, 1);
    const test = series(128, 2);
    const trainer = createTfjsTrainer({ model: spec, rng: seededRandom(9) });
    const w0 = initModelWeights(spec, seededRandom(5));
    const before = await trainer.evaluate(w0, test, {}, never);
    const fit = await trainer.fit(w0, train, { learningRate: 0.02, localEpochs: 8, batchSize: 32, optimizer: 'adam' }, never);
    const after = await trainer.evaluate(fit.weights, test, {}, never);
    expect(after.loss).toBeLessThan(0.6 * before.loss);
    expect(after.metrics['rmse']).toBeCloseTo(Math.sqrt(after.loss), 6);
    expect(after.scores).toHaveLength(128);
    expect(fit.privacySteps).toEqual([]);
  });

  it('runs DP-SGD on the LSTM with per-example clipping and reports the steps it took', async () => {
    const spec: ModelSpec = { kind: 'lstm', timesteps: T, featuresPerStep: 1, units: 4 };
    const train = series(128, 3);
    const trainer = createTfjsTrainer({ model: spec, rng: seededRandom(11) });
    const fit = await trainer.fit(initModelWeights(spec, seededRandom(6)), train, { learningRate: 0.05, localEpochs: 1, batchSize: 32, dpSgd: true, noiseMultiplier: 1, clippingNorm: 1 }, never);
    expect(fit.privacySteps).toEqual([{ noiseMultiplier: 1, sampleRate: 0.25, steps: 4 }]);
    expect(fit.weights.every((t) => t.values.every(Number.isFinite))).toBe(true);
  });

  it('refuses a dataset whose width is not T·F, naming both', async () => {
    const spec: ModelSpec = { kind: 'lstm', timesteps: 4, featuresPerStep: 2, units: 4 };
    const trainer = createTfjsTrainer({ model: spec });
    await expect(trainer.fit(initModelWeights(spec, seededRandom(1)), series(8, 1), {}, never)).rejects.toThrow(/8×6 .*expects 8 features/);
  });
});
