/** The job spec's secureAggregation section: defaults, and every insecure or impossible setting refused with its path. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../common/errors.js';
import { parseJobSpec } from './job-spec.js';

const base = { name: 'j', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 2, minBanks: 5 };
const issuesOf = (secureAggregation: unknown, extra: Record<string, unknown> = {}): string[] => {
  try {
    parseJobSpec({ ...base, ...extra, secureAggregation });
    return [];
  } catch (err) {
    return (err as ConfigError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }
};

describe('secureAggregation in the job spec', () => {
  it('fills the defaults, when only enabled is given', () => {
    const s = parseJobSpec({ ...base, secureAggregation: { enabled: true } }).secureAggregation;
    expect(s).toEqual({ enabled: true, bits: 16, modulusBits: 32, clippingRange: 1, maxWeight: 10_000, maxBanks: 1000 });
  });

  it('accepts distributed DP with a sound minSurvivors', () => {
    expect(issuesOf({ enabled: true, neighbours: 4, threshold: 3, distributedDp: { mechanism: 'skellam', noiseMultiplier: 1, minSurvivors: 3 } })).toEqual([]);
  });

  it('refuses t ≤ (k + 1)/2 with the reason, when the threshold is too low', () => {
    expect(issuesOf({ enabled: true, neighbours: 6, threshold: 3 })).toEqual([expect.stringMatching(/^secureAggregation\.threshold: t = 3 ≤ \(k \+ 1\)\/2 = 3\.5/)]);
  });

  it('refuses a threshold larger than the share holders of the smallest cohort', () => {
    expect(issuesOf({ enabled: true, neighbours: 8, threshold: 6 })).toEqual([expect.stringMatching(/^secureAggregation\.threshold: t = 6 > 5 share holders in a cohort of minBanks = 5/)]);
  });

  it('refuses a fixed threshold without a fixed neighbours', () => {
    expect(issuesOf({ enabled: true, threshold: 3 })[0]).toMatch(/^secureAggregation\.threshold: a fixed threshold needs a fixed neighbours/);
  });

  it('refuses n·T ≥ M, when the sum could wrap', () => {
    expect(issuesOf({ enabled: true, bits: 24, maxBanks: 257 })).toEqual([expect.stringMatching(/^secureAggregation\.bits: n·T = 257 · 16777215 = 4311744255 ≥ M = 2\^32/)]);
  });

  it('refuses minSurvivors above minBanks', () => {
    expect(issuesOf({ enabled: true, distributedDp: { mechanism: 'discrete-gaussian', noiseMultiplier: 1, minSurvivors: 6 } })).toEqual([expect.stringMatching(/^secureAggregation\.distributedDp\.minSurvivors: minSurvivors 6 > minBanks 5/)]);
  });

  it('refuses a robust strategy with the reason at strategy.name, when secure aggregation is on', () => {
    expect(issuesOf({ enabled: true }, { strategy: { name: 'krum', byzantine: 1 } })).toEqual([expect.stringMatching(/^strategy\.name: strategy 'krum' needs every bank's individual update/)]);
  });

  it('accepts anything when secure aggregation is off', () => {
    expect(issuesOf({ enabled: false, bits: 24, maxBanks: 100_000 }, { strategy: { name: 'krum', byzantine: 1 } })).toEqual([]);
  });
});
