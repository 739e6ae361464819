/** Tests of the fraud losses: focal loss and its gradient against hand-computed values and finite differences, and the positive-class weight. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/log.js';
import { bceWithLogits } from './models/mlp.js';
import { focalLogitGradient, focalLossWithLogits, MAX_AUTO_POSITIVE_WEIGHT, positiveClassWeight } from './fraud-detection-loss.js';
import { initTfBackend } from './tf-backend.js';

const run = (f: (z: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D, z: number[], y: number[]): number[] =>
  tf.tidy(() => [...f(tf.tensor2d(z, [z.length, 1]), tf.tensor2d(y, [y.length, 1])).dataSync()]);

describe('focal loss', () => {
  beforeAll(async () => {
    await initTfBackend(silentLogger);
  });
  const F = { gamma: 2, alpha: 0.25 };

  it('equals hand-computed values: −α(1−p)^γ ln p for a fraud, −(1−α)p^γ ln(1−p) for a genuine transaction', () => {
    // z = 0: p = 0.5. z = ln 3: p = 0.75. z = −ln 9: p = 0.1.
    const got = run((z, y) => focalLossWithLogits(z, y, F), [0, Math.log(3), Math.log(3), -Math.log(9)], [1, 1, 0, 0]);
    const want = [0.25 * 0.25 * Math.LN2, 0.25 * 0.0625 * -Math.log(0.75), 0.75 * 0.5625 * -Math.log(0.25), 0.75 * 0.01 * -Math.log(0.9)];
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 6));
  });

  it('reduces to α·BCE on positives and (1−α)·BCE on negatives when γ = 0', () => {
    const z = [-3, -0.5, 0.7, 4];
    const y = [1, 0, 1, 0];
    const focal = run((a, b) => focalLossWithLogits(a, b, { gamma: 0, alpha: 0.3 }), z, y);
    const bce = run((a, b) => bceWithLogits(a, b), z, y);
    focal.forEach((f, i) => expect(f).toBeCloseTo((y[i] === 1 ? 0.3 : 0.7) * bce[i]!, 6));
  });

  it('has the exact gradient: matches central finite differences of the loss, for both labels and a soft label', () => {
    const z = [-6, -1.3, 0, 0.4, 2.2, 7, 0.9];
    const y = [1, 1, 0, 1, 0, 0, 0.3];
    const g = run((a, b) => focalLogitGradient(a, b, F), z, y);
    const h = 1e-3;
    const loss = (zs: number[]) => run((a, b) => focalLossWithLogits(a, b, F), zs, y);
    const up = loss(z.map((v) => v + h));
    const down = loss(z.map((v) => v - h));
    g.forEach((gi, i) => expect(gi).toBeCloseTo((up[i]! - down[i]!) / (2 * h), 3));
  });

  it('stays finite at extreme logits', () => {
    const l = run((a, b) => focalLossWithLogits(a, b, F), [-200, 200, 200, -200], [1, 0, 1, 0]);
    const g = run((a, b) => focalLogitGradient(a, b, F), [-200, 200, 200, -200], [1, 0, 1, 0]);
    expect([...l, ...g].every(Number.isFinite)).toBe(true);
    expect(l[0]).toBeCloseTo(0.25 * 200, 2); // confidently wrong fraud: (1−p)^γ → 1, −ln p → 200
  });
});

describe('positiveClassWeight', () => {
  it('balances the classes with the bank\'s own prevalence for auto: negatives / positives', () => {
    const labels = Float32Array.from({ length: 1000 }, (_, i) => (i < 8 ? 1 : 0));
    expect(positiveClassWeight('auto', labels, false)).toBe(124);
  });

  it('returns a configured number as is, caps auto, and gives 1 without positives', () => {
    expect(positiveClassWeight(40, [0, 1], true)).toBe(40);
    expect(positiveClassWeight('auto', Float32Array.from({ length: 5000 }, (_, i) => (i === 0 ? 1 : 0)), false)).toBe(MAX_AUTO_POSITIVE_WEIGHT);
    expect(positiveClassWeight('auto', [0, 0, 0], false)).toBe(1);
  });

  it('refuses auto under DP-SGD, saying why and what to give instead', () => {
    expect(() => positiveClassWeight('auto', [0, 1], true)).toThrow(/outside the DP guarantee.*give a number/);
  });
});
