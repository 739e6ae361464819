/** Tests of the LSTM's per-example gradients (one backward pass with probes) against tfjs autodiff, and of their clipping. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { lstmForward, squaredError } from '../../tasks/models/lstm-forward.js';
import { initLstmWeights, type LstmSpec } from '../../tasks/models/lstm.js';
import { weightsToTensors } from '../../tasks/models/mlp.js';
import { initTfBackend } from '../../tasks/tf-backend.js';
import { lstmClippedGradientSum, lstmMeanGradient, lstmPerExampleGradients } from './dp-sgd-lstm.js';

const SPEC: LstmSpec = { kind: 'lstm', timesteps: 4, featuresPerStep: 2, units: 3 };
const N = 5;

function batch() {
  const x = tf.tensor2d(Float32Array.from({ length: N * 8 }, (_, i) => Math.cos(1.3 * i)), [N, 8]);
  const y = tf.tensor2d(Float32Array.from({ length: N }, (_, i) => 0.5 - 0.3 * i), [N, 1]);
  return { x, y };
}

/** Autodiff gradient of the summed squared error of rows `rows` only. */
function autodiff(params: tf.Tensor[], b: { x: tf.Tensor2D; y: tf.Tensor2D }, rows: number[]): Float32Array[] {
  return tf.tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    const x = tf.gather(b.x, idx);
    const y = tf.gather(b.y, idx);
    const grads = tf.grads((...ps: tf.Tensor[]) => tf.sum(squaredError(lstmForward(SPEC, ps, x).outputs, y)) as tf.Scalar)(params);
    return grads.map((g) => Float32Array.from(g.dataSync()));
  });
}

describe('LSTM per-example gradients', () => {
  beforeAll(() => initTfBackend());

  it('equal autodiff on each example alone, for every parameter', () => {
    const params = weightsToTensors(initLstmWeights(SPEC, seededRandom(1)));
    const b = batch();
    const per = tf.tidy(() => lstmPerExampleGradients(SPEC, params, b).grads.map((g) => ({ shape: g.shape, values: Float32Array.from(g.dataSync()) })));
    for (let i = 0; i < N; i++) {
      const want = autodiff(params, b, [i]);
      per.forEach((g, p) => {
        const size = want[p]!.length;
        const got = g.values.subarray(i * size, (i + 1) * size);
        for (let k = 0; k < size; k++) expect(got[k]).toBeCloseTo(want[p]![k]!, 4);
      });
    }
    tf.dispose([...params, b.x, b.y]);
  });

  it('sum to the batch gradient when nothing is clipped, and scale each example to norm ≤ C when clipped', () => {
    const params = weightsToTensors(initLstmWeights(SPEC, seededRandom(2)));
    const b = batch();
    const before = tf.memory().numTensors;
    const loose = tf.tidy(() => lstmClippedGradientSum(SPEC, params, b, 1e6).grads.map((g) => Float32Array.from(g.dataSync())));
    const want = autodiff(params, b, [0, 1, 2, 3, 4]);
    loose.forEach((g, p) => g.forEach((v, k) => expect(v).toBeCloseTo(want[p]![k]!, 4)));
    const norms = tf.tidy(() => Float32Array.from(lstmClippedGradientSum(SPEC, params, b, 1e6).norms.dataSync()));
    const c = Math.min(...norms) / 2;
    const clipped = tf.tidy(() => lstmClippedGradientSum(SPEC, params, b, c).grads.map((g) => Float32Array.from(g.dataSync())));
    const total = Math.sqrt(clipped.reduce((a, g) => a + g.reduce((s, v) => s + v * v, 0), 0));
    expect(total).toBeLessThanOrEqual(N * c * (1 + 1e-5));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...params, b.x, b.y]);
  });

  it('gives the mean-loss gradient of the batch, equal to autodiff divided by n', () => {
    const params = weightsToTensors(initLstmWeights(SPEC, seededRandom(3)));
    const b = batch();
    const got = tf.tidy(() => lstmMeanGradient(SPEC, params, b).grads.map((g) => ({ shape: g.shape, values: Float32Array.from(g.dataSync()) })));
    const want = autodiff(params, b, [0, 1, 2, 3, 4]);
    got.forEach((g, p) => {
      expect(g.shape).toEqual(params[p]!.shape);
      g.values.forEach((v, k) => expect(v).toBeCloseTo(want[p]![k]! / N, 5));
    });
    tf.dispose([...params, b.x, b.y]);
  });
});
