/** Tests of the fraud demo's data layout: whole accounts carved into the test set, the policy, and the job. */
import { describe, expect, it } from 'vitest';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { resolvePolicy } from '../../privacy/desensitize/index.js';
import { TRANSACTION_V1 } from '../../schema/builtin/transaction-v1.js';
import { parseJobSpec } from '../../schema/job-spec.js';
import { featuredSchema } from '../../tasks/features/feature-step.js';
import { pooledFinanceMetrics } from '../../tasks/metrics/index.js';
import { buildHistogram } from '../../tasks/metrics/score-histogram.js';
import { FRAUD_DEMO, fraudDemoPolicy, splitByAccount } from './fraud-profile.js';

const header = 'TXN;ACCT;AMT\n';
const rows = Array.from({ length: 200 }, (_, i) => `T${i};A${i % 23};${i}.5\n`);
const text = header + rows.join('');
const acct = (line: string) => line.split(';')[1]!;
const mapping = { fields: { account_id: { column: 'ACCT' } } };

describe('splitByAccount', () => {
  it('puts every account wholly in test or in train, keeping each row once with its text', () => {
    const s = splitByAccount(text, ';', 0.3, 1, new RandomReader(seededRandom(3)), mapping);
    expect([...s.test, ...s.train].sort()).toEqual([...rows].sort());
    const testAccounts = new Set(s.test.map(acct));
    expect(s.train.some((l) => testAccounts.has(acct(l)))).toBe(false);
    expect(testAccounts.size).toBeGreaterThan(0);
  });

  it('drops whole accounts for a smaller bank', () => {
    const s = splitByAccount(text, ';', 0.3, 0.4, new RandomReader(seededRandom(4)), mapping);
    const kept = new Set([...s.test, ...s.train].map(acct));
    expect(kept.size).toBeLessThan(23);
    for (const a of kept) expect([...s.test, ...s.train].filter((l) => acct(l) === a)).toHaveLength(rows.filter((l) => acct(l) === a).length);
  });

  it('falls back to the row split when the mapping names no account column, and names a missing column', () => {
    expect(splitByAccount(text, ';', 0.3, 1, new RandomReader(seededRandom(5)), {}).train.length).toBeGreaterThan(0);
    expect(() => splitByAccount(text, ';', 0.3, 1, new RandomReader(seededRandom(5)), { fields: { account_id: { column: 'NOPE' } } })).toThrow('account column "NOPE" is not in the header');
  });
});

describe('fraud demo profile', () => {
  it('has a policy valid for transaction.v1 with its engineered fields, and a DP job the spec accepts', () => {
    expect(() => resolvePolicy(fraudDemoPolicy('bank-1/fraud'), featuredSchema(TRANSACTION_V1))).not.toThrow();
    const d = FRAUD_DEMO.defaults;
    const job = parseJobSpec(FRAUD_DEMO.jobSpec({ rounds: d.rounds, epsilon: d.epsilon, model: d.model, seed: 1, localEpochs: d.localEpochs, learningRate: d.learningRate }));
    expect(job.privacy.mode).toBe('dp-sgd');
    expect(job.fraud).toMatchObject({ loss: 'weighted-bce', positiveWeight: 20 });
    expect(FRAUD_DEMO.metrics.map((m) => m.key)).toEqual(['prAuc', 'recallAtFpr', 'precisionAtK', 'auc']);
  });

  it('shows PR-AUC first on the per-round line, from keys the coordinator pools for a binary task', () => {
    const pooled = Object.keys(pooledFinanceMetrics([{ memberId: 'b', histogram: buildHistogram([0.1, 0.9], [0, 1]) }]).metrics);
    expect(FRAUD_DEMO.roundMetrics?.[0]).toMatchObject({ key: 'prAuc', header: 'pr-auc' });
    for (const m of FRAUD_DEMO.roundMetrics ?? []) expect(pooled).toContain(m.key);
  });
});
