/** Tests of the vectorised DP-SGD gradient against brute-force per-example tf.grad passes, on wasm and cpu. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { bceWithLogits, initMlpWeights, mlpForwardTrace, weightsToTensors, type MlpSpec } from '../../tasks/models/mlp.js';
import { initTfBackend, useTfBackend } from '../../tasks/tf-backend.js';
import { addNoise, clippedGradientSum, dpGradient, meanGradient, type TensorBatch } from './dp-sgd.js';
import { linearDataset } from './testing/synthetic.js';

/** Per-example gradients by one tf.grads pass per example: the slow reference. */
function bruteForce(spec: MlpSpec, params: tf.Tensor[], x: Float32Array, y: Float32Array, C: number, pw: number) {
  const d = spec.numFeatures;
  const n = y.length;
  const sizes = params.map((p) => p.size);
  const sum = sizes.map((s) => new Float64Array(s));
  const norms: number[] = [];
  for (let i = 0; i < n; i++) {
    const grads = tf.tidy(() => {
      const xi = tf.tensor2d(x.subarray(i * d, (i + 1) * d), [1, d]);
      const yi = tf.tensor2d([y[i]!], [1, 1]);
      const f = (...ps: tf.Tensor[]) => tf.sum(bceWithLogits(mlpForwardTrace(spec, ps, xi).logits, yi, pw));
      return tf.grads(f)(params);
    });
    const values = grads.map((g) => g.dataSync() as Float32Array);
    tf.dispose(grads);
    const norm = Math.sqrt(values.reduce((s, v) => s + v.reduce((a, b) => a + b * b, 0), 0));
    norms.push(norm);
    const c = Math.min(1, C / (norm + 1e-6));
    values.forEach((v, k) => v.forEach((g, j) => (sum[k]![j]! += c * g)));
  }
  return { norms, sum };
}

function batchOf(x: Float32Array, y: Float32Array, d: number): TensorBatch {
  return { x: tf.tensor2d(x, [y.length, d]), y: tf.tensor2d(y, [y.length, 1]) };
}

function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-3;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
  return err / scale;
}

const SPECS: MlpSpec[] = [
  { numFeatures: 7, hiddenUnits: [], activation: 'relu' },
  { numFeatures: 7, hiddenUnits: [6, 5], activation: 'relu' },
  { numFeatures: 7, hiddenUnits: [6], activation: 'tanh' },
  { numFeatures: 7, hiddenUnits: [4, 3], activation: 'sigmoid' },
];

describe.each(['wasm', 'cpu'] as const)('clippedGradientSum on %s', (backend) => {
  beforeAll(async () => {
    await initTfBackend();
    expect(await useTfBackend(backend)).toBe(true);
  });

  it.each(SPECS.map((s) => [`${s.hiddenUnits.join('-') || 'logistic'} ${s.activation}`, s] as const))(
    'matches per-example tf.grad norms and clipped sum to 1e-5, when the model is %s',
    (_label, spec) => {
      // Prepare: 24 examples, C at the median norm so about half are clipped; class weight 2.
      const data = linearDataset(3, 24, spec.numFeatures, 0.2);
      const params = weightsToTensors(initMlpWeights(spec, seededRandom(11)));
      const ref0 = bruteForce(spec, params, data.features, data.labels, 1e9, 2);
      const C = [...ref0.norms].sort((a, b) => a - b)[12]!;
      const ref = bruteForce(spec, params, data.features, data.labels, C, 2);
      // Execute
      const batch = batchOf(data.features, data.labels, spec.numFeatures);
      const out = clippedGradientSum(spec, params, batch, C, 2);
      const norms = out.norms.dataSync() as Float32Array;
      const sums = out.grads.map((g) => g.dataSync() as Float32Array);
      // Assert
      expect(maxRelErr(norms, ref.norms)).toBeLessThan(1e-5);
      sums.forEach((s, k) => expect(maxRelErr(s, ref.sum[k]!)).toBeLessThan(1e-5));
      expect(ref.norms.filter((v) => v > C).length).toBeGreaterThan(5);
      tf.dispose([...params, batch.x, batch.y, out.norms, out.lossSum, ...out.grads]);
    },
  );

  it('equals the autograd gradient of the mean loss, when computing the non-private meanGradient', () => {
    const spec = SPECS[1]!;
    const data = linearDataset(4, 16, spec.numFeatures);
    const params = weightsToTensors(initMlpWeights(spec, seededRandom(12)));
    tf.tidy(() => {
      const batch = batchOf(data.features, data.labels, spec.numFeatures);
      const ours = meanGradient(spec, params, batch).grads.map((g) => g.dataSync() as Float32Array);
      const f = (...ps: tf.Tensor[]) => tf.mean(bceWithLogits(mlpForwardTrace(spec, ps, batch.x).logits, batch.y));
      const auto = tf.grads(f)(params).map((g) => g.dataSync() as Float32Array);
      ours.forEach((g, k) => expect(maxRelErr(g, auto[k]!)).toBeLessThan(1e-5));
    });
    tf.dispose(params);
  });

  it('moves the update by at most lr·C/expectedBatch, when one outlier with a huge gradient joins the batch', () => {
    // Prepare: the outlier has features ×1000 and the label the model gets wrong, so its raw gradient norm is enormous.
    const spec = SPECS[1]!;
    const data = linearDataset(5, 20, spec.numFeatures);
    const params = weightsToTensors(initMlpWeights(spec, seededRandom(13)));
    const outlierX = data.features.slice(0, spec.numFeatures).map((v) => v * 1000);
    const withX = new Float32Array([...data.features, ...outlierX]);
    const logit = tf.tidy(() => mlpForwardTrace(spec, params, tf.tensor2d(outlierX, [1, 7])).logits.dataSync()[0]!);
    const withY = new Float32Array([...data.labels, logit > 0 ? 0 : 1]);
    const lr = 0.5;
    const C = 0.7;
    const opts = { clippingNorm: C, noiseMultiplier: 0, expectedBatchSize: 16 };
    // Execute
    const diff = tf.tidy(() => {
      const a = dpGradient(spec, params, batchOf(data.features, data.labels, 7), opts, seededRandom(1)).grads;
      const b = dpGradient(spec, params, batchOf(withX, withY, 7), opts, seededRandom(1)).grads;
      const raw = clippedGradientSum(spec, params, batchOf(outlierX, withY.subarray(20), 7), 1e12).norms.dataSync()[0]!;
      const sq = a.reduce((s, g, k) => s + (tf.sum(tf.square(tf.sub(g, b[k]!))).dataSync()[0] as number), 0);
      return { update: lr * Math.sqrt(sq), raw };
    });
    // Assert
    expect(diff.raw).toBeGreaterThan(100 * C);
    expect(diff.update).toBeLessThanOrEqual((lr * C) / opts.expectedBatchSize + 1e-6);
    expect(diff.update).toBeGreaterThan((0.99 * lr * C) / opts.expectedBatchSize);
    tf.dispose(params);
  });
});

describe('addNoise', () => {
  it('draws the same noise from the same seed and different noise from another, when std > 0', () => {
    const grads = [tf.zeros([3, 4]), tf.zeros([4])];
    const draw = (seed: number) =>
      tf.tidy(() => addNoise(grads, seededRandom(seed), 2).flatMap((g) => Array.from(g.dataSync() as Float32Array)));
    const a = draw(1);
    expect(draw(1)).toEqual(a);
    expect(draw(2)).not.toEqual(a);
    const sd = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(sd).toBeGreaterThan(0.5);
    expect(sd).toBeLessThan(4);
    tf.dispose(grads);
  });

  it('returns the gradients unchanged and draws nothing, when std is 0', () => {
    let calls = 0;
    const rng = { fill: () => void calls++ };
    const g = tf.ones([2, 2]);
    const out = addNoise([g], rng, 0);
    expect(out[0]).toBe(g);
    expect(calls).toBe(0);
    g.dispose();
  });
});
