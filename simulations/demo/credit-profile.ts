/** The credit-scoring demo: credit.v1 banks, a DP logistic (or MLP) job, ROC-AUC / KS / log-loss against the baselines. */
import { compareModels } from './measure.js';
import { CREDIT_METRICS } from './report.js';
import { CREDIT_LAYOUT, prepareDemoData } from './setup.js';
import type { DemoJobOptions, DemoTaskProfile } from './task-profile.js';
import type { JobSpecInput } from '../../schema/job-spec.js';

/** The credit demo's job: credit scoring with record-level DP-SGD, σ calibrated by each bank for the target ε. */
export function creditDemoJobSpec(o: DemoJobOptions): JobSpecInput {
  return {
    name: 'demo-credit-scoring',
    task: 'credit-scoring',
    schema: 'credit.v1',
    model: o.model === 'logistic' ? { type: 'logistic' } : { type: 'mlp', hidden: [16], activation: 'relu' },
    rounds: o.rounds,
    minBanks: 3,
    localEpochs: o.localEpochs,
    batchSize: 64,
    learningRate: o.learningRate,
    optimizer: 'sgd',
    privacy: { mode: 'dp-sgd', targetEpsilon: o.epsilon, delta: 1e-5, clippingNorm: 1, maxEpsilon: 2 * o.epsilon },
    timeouts: { fitMs: 120_000, evaluateMs: 60_000 },
    maxRoundAttempts: 3,
    seed: o.seed,
  };
}

export const CREDIT_DEMO: DemoTaskProfile = {
  task: 'credit-scoring',
  schema: 'credit.v1',
  noun: 'credit',
  defaults: {
    rows: 2500,
    rounds: 12,
    epsilon: 3,
    model: 'logistic',
    localEpochs: 5,
    learningRate: 0.5,
    skew: 0.5,
    // Small banks (≈ 800, 800, 400 training rows) and a large common test set: docs/benchmarks.md (demo).
    bankFractions: [1, 1, 0.5],
    testFraction: 0.6,
    holdoutFraction: 0.2,
  },
  metrics: CREDIT_METRICS,
  jobSpec: creditDemoJobSpec,
  prepare: (o) => prepareDemoData(o, CREDIT_LAYOUT),
  compare: (banks, finished, holdoutFraction, seed) => compareModels(banks, finished, holdoutFraction, seed),
};
