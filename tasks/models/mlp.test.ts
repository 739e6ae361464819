/** Tests of the dense model spec, Glorot initialisation, forward pass and loss. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../common/errors.js';
import { seededRandom } from '../../common/seeded-random.js';
import { numParameters } from '../../common/weights.js';
import { initTfBackend } from '../tf-backend.js';
import { bceLogitGradient, bceWithLogits, initMlpWeights, logisticSpec, mlpLogits, mlpTemplate, parseMlpSpec } from './mlp.js';

describe('mlp model', () => {
  beforeAll(() => initTfBackend());

  it('declares kernel/bias pairs per layer, when the spec is the credit MLP 60-64-32-1', () => {
    const w = mlpTemplate({ numFeatures: 60, hiddenUnits: [64, 32], activation: 'relu' });
    expect(w.map((t) => `${t.name}:${t.shape.join('x')}`)).toEqual([
      'dense_0/kernel:60x64', 'dense_0/bias:64', 'dense_1/kernel:64x32', 'dense_1/bias:32', 'dense_2/kernel:32x1', 'dense_2/bias:1',
    ]);
    expect(numParameters(w)).toBe(6017);
  });

  it('draws kernels within ±√(6/(in+out)) with zero biases, reproducibly, when initialised from a seed', () => {
    const spec = { numFeatures: 60, hiddenUnits: [64], activation: 'tanh' } as const;
    const w = initMlpWeights(spec, seededRandom(1));
    const limit = Math.sqrt(6 / 124);
    const k = w[0]!.values;
    expect(Math.max(...k)).toBeLessThanOrEqual(limit);
    expect(Math.min(...k)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...k)).toBeGreaterThan(0.95 * limit);
    const variance = k.reduce((s, v) => s + v * v, 0) / k.length;
    expect(variance).toBeCloseTo((limit * limit) / 3, 3);
    expect(w[1]!.values.every((v) => v === 0)).toBe(true);
    expect(initMlpWeights(spec, seededRandom(1))[0]!.values).toEqual(k);
  });

  it('computes x·w + b, when the model is logistic regression', () => {
    const w = initMlpWeights(logisticSpec(3), seededRandom(2));
    const bias = w[1]!.values;
    bias[0] = 0.25;
    const x = new Float32Array([1, 2, 3, -1, 0, 0.5]);
    const k = w[0]!.values;
    const expected = [0, 1].map((i) => x[3 * i]! * k[0]! + x[3 * i + 1]! * k[1]! + x[3 * i + 2]! * k[2]! + 0.25);
    const got = mlpLogits(logisticSpec(3), w, x);
    expect(got[0]).toBeCloseTo(expected[0]!, 5);
    expect(got[1]).toBeCloseTo(expected[1]!, 5);
  });

  it('throws config-invalid, when the spec has a non-integer width or an unknown activation', () => {
    expect(() => parseMlpSpec({ numFeatures: 2.5 })).toThrow(expect.objectContaining({ code: 'config-invalid' }));
    let caught: unknown;
    try {
      parseMlpSpec({ numFeatures: 3, activation: 'gelu' }, 'task credit');
    } catch (e) {
      caught = e;
    }
    expect(hasCode(caught, 'config-invalid')).toBe(true);
    expect(parseMlpSpec({ numFeatures: 3 })).toEqual({ numFeatures: 3, hiddenUnits: [], activation: 'relu' });
  });
});

describe('bceWithLogits', () => {
  beforeAll(() => initTfBackend());

  it('matches the textbook formula and stays finite, when logits are extreme', () => {
    const z = [-100, -2, 0, 3, 100];
    const y = [0, 1, 1, 0, 1];
    const out = tf.tidy(() => Array.from(bceWithLogits(tf.tensor2d(z, [5, 1]), tf.tensor2d(y, [5, 1]), 3).dataSync()));
    out.forEach((v, i) => {
      const p = 1 / (1 + Math.exp(-z[i]!));
      const w = y[i] === 1 ? 3 : 1;
      const ref = -w * (y[i]! * Math.log(Math.max(p, 1e-300)) + (1 - y[i]!) * Math.log(Math.max(1 - p, 1e-300)));
      expect(v).toBeCloseTo(Math.abs(z[i]!) === 100 ? w * Math.log1p(Math.exp(-100)) : ref, 4);
    });
  });

  it('has w·(σ(z) − y) as derivative, when compared with autograd', () => {
    tf.tidy(() => {
      const z = tf.tensor2d([-1.5, 0.2, 2], [3, 1]);
      const y = tf.tensor2d([1, 0, 1], [3, 1]);
      const auto = tf.grad((t: tf.Tensor) => tf.sum(bceWithLogits(t as tf.Tensor2D, y, 2)))(z).dataSync();
      const ours = bceLogitGradient(z, y, 2).dataSync();
      ours.forEach((v, i) => expect(v).toBeCloseTo(auto[i]!, 5));
    });
  });
});
