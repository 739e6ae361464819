/** Tests of the baselines: the federation's pipeline trained in-process, with σ calibrated to the job's target ε. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.js';
import { desensitizeDataset, resolvePolicy } from '../privacy/desensitize/index.js';
import { syntheticCredit } from '../privacy/desensitize/testing/credit-fixture.js';
import { CREDIT_V1 } from '../schema/builtin/credit-v1.js';
import { computeMoments, momentsToStats } from '../schema/encoding-stats.js';
import { parseJobSpec } from '../schema/job-spec.js';
import { encodeRecords, jobPipeline, scoreModel, trainBaseline } from './baselines.js';
import { demoPolicy } from './demo/setup.js';

function party(rows: number, seed: number) {
  const policy = resolvePolicy({ ...demoPolicy(`p${seed}`), maxSuppression: 0.5 }, CREDIT_V1);
  const key = new Uint8Array(32).fill(seed);
  // The fixture's labels are random; make default depend on debt_to_income and delinquencies so there is signal to learn.
  const records = syntheticCredit(rows, seed).map((r, i) => ({ ...r, default: (r['debt_to_income'] as number) + 0.2 * (r['past_delinquencies'] as number) + 0.3 * ((i * 7919) % 10) / 10 > 1.1 ? 1 : 0 }));
  const d = desensitizeDataset(CREDIT_V1, policy, key, records);
  return { schema: d.schema, records: d.records };
}

const job = (privacy: unknown) =>
  parseJobSpec({ name: 't', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 3, batchSize: 32, learningRate: 0.5, privacy });

describe('trainBaseline', () => {
  const train = party(1200, 1);
  const test = party(600, 2);
  const stats = momentsToStats(computeMoments(train.records, train.schema));

  it('spends at most the target ε and nearly all of it, when the job calibrates σ from targetEpsilon', async () => {
    const spec = job({ mode: 'dp-sgd', targetEpsilon: 2, maxEpsilon: 4, delta: 1e-5 });
    const p = jobPipeline(train.schema, spec, stats);
    const m = await trainBaseline(p, encodeRecords(p.spec, train.records), spec, seededRandom('noise'), seededRandom('init'));
    expect(m.epsilon).toBeLessThanOrEqual(2);
    expect(m.epsilon).toBeGreaterThan(1.9);
    expect(m.noiseMultiplier).toBeGreaterThan(0.3);
    expect(m.rows).toBe(train.records.length);
  });

  it('learns a model that ranks the test set better than chance, when DP is off', async () => {
    const spec = job({ mode: 'none' });
    const p = jobPipeline(train.schema, spec, stats);
    const m = await trainBaseline(p, encodeRecords(p.spec, train.records), spec, seededRandom('noise'), seededRandom('init'));
    const metrics = await scoreModel(p, m.weights, encodeRecords(p.spec, test.records));
    expect(m.epsilon).toBe(0);
    expect(metrics.auc).toBeGreaterThan(0.8);
    expect(metrics.numExamples).toBe(test.records.length);
  });

  it('throws RangeError, when the training set is empty', async () => {
    const spec = job({ mode: 'none' });
    const p = jobPipeline(train.schema, spec, stats);
    await expect(trainBaseline(p, encodeRecords(p.spec, []), spec, seededRandom(1), seededRandom(2))).rejects.toThrow(RangeError);
  });
});
