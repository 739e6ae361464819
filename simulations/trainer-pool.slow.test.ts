/**
 * The trainer pool (npm run test:slow: worker start-up takes seconds): pooled fits equal single-thread seeded
 * fits bit for bit, DP noise included, and so do whole federations (DP-SGD with dropouts; secure aggregation).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.js';
import { linearDataset } from '../client/trainer/testing/synthetic.js';
import { initMlpWeights, type MlpSpec } from '../tasks/models/mlp.js';
import { initTfBackend, useTfBackend } from '../tasks/tf-backend.js';
import { REPO } from '../test/helpers/federation-fixture.js';
import { runFederation, seededTrainers, simulationJob, type TrainerFactory } from './federation-run.js';
import { prepareSimulationData } from './sim-data.js';
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

  it('runs a federation to the same checkpoints, rounds and ledger with the pool as on the main thread, for a seed', async () => {
    const german = existsSync('/work/shared/data/german_credit.csv') ? '/work/shared/data/german_credit.csv' : join(REPO, '../../shared/data/german_credit.csv');
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-pool-fed-'));
    try {
      const data = await prepareSimulationData({ dataFile: german, schema: 'credit.v1', mappingFile: join(REPO, 'examples/german-credit/mapping.json'), task: 'credit-scoring', banks: 4, partition: { kind: 'iid' }, testFraction: 0.2, seed: 3, maxReject: 0, minRowsPerBank: 10, workDir: dir });
      const cases = [
        { job: { rounds: 3, privacy: { mode: 'dp-sgd', targetEpsilon: 4, delta: 1e-5, clippingNorm: 1, maxEpsilon: 8 } }, dropoutRate: 0.3 },
        { job: { rounds: 2, secureAggregation: { enabled: true } }, dropoutRate: 0 },
      ];
      for (const c of cases) {
        const job = simulationJob(c.job, data, 'credit-scoring');
        const run = (trainers: TrainerFactory) => runFederation({ data, job, seed: 3, transport: 'in-process', holdoutFraction: 0.2, dropoutRate: c.dropoutRate, trainers });
        const single = await run(seededTrainers(3));
        const pooled = await run(pool.trainers(3));
        expect(pooled.status).toBe('completed');
        expect(pooled.checkpoints).toEqual(single.checkpoints);
        const strip = (o: typeof single) => o.rounds.map(({ jobId: _j, trainMs: _t, evaluateMs: _e, completedAt: _c, participants, ...r }) => ({ ...r, participants: [...participants].sort() }));
        expect(strip(pooled)).toEqual(strip(single));
        expect(pooled.ledger.map((l) => [l.memberId, l.round, l.epsilonRound, l.epsilonTotal, l.steps])).toEqual(single.ledger.map((l) => [l.memberId, l.round, l.epsilonRound, l.epsilonTotal, l.steps]));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
