/** `fedfin demo --secure-aggregation [--distributed-dp z]`: the job spec it submits, and the flag rule. */
import { describe, expect, it } from 'vitest';
import { parseJobSpec } from '../schema/job-spec.js';
import { demoProfile } from '../simulations/demo/task-profiles.js';
import { withSecureAggregation } from './demo.js';

const job = demoProfile('credit-scoring').jobSpec({ rounds: 12, epsilon: 3, model: 'logistic', seed: 7, localEpochs: 1, learningRate: 0.5 });

describe('withSecureAggregation', () => {
  it('leaves the plain demo job alone, when the flag is absent', () => {
    expect(withSecureAggregation(job, {})).toBe(job);
  });

  it('turns on SecAgg+ (and Skellam noise inside the sum) in a spec the coordinator accepts', () => {
    const spec = parseJobSpec(withSecureAggregation(job, { secureAggregation: true, distributedDp: 0.5 }));
    expect(spec.secureAggregation).toMatchObject({ enabled: true, bits: 16, clippingRange: 1, distributedDp: { mechanism: 'skellam', noiseMultiplier: 0.5, minSurvivors: 3 } });
    expect(spec.privacy.mode).toBe('dp-sgd');
  });

  it('refuses --distributed-dp without --secure-aggregation', () => {
    expect(() => withSecureAggregation(job, { distributedDp: 1 })).toThrow('--distributed-dp needs --secure-aggregation');
  });
});
