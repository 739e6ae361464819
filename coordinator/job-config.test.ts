import { describe, expect, it } from 'vitest';
import { ConfigError, hasCode } from '../common/errors.js';
import { assertStrategyCompatible, parseJobSpec, secureAggregationConflict, type JobSpecInput } from '../schema/job-spec.js';
import { assertSecureAggregationSound, overBudgetMembers, strategyFor } from './job-config.js';

const JOB: JobSpecInput = { name: 'j', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 5, minBanks: 5 };
const spec = (strategy: unknown, over: Partial<JobSpecInput> = {}) => parseJobSpec({ ...JOB, ...over, strategy });
const issuesOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw err;
  }
  return [];
};

describe('strategyFor', () => {
  it.each([
    [{ name: 'fedavg' }, 'fedavg'],
    [{ name: 'fedprox', proximalMu: 0.1 }, 'fedprox'],
    [{ name: 'fedavgm' }, 'fedavgm'],
    [{ name: 'fedadagrad' }, 'fedadagrad'],
    [{ name: 'fedadam', eta: 0.05 }, 'fedadam'],
    [{ name: 'fedyogi', betas: [0.8, 0.999], tau: 1e-6 }, 'fedyogi'],
    [{ name: 'fedmedian' }, 'fedmedian'],
    [{ name: 'trimmed-mean', beta: 0.1 }, 'trimmed-mean'],
    [{ name: 'krum', byzantine: 1 }, 'krum'],
    [{ name: 'multikrum', byzantine: 1, select: 3 }, 'multikrum'],
  ])('builds the named strategy, when the spec says %j', (strategy, name) => {
    expect(strategyFor(spec(strategy)).name).toBe(name);
  });

  it('fills in the published defaults, when a server optimiser is named without parameters', () => {
    expect(spec({ name: 'fedadam' }).strategy).toEqual({ name: 'fedadam', eta: 0.1, betas: [0.9, 0.99], tau: 1e-3 });
    expect(spec({ name: 'fedyogi' }).strategy).toEqual({ name: 'fedyogi', eta: 0.01, betas: [0.9, 0.99], tau: 1e-3 });
    expect(spec({ name: 'fedadagrad' }).strategy).toEqual({ name: 'fedadagrad', eta: 0.1, tau: 1e-3 });
    expect(spec({ name: 'fedavgm' }).strategy).toEqual({ name: 'fedavgm', serverLearningRate: 1, serverMomentum: 0.9 });
    expect(spec({ name: 'trimmed-mean' }).strategy).toEqual({ name: 'trimmed-mean', beta: 0.2 });
    expect(spec({ name: 'krum' }).strategy).toEqual({ name: 'krum', byzantine: 1 });
  });

  it('passes the job sampling and fit settings on, when configuring a round', () => {
    const a = strategyFor(spec({ name: 'fedadam' }, { learningRate: 0.3 })).configureFit(1, [], ['a', 'b', 'c', 'd', 'e'], { fill: (b) => b.fill(0) });
    expect(a).toHaveLength(5);
    expect(a[0]!.config['learningRate']).toBe(0.3);
  });
});

describe('strategy parameters out of range', () => {
  it.each([
    [{ name: 'fedadam', betas: [0.9, 1] }, 'strategy.betas.1: beta2 must be in [0, 1)'],
    [{ name: 'fedyogi', eta: 0 }, 'strategy.eta: server learning rate eta must be in (0, 10]'],
    [{ name: 'fedadagrad', tau: -1 }, 'strategy.tau: adaptivity tau must be in (0, 1]'],
    [{ name: 'fedavgm', serverMomentum: 1 }, 'strategy.serverMomentum: serverMomentum must be in [0, 1)'],
    [{ name: 'trimmed-mean', beta: 0.5 }, 'strategy.beta: beta (fraction trimmed from each end) must be in [0, 0.5)'],
    [{ name: 'krum', byzantine: 1.5 }, 'strategy.byzantine: byzantine must be an integer'],
    [{ name: 'multikrum', byzantine: 1, select: 0 }, 'strategy.select: select must be ≥ 1'],
  ])('is refused with its path, when the spec says %j', (strategy, issue) => {
    expect(issuesOf(() => spec(strategy))).toContain(issue);
  });

  it('refuses unknown keys, when a parameter is misspelt', () => {
    expect(issuesOf(() => spec({ name: 'fedadam', beta1: 0.9 })).join('\n')).toMatch(/beta1/);
  });

  it('refuses Krum, when minBanks is below 2f + 3', () => {
    expect(issuesOf(() => spec({ name: 'krum', byzantine: 2 }, { minBanks: 5 }))).toEqual(['minBanks: krum with byzantine = 2 needs minBanks ≥ 2f + 3 = 7, got 5']);
  });
});

describe('robust strategies and secure aggregation', () => {
  it.each(['fedmedian', 'trimmed-mean', 'krum', 'multikrum'])('refuses %s with the reason, when secure aggregation is on', (name) => {
    let err: unknown;
    try {
      assertStrategyCompatible({ strategy: { name }, secureAggregation: { enabled: true } });
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, 'config-invalid')).toBe(true);
    expect((err as ConfigError).issues[0]!.path).toEqual(['strategy', 'name']);
    expect((err as ConfigError).message).toMatch(/needs every bank's individual update, but with secure aggregation the coordinator only sees their sum/);
  });

  it.each(['fedavg', 'fedprox', 'fedavgm', 'fedadagrad', 'fedadam', 'fedyogi'])('accepts %s, when secure aggregation is on (it needs only the sum)', (name) => {
    expect(secureAggregationConflict({ name }, { enabled: true })).toBeUndefined();
  });

  it('accepts a robust strategy, when secure aggregation is off or absent', () => {
    expect(secureAggregationConflict({ name: 'krum' }, { enabled: false })).toBeUndefined();
    expect(secureAggregationConflict({ name: 'krum' }, undefined)).toBeUndefined();
  });

  it('makes strategyFor refuse the job, when the spec carries secure aggregation with a robust strategy', () => {
    const withSecAgg = { ...spec({ name: 'fedmedian' }), secureAggregation: { enabled: true, bits: 16, modulusBits: 32, clippingRange: 1, maxWeight: 10_000, maxBanks: 1000 } };
    expect(() => strategyFor(withSecAgg)).toThrow(/strategy\.name: strategy 'fedmedian' needs every bank's individual update/);
  });
});

describe('assertSecureAggregationSound', () => {
  const base = { name: 'x', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' as const }, rounds: 2, minBanks: 3 };

  it('refuses, at submission, a distributed-DP config whose noisy sum could wrap, naming the cohort size', () => {
    const spec = parseJobSpec({ ...base, secureAggregation: { enabled: true, bits: 12, modulusBits: 16, maxBanks: 10, distributedDp: { mechanism: 'skellam', noiseMultiplier: 1, minSurvivors: 2 } } });
    expect(() => assertSecureAggregationSound(spec)).toThrow(/secureAggregation: with 3 banks: .*the noisy sum could wrap/);
  });

  it('accepts the defaults with distributed DP, and any job without secure aggregation', () => {
    expect(() => assertSecureAggregationSound(parseJobSpec({ ...base, secureAggregation: { enabled: true, distributedDp: { mechanism: 'discrete-gaussian', noiseMultiplier: 1, minSurvivors: 3 } } }))).not.toThrow();
    expect(() => assertSecureAggregationSound(parseJobSpec(base))).not.toThrow();
  });
});

describe('overBudgetMembers', () => {
  const entry = (memberId: string, round: number, epsilonTotal: number) => ({ jobId: 'j', memberId, round, epsilonRound: 0, epsilonTotal, delta: 1e-5, noiseMultiplier: 1, sampleRate: 0.01, steps: 10, accountant: 'rdp', unit: 'record' });

  it('excludes a member whose last round, spent again, would pass maxEpsilon — judged by its own last two entries', () => {
    // a: 1.0 → 1.8 (+0.8): next round ≈ 2.6 > 2.5. b: 2.0 → 2.2 (+0.2): ≈ 2.4 ≤ 2.5. c: one entry of 1.3: ≈ 2.6 > 2.5.
    const entries = [entry('a', 1, 1.0), entry('a', 2, 1.8), entry('b', 1, 1.5), entry('b', 2, 2.0), entry('b', 3, 2.2), entry('c', 1, 1.3)];
    expect([...overBudgetMembers(entries, 2.5)].sort()).toEqual(['a', 'c']);
    expect(overBudgetMembers(entries, 10).size).toBe(0);
    expect(overBudgetMembers([], 0.1).size).toBe(0);
  });

  it('never counts a negative step as a saving', () => {
    expect([...overBudgetMembers([entry('a', 1, 2.0), entry('a', 2, 1.0)], 1.5)]).toEqual([]);
    expect([...overBudgetMembers([entry('a', 1, 2.0), entry('a', 2, 1.6)], 1.5)]).toEqual(['a']);
  });
});
