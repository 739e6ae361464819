/** Tests of the tfjs Trainer's edges: abort, tensor hygiene, FedProx/L1/L2 options, evaluate, bad input. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../common/errors.js';
import { seededRandom } from '../../common/seeded-random.js';
import { l2Norm, subtract, type Weights } from '../../common/weights.js';
import { initMlpWeights, mlpLogits, type MlpSpec } from '../../tasks/models/mlp.js';
import { initTfBackend } from '../../tasks/tf-backend.js';
import { linearDataset } from './testing/synthetic.js';
import { createTfjsTrainer } from './tfjs-trainer.js';
import type { RoundConfig } from './trainer.js';

const never = new AbortController().signal;
const MLP: MlpSpec = { numFeatures: 5, hiddenUnits: [8], activation: 'tanh' };
const data = linearDataset(1, 300, 5);
const w0 = initMlpWeights(MLP, seededRandom(1));
const trainer = () => createTfjsTrainer({ model: MLP, rng: seededRandom(2) });
const kernels = (w: Weights) => w.filter((t) => t.shape.length === 2);

/** A signal that reports "aborted" from its n-th check on: deterministic, unlike a timer. */
function abortAfterChecks(n: number): { signal: AbortSignal; checks: () => number } {
  let count = 0;
  const signal = {
    get aborted() {
      return count >= n;
    },
    reason: new Error('stop requested'),
    throwIfAborted() {
      if (++count > n) throw new Error('stop requested');
    },
  } as unknown as AbortSignal;
  return { signal, checks: () => count };
}

describe('tfjs trainer options', () => {
  beforeAll(() => initTfBackend());

  it('rejects with the abort reason after a few steps and frees its tensors, when aborted between steps', async () => {
    // Prepare
    const before = tf.memory().numTensors;
    const { signal, checks } = abortAfterChecks(4);
    // Execute
    const run = trainer().fit(w0, data, { dpSgd: true, noiseMultiplier: 1, clippingNorm: 1, localEpochs: 50 }, signal);
    // Assert
    await expect(run).rejects.toThrow('stop requested');
    expect(checks()).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects with an AbortError, when a real AbortController fires during a long fit', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await expect(trainer().fit(w0, data, { localEpochs: 10_000, batchSize: 8 }, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('leaves tf.memory().numTensors unchanged, when fitting with Adam, FedProx, L1, L2 and DP, then evaluating', async () => {
    const before = tf.memory().numTensors;
    const config = { optimizer: 'adam', proximalMu: 0.1, l1: 0.001, l2: 0.001, dpSgd: true, noiseMultiplier: 0.5, clippingNorm: 1, positiveClassWeight: 2 };
    for (let round = 0; round < 3; round++) {
      const fit = await trainer().fit(w0, data, config, never);
      await trainer().evaluate(fit.weights, data, {}, never);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the weights near the global model, when proximalMu is large', async () => {
    const base = { learningRate: 0.05, localEpochs: 3 };
    const free = await trainer().fit(w0, data, base, never);
    const prox = await trainer().fit(w0, data, { ...base, proximalMu: 10 }, never);
    expect(l2Norm(subtract(prox.weights, w0))).toBeLessThan(0.5 * l2Norm(subtract(free.weights, w0)));
  });

  it('shrinks the kernels, when l2 or l1 is set', async () => {
    const base = { learningRate: 0.1, localEpochs: 3 };
    const free = l2Norm(kernels((await trainer().fit(w0, data, base, never)).weights));
    expect(l2Norm(kernels((await trainer().fit(w0, data, { ...base, l2: 0.05 }, never)).weights))).toBeLessThan(0.8 * free);
    expect(l2Norm(kernels((await trainer().fit(w0, data, { ...base, l1: 0.05 }, never)).weights))).toBeLessThan(0.8 * free);
  });

  it('returns sigmoid(logits) as scores and the mean loss, when evaluating', async () => {
    const out = await trainer().evaluate(w0, data, {}, never);
    const logits = mlpLogits(MLP, w0, data.features);
    let loss = 0;
    logits.forEach((z, i) => {
      expect(out.scores[i]).toBeCloseTo(1 / (1 + Math.exp(-z)), 5);
      loss += Math.max(z, 0) - z * data.labels[i]! + Math.log1p(Math.exp(-Math.abs(z)));
    });
    expect(out.loss).toBeCloseTo(loss / 300, 5);
    expect(out.numExamples).toBe(300);
  });

  it.each<[string, RoundConfig]>([
    ['dpSgd without clippingNorm', { dpSgd: true, noiseMultiplier: 1 }],
    ['a negative learning rate', { learningRate: -1 }],
    ['an unknown optimizer', { optimizer: 'rmsprop' }],
  ])('throws config-invalid, when the round config has %s', async (_name, config) => {
    await expect(trainer().fit(w0, data, config, never)).rejects.toSatisfy((e) => hasCode(e, 'config-invalid'));
  });

  it('throws protocol-violation, when the weights belong to another model', async () => {
    const other = initMlpWeights({ ...MLP, hiddenUnits: [4] }, seededRandom(1));
    await expect(trainer().fit(other, data, {}, never)).rejects.toSatisfy((e) => hasCode(e, 'protocol-violation'));
  });

  it('throws encoding-mismatch, when the dataset has another width', async () => {
    await expect(trainer().evaluate(w0, linearDataset(1, 10, 4), {}, never)).rejects.toSatisfy((e) => hasCode(e, 'encoding-mismatch'));
  });
});
