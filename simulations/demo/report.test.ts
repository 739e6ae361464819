/** Tests of the demo report: the JSON document's keys and values, the table, what it was scored on, and the privacy statement. */
import { describe, expect, it } from 'vitest';
import { parseJobSpec } from '../../schema/job-spec.js';
import type { BinaryMetrics } from '../../tasks/metrics/score-histogram.js';
import type { Comparison } from './measure.js';
import { demoReport, formatDemoReport } from './report.js';
import { demoProfile } from './task-profiles.js';

const metrics = (auc: number): Record<string, number> & BinaryMetrics => ({ auc, ks: auc - 0.3, logLoss: 1 - auc, brier: 0.1, accuracy: 0.9, numExamples: 100, positiveRate: 0.1 });
const comparison: Comparison = {
  testRows: 300,
  federated: { model: 'federated', rows: 900, metrics: metrics(0.8712345), epsilon: 2.99991 },
  centralized: { model: 'centralized', rows: 900, metrics: metrics(0.88), epsilon: 2.9998 },
  localOnly: [
    { model: 'bank-1 alone', bank: 'bank-1', rows: 500, metrics: metrics(0.86), epsilon: 2.9 },
    { model: 'bank-2 alone', bank: 'bank-2', rows: 400, metrics: metrics(0.875), epsilon: 2.9 },
  ],
};
const dpJob = parseJobSpec({ name: 'd', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 10, privacy: { mode: 'dp-sgd', targetEpsilon: 3, maxEpsilon: 6, delta: 1e-5 } });

describe('demoReport', () => {
  it('fills the documented keys and checks the targets, when the job used DP', () => {
    const r = demoReport('job-1', dpJob, 10, comparison, 1234.4);
    expect(r).toMatchObject({
      rounds: 10,
      federated: { auc: 0.8712, rows: 900 },
      centralized: { auc: 0.88 },
      localOnly: [{ bank: 'bank-1', auc: 0.86, rows: 500 }, { bank: 'bank-2', auc: 0.875, rows: 400 }],
      privacy: { epsilon: 2.9999, delta: 1e-5, targetEpsilon: 3, unit: 'record', accountant: 'rdp', sampling: 'poisson' },
      targets: { federatedVsCentralized: 0.99, aboveEveryBankAlone: false },
      wallTimeMs: 1234,
    });
  });

  it('states no privacy, when the job has none', () => {
    const job = parseJobSpec({ ...JSON.parse(JSON.stringify(dpJob)), privacy: { mode: 'none' } });
    const r = demoReport('job-1', job, 10, comparison, 1);
    expect(r.privacy).toBeNull();
    expect(formatDemoReport(r)).toContain('Privacy: no record-level DP in this job');
  });
});

describe('formatDemoReport', () => {
  it('prints one row per model and the privacy statement with ε, δ, accountant, unit and sampling', () => {
    const text = formatDemoReport(demoReport('job-1', dpJob, 10, comparison, 61_000));
    expect(text).toMatch(/^federated +0\.871 +0\.571 +0\.129 +900$/m);
    expect(text).toMatch(/^bank-2 alone +0\.875 /m);
    expect(text).toContain('federated AUC = 99.0 % of centralised; NOT above every bank alone.');
    expect(text).toContain('(ε = 3.00, δ = 1e-5)');
    expect(text).toContain('accountant RDP, unit of privacy: one customer record, Poisson sampling of records');
    expect(text).toContain('Wall time 61.0 s.');
  });
});

describe('demoReport with secure aggregation', () => {
  it('adds the secureAggregation section with survivors, dropouts by stage and the distributed-DP ε, when the job ran SecAgg+', () => {
    const job = parseJobSpec({ ...JSON.parse(JSON.stringify(dpJob)), secureAggregation: { enabled: true, distributedDp: { mechanism: 'skellam', noiseMultiplier: 0.5, minSurvivors: 2 } } });
    const round = (n: number, participants: string[], dropped: { memberId: string; kind: string; reason: string; stage?: string }[], epsilon: number) => ({ jobId: 'job-1', round: n, attempt: 1, participants, dropped, metrics: {}, epsilon, delta: 1e-5, trainMs: 1, evaluateMs: 1, completedAt: '' });
    const r = demoReport('job-1', job, 2, comparison, 1, undefined, undefined, [round(1, ['bank-1', 'bank-2', 'bank-3'], [], 20.5), round(2, ['bank-1', 'bank-2'], [{ memberId: 'bank-3', kind: 'timeout', reason: 'gone', stage: 'share-keys' }], 31.25)]);
    expect(r.secureAggregation).toEqual({ bits: 16, clippingRange: 1, survivorsPerRound: [3, 2], dropouts: ['r2:bank-3@share-keys'], distributedDp: { mechanism: 'skellam', noiseMultiplier: 0.5, minSurvivors: 2, epsilon: 31.25, delta: 1e-5, unit: 'bank' } });
    const text = formatDemoReport(r);
    expect(text).toContain('the coordinator saw only the sum of 3/2 banks\' masked updates per round, never one bank\'s update; dropouts r2:bank-3@share-keys.');
    expect(text).toContain('Distributed DP inside the sum (skellam, z = 0.5, sized for 2 survivors): ε = 31.25');
  });

  it('has no secureAggregation key, when the job ran without it', () => {
    expect(demoReport('job-1', dpJob, 10, comparison, 1)).not.toHaveProperty('secureAggregation');
  });
});

describe('the line above the table (what every model was scored on) comes from the task profile', () => {
  const marketJob = parseJobSpec(demoProfile('market-forecast').jobSpec({ rounds: 2, epsilon: 3, model: 'lstm', seed: 1, localEpochs: 1, learningRate: 0.005 }));

  it('market: no common test set, each bank\'s own holdout windows, counted', () => {
    const p = demoProfile('market-forecast');
    const text = formatDemoReport(demoReport('job-1', marketJob, 2, { ...comparison, testRows: 417 }, 1, p.metrics, p.extras?.({ ...comparison, testRows: 417 })), p.metrics);
    expect(text.split('\n')[0]).toBe("No common test set: every model is scored on each bank's own holdout windows (417 windows pooled).");
    expect(text).not.toContain('Common test set:');
  });

  it.each(['credit-scoring', 'fraud-detection'])('%s: the common test set pooled from every bank, unchanged', (task) => {
    const p = demoProfile(task);
    const text = formatDemoReport(demoReport('job-1', dpJob, 10, comparison, 1, p.metrics, p.extras?.(comparison)), p.metrics);
    expect(text.split('\n')[0]).toBe('Common test set: 300 rows pooled from every bank (for measurement only).');
  });
});
