/** Tests of the LSTM spec, its Keras-default initialisation, and its forward pass against tf.layers.lstm. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { numParameters } from '../../common/weights.js';
import { initTfBackend } from '../tf-backend.js';
import { lstmPredict } from './lstm-forward.js';
import { initLstmWeights, lstmTemplate, parseLstmSpec, type LstmSpec } from './lstm.js';
import { initModelWeights, modelInputWidth, modelTemplate } from './model-spec.js';

const SPEC: LstmSpec = { kind: 'lstm', timesteps: 5, featuresPerStep: 3, units: 4 };

describe('lstm model', () => {
  beforeAll(() => initTfBackend());

  it('declares the Keras layout, when the spec is T=5 F=3 H=4', () => {
    expect(lstmTemplate(SPEC).map((t) => `${t.name}:${t.shape.join('x')}`)).toEqual(['lstm/kernel:3x16', 'lstm/recurrent_kernel:4x16', 'lstm/bias:16', 'dense/kernel:4x1', 'dense/bias:1']);
    expect(numParameters(lstmTemplate(SPEC))).toBe(48 + 64 + 16 + 4 + 1);
    expect(modelInputWidth(SPEC)).toBe(15);
    expect(modelTemplate(SPEC)).toEqual(lstmTemplate(SPEC));
  });

  it('initialises orthonormal recurrent rows, forget bias 1 and Glorot kernels, reproducibly from a seed', () => {
    const w = initLstmWeights(SPEC, seededRandom(3));
    const r = w[1]!.values;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let dot = 0;
        for (let k = 0; k < 16; k++) dot += r[i * 16 + k]! * r[j * 16 + k]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
    expect([...w[2]!.values]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const limit = Math.sqrt(6 / (3 + 16));
    expect(w[0]!.values.every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(initModelWeights(SPEC, seededRandom(3))[1]!.values).toEqual(r);
  });

  it('refuses a spec without units, naming the field', () => {
    expect(() => parseLstmSpec({ kind: 'lstm', timesteps: 5, featuresPerStep: 3 })).toThrow(/units/);
  });

  it('predicts exactly what tf.layers.lstm (sigmoid recurrent activation) + dense predicts with the same weights', () => {
    const w = initLstmWeights(SPEC, seededRandom(4));
    w[2]!.values.set([0.1, -0.2, 0.3, 0, 1, 1.2, 0.8, 1, -0.1, 0.2, 0, 0.05, 0.3, -0.3, 0.1, 0]);
    w[4]!.values[0] = 0.07;
    const x = new Float32Array(2 * 15).map((_, i) => Math.sin(i * 0.7));
    const ours = lstmPredict(SPEC, w, x);
    const model = tf.sequential({
      layers: [
        tf.layers.reshape({ targetShape: [5, 3], inputShape: [15] }),
        tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    model.setWeights(w.map((t) => tf.tensor(t.values, [...t.shape])));
    const theirs = (model.predict(tf.tensor2d(x, [2, 15])) as tf.Tensor).dataSync();
    expect([...ours].map((v) => Number(v.toFixed(5)))).toEqual([...theirs].map((v) => Number(v.toFixed(5))));
    model.dispose();
  });
});
