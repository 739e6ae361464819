/** The trainer pool (npm run test:slow: worker start-up takes seconds): pooled fits equal single-thread seeded fits bit for bit, DP noise included. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.js';
import { linearDataset } from '../client/trainer/testing/synthetic.js';
import { initMlpWeights, type MlpSpec } from '../tasks/models/mlp.js';
import { initTfBackend, useTfBackend } from '../tasks/tf-backend.js';
import { seededTrainers } from './federation-run.js';
import { createTrainerPool, type TrainerPool } from './trainer-pool.js';

const MODEL: MlpSpec = { numFeatures: 8, hiddenUnits: [16], activation: 'relu' };
const never = new AbortController().signal;

describe('trainer pool', () => {
  let pool: TrainerPool;
  beforeAll(async () => {
    process.env['FEDFIN_TF_BACKEND'] = 'wasm';
    await initTfBackend();
    expect(await useTfBackend('wasm')).toBe(true);
    pool = await createTrainerPool({ workers: 2 });
  });
  afterAll(async () => pool.close());

  it('gives the same weights, metrics and scores as seededTrainers for the same seed and bank, with DP-SGD', async () => {
    const data = linearDataset(3, 400, 8);
    const w0 = initMlpWeights(MODEL, seededRandom('w0'));
    const config = { learningRate: 0.1, batchSize: 32, localEpochs: 2, dpSgd: true, noiseMultiplier: 1.1, clippingNorm: 1 };
    const banks = ['bank-1', 'bank-2', 'bank-3', 'bank-4'];
    const pooled = await Promise.all(banks.map((b) => pool.trainers(9)(b)(MODEL).fit(w0, data, config, never)));
    for (const [i, b] of banks.entries()) {
      const local = await seededTrainers(9)(b)(MODEL).fit(w0, data, config, never);
      expect(pooled[i]!.weights).toEqual(local.weights);
      expect(pooled[i]!.privacySteps).toEqual(local.privacySteps);
    }
    expect(pooled[0]!.weights).not.toEqual(pooled[1]!.weights); // each bank its own stream
    const ev = await pool.trainers(9)('bank-1')(MODEL).evaluate(pooled[0]!.weights, data, {}, never);
    expect(ev.scores).toEqual((await seededTrainers(9)('bank-1')(MODEL).evaluate(pooled[0]!.weights, data, {}, never)).scores);
  });

  it('turns a worker-side failure into the same typed error', async () => {
    const bad = linearDataset(3, 10, 5); // 5 features for an 8-feature model
    await expect(pool.trainers(1)('bank-1')(MODEL).fit(initMlpWeights(MODEL, seededRandom(1)), bad, {}, never)).rejects.toMatchObject({ code: 'encoding-mismatch' });
  });
});
