/** Tests of the tfjs Trainer: learning, DP-SGD equivalences and bounds, injected noise, abort, options, no tensor leaks. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { flatten, l2Norm, subtract } from '../../common/weights.js';
import { readerFor } from '../../privacy/dp/gaussian.js';
import { bceWithLogits, initMlpWeights, logisticSpec, mlpForwardTrace, weightsToTensors, type MlpSpec } from '../../tasks/models/mlp.js';
import { initTfBackend, useTfBackend } from '../../tasks/tf-backend.js';
import { planPoisson, poissonBatch } from './poisson-batches.js';
import { accuracy, circleDataset, linearDataset } from './testing/synthetic.js';
import { createTfjsTrainer } from './tfjs-trainer.js';
import type { Dataset, RoundConfig } from './trainer.js';

const never = new AbortController().signal;
const MLP: MlpSpec = { numFeatures: 6, hiddenUnits: [16, 8], activation: 'relu' };

async function fitEval(spec: MlpSpec, train: Dataset, test: Dataset, config: RoundConfig, seed = 1) {
  const trainer = createTfjsTrainer({ model: spec, rng: seededRandom(seed) });
  const fit = await trainer.fit(initMlpWeights(spec, seededRandom(100 + seed)), train, config, never);
  const ev = await trainer.evaluate(fit.weights, test, {}, never);
  return { fit, ev };
}

describe.each(['wasm', 'cpu'] as const)('tfjs trainer on %s', (backend) => {
  beforeAll(async () => {
    await initTfBackend();
    expect(await useTfBackend(backend)).toBe(true);
  });

  it('learns a linearly separable problem with logistic regression, when trained without DP', async () => {
    const { fit, ev } = await fitEval(logisticSpec(6), linearDataset(1, 800, 6), linearDataset(2, 400, 6), { learningRate: 0.5, localEpochs: 3 });
    expect(ev.metrics['accuracy']).toBeGreaterThan(0.9);
    expect(accuracy(ev.scores, linearDataset(2, 400, 6).labels)).toBe(ev.metrics['accuracy']);
    expect(fit.privacySteps).toEqual([]);
    expect(fit.metrics['steps']).toBe(3 * 25);
  });

  it('learns a non-linear (circle) problem with an MLP, when trained with Adam', async () => {
    const { ev } = await fitEval(MLP, circleDataset(1, 1500, 6), circleDataset(2, 500, 6), { learningRate: 0.01, localEpochs: 15, optimizer: 'adam' });
    expect(ev.metrics['accuracy']).toBeGreaterThan(0.85);
  });

  it('still learns and reports its privacy steps, when trained with DP-SGD (σ = 1, C = 1)', async () => {
    const config = { dpSgd: true, noiseMultiplier: 1, clippingNorm: 1, batchSize: 64, learningRate: 1, localEpochs: 3 };
    const { fit, ev } = await fitEval(logisticSpec(6), linearDataset(1, 2000, 6), linearDataset(2, 400, 6), config);
    expect(ev.metrics['accuracy']).toBeGreaterThan(0.85);
    expect(fit.privacySteps).toEqual([{ noiseMultiplier: 1, sampleRate: 64 / 2000, steps: Math.round((3 * 2000) / 64) }]);
    expect(fit.numExamples).toBe(2000);
    expect(Number.isFinite(fit.metrics['loss'])).toBe(true);
  });
});

describe('tfjs trainer, DP-SGD', () => {
  beforeAll(() => initTfBackend());

  it('equals plain SGD on the same Poisson batches (autograd, divided by q·N), when σ = 0 and C is huge', async () => {
    // Prepare
    const data = linearDataset(7, 300, 6, 0.1);
    const w0 = initMlpWeights(MLP, seededRandom(8));
    const config = { dpSgd: true, noiseMultiplier: 0, clippingNorm: 1e9, batchSize: 30, learningRate: 0.3, localEpochs: 2 };
    // Execute
    const fit = await createTfjsTrainer({ model: MLP, rng: seededRandom(9) }).fit(w0, data, config, never);
    // Assert: replay the batches from the same seed and step with tf.grads of Σ loss / (qN).
    const plan = planPoisson(300, 30, 2);
    const reader = readerFor(seededRandom(9));
    const params = weightsToTensors(w0);
    for (let s = 0; s < plan.steps; s++) {
      const idx = poissonBatch(reader, 300, plan.sampleRate);
      if (idx.length === 0) continue;
      const next = tf.tidy(() => {
        const x = tf.gather(tf.tensor2d(data.features, [300, 6]), tf.tensor1d(idx, 'int32'));
        const y = tf.gather(tf.tensor2d(data.labels, [300, 1]), tf.tensor1d(idx, 'int32'));
        const f = (...ps: tf.Tensor[]) => tf.div(tf.sum(bceWithLogits(mlpForwardTrace(MLP, ps, x).logits, y)), plan.expectedBatchSize);
        return tf.grads(f)(params).map((g, k) => tf.sub(params[k]!, tf.mul(0.3, g)));
      });
      tf.dispose(params.splice(0, params.length, ...next));
    }
    const expected = params.flatMap((p) => Array.from(p.dataSync() as Float32Array));
    tf.dispose(params);
    const got = Array.from(flatten(fit.weights));
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    expect(l2Norm(subtract(fit.weights, w0))).toBeGreaterThan(0.1);
  });

  it('bounds one replaced example to 2·lr·C/(q·N) in one step, when that example is a huge outlier', async () => {
    // Prepare: one step over everything (q = 1), σ = 0; D' swaps example 0 for a ×1000 outlier, tried with both labels.
    const data = linearDataset(3, 200, 6);
    const w0 = initMlpWeights(MLP, seededRandom(4));
    const lr = 2;
    const C = 0.5;
    const config = { dpSgd: true, noiseMultiplier: 0, clippingNorm: C, batchSize: 200, learningRate: lr, localEpochs: 1 };
    const fit = async (d: Dataset, c: RoundConfig) => (await createTfjsTrainer({ model: MLP, rng: seededRandom(5) }).fit(w0, d, c, never)).weights;
    const bound = (2 * lr * C) / 200;
    let unclippedMax = 0;
    for (const label of [0, 1]) {
      const features = data.features.slice();
      for (let j = 0; j < 6; j++) features[j] = features[j]! * 1000;
      const labels = data.labels.slice();
      labels[0] = label;
      const outlier: Dataset = { ...data, features, labels };
      // Execute
      const moved = l2Norm(subtract(await fit(data, config), await fit(outlier, config)));
      const movedUnclipped = l2Norm(subtract(await fit(data, { ...config, clippingNorm: 1e9 }), await fit(outlier, { ...config, clippingNorm: 1e9 })));
      // Assert
      expect(moved).toBeLessThanOrEqual(bound * (1 + 1e-4));
      unclippedMax = Math.max(unclippedMax, movedUnclipped);
    }
    expect(unclippedMax).toBeGreaterThan(10 * bound);
  });

  it('gives identical weights for the same seed and different weights for another, when σ > 0', async () => {
    const data = linearDataset(1, 200, 6);
    const w0 = initMlpWeights(MLP, seededRandom(2));
    const config = { dpSgd: true, noiseMultiplier: 1.1, clippingNorm: 1, batchSize: 20, learningRate: 0.1 };
    const run = async (seed: number) => flatten((await createTfjsTrainer({ model: MLP, rng: seededRandom(seed) }).fit(w0, data, config, never)).weights);
    const a = await run(10);
    expect(await run(10)).toEqual(a);
    expect(await run(11)).not.toEqual(a);
  });
});
