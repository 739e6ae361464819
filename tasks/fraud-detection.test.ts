/**
 * Tests of the fraud-detection task: registration, model spec (focal or weighted), the job spec's DP
 * rule for `auto` weights, and that focal and weighted losses clip per example under DP-SGD exactly
 * like autodiff says (the ghost norm sees the loss's true per-example gradient).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clippedGradientSum } from '../client/trainer/dp-sgd.js';
import { silentLogger } from '../common/log.js';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { parseJobSpec } from '../schema/job-spec.js';
import { TRANSACTION_V1 } from '../schema/builtin/transaction-v1.js';
import { fraudRoundConfig, FRAUD_DETECTION } from './fraud-detection.js';
import { initMlpWeights, mlpForwardTrace, outputLoss, weightsToTensors, type MlpSpec } from './models/mlp.js';
import { getTask } from './registry.js';
import { initTfBackend } from './tf-backend.js';

const job = (extra: Record<string, unknown>) =>
  parseJobSpec({ name: 'f', task: 'fraud-detection', schema: 'transaction.v1', model: { type: 'mlp', hidden: [8] }, rounds: 1, ...extra });

describe('fraud-detection task', () => {
  it('is registered for transaction schemas and trains on the fraud label', () => {
    expect(getTask('fraud-detection')).toBe(FRAUD_DETECTION);
    expect(FRAUD_DETECTION.schemaKinds).toEqual(['transaction']);
    expect(FRAUD_DETECTION.labelField(TRANSACTION_V1)).toBe('fraud');
  });

  it('builds an MLP with focal loss when the job asks, and plain BCE otherwise', () => {
    expect(FRAUD_DETECTION.modelSpec(job({ fraud: { loss: 'focal', focalGamma: 1.5 } }), 30)).toEqual({ numFeatures: 30, hiddenUnits: [8], activation: 'relu', focal: { gamma: 1.5, alpha: 0.25 } });
    expect(FRAUD_DETECTION.modelSpec(job({}), 30)).toEqual({ numFeatures: 30, hiddenUnits: [8], activation: 'relu' });
  });

  it('adds the bank\'s class weight for weighted BCE, nothing for focal loss or another task', () => {
    const labels = [1, 0, 0, 0, 0];
    expect(fraudRoundConfig(job({}), labels, false)).toEqual({ positiveClassWeight: 4 });
    expect(fraudRoundConfig(job({ fraud: { positiveWeight: 50 } }), labels, true)).toEqual({ positiveClassWeight: 50 });
    expect(fraudRoundConfig(job({ fraud: { loss: 'focal' } }), labels, false)).toEqual({});
    expect(fraudRoundConfig(parseJobSpec({ name: 'c', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 1 }), labels, false)).toEqual({});
  });

  it('refuses positiveWeight auto with DP-SGD at the job spec, with the path', () => {
    const dp = { mode: 'dp-sgd', noiseMultiplier: 1, maxEpsilon: 5 };
    expect(() => job({ privacy: dp })).toThrow(/fraud\.positiveWeight.*outside the DP guarantee/);
    expect(job({ privacy: dp, fraud: { positiveWeight: 50 } }).fraud?.positiveWeight).toBe(50);
    expect(job({ privacy: dp, fraud: { loss: 'focal' } }).fraud?.loss).toBe('focal');
  });
});

describe('fraud losses under DP-SGD clipping', () => {
  beforeAll(async () => {
    await initTfBackend(silentLogger);
  });

  /** Per-example gradient norms by autodiff of outputLoss, one example at a time. */
  function autodiffNorms(spec: MlpSpec, params: tf.Tensor[], x: number[][], y: number[], w: number): number[] {
    return x.map((row, i) =>
      tf.tidy(() => {
        const f = (...ps: tf.Tensor[]) => tf.sum(outputLoss(spec, mlpForwardTrace(spec, ps, tf.tensor2d([row])).logits, tf.tensor2d([[y[i]!]]), w)) as tf.Scalar;
        const gs = tf.grads(f)(params);
        return Math.sqrt(gs.reduce((a, g) => a + (tf.sum(tf.square(g)).dataSync()[0] as number), 0));
      }),
    );
  }

  for (const [name, spec, w] of [
    ['focal (γ 2, α 0.25)', { numFeatures: 4, hiddenUnits: [5], activation: 'tanh', focal: { gamma: 2, alpha: 0.25 } }, 1],
    ['weighted BCE (w 50)', { numFeatures: 4, hiddenUnits: [5], activation: 'tanh' }, 50],
  ] as const) {
    it(`${name}: the ghost norms equal autodiff's per-example norms, and every clipped contribution is at most C`, () => {
      const rng = new RandomReader(seededRandom(`fraud-clip-${name}`));
      const params = weightsToTensors(initMlpWeights(spec, seededRandom(`fraud-init-${name}`)));
      const x = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => 3 * (rng.uniform() - 0.5)));
      const y = [1, 0, 0, 1, 0, 0];
      const want = autodiffNorms(spec, params, x, y, w);
      const got = tf.tidy(() => [...clippedGradientSum(spec, params, { x: tf.tensor2d(x), y: tf.tensor2d(y, [6, 1]) }, 1e9, w).norms.dataSync()]);
      got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4));
      // With C below every norm, each example contributes exactly C: the sum's norm is at most 6·C.
      const c = Math.min(...want) / 2;
      const sumNorm = tf.tidy(() => {
        const gs = clippedGradientSum(spec, params, { x: tf.tensor2d(x), y: tf.tensor2d(y, [6, 1]) }, c, w).grads;
        return Math.sqrt(gs.reduce((a, g) => a + (tf.sum(tf.square(g)).dataSync()[0] as number), 0));
      });
      expect(sumNorm).toBeLessThanOrEqual(6 * c * (1 + 1e-5));
      tf.dispose(params);
    });
  }
});
