/** Table-driven tests of the site policy: every refusal reason, budget projection, and σ calibration once per job. */
import { describe, expect, it } from 'vitest';
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import { parseJobSpec, type JobSpecInput } from '../schema/job-spec.js';
import type { SitePolicy } from '../schema/node-config.js';
import { checkFit, type FitCheckInput } from './site-policy.js';

const POLICY: SitePolicy = { acceptedTasks: ['credit-scoring'], maxEpsilon: 10, delta: 1e-5, minBanksPerRound: 2, requireDp: false, requireApproval: false };
const JOB: JobSpecInput = { name: 'j', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 5, batchSize: 50, localEpochs: 1 };
const DP = { mode: 'dp-sgd', noiseMultiplier: 1.1, clippingNorm: 1, delta: 1e-5, maxEpsilon: 8 } as const;

function input(job: Partial<JobSpecInput> = {}, over: Partial<FitCheckInput> = {}): FitCheckInput {
  return { policy: POLICY, job: parseJobSpec({ ...JOB, ...job }), numBanks: 3, numTrain: 1000, rememberedNoise: undefined, datasetState: undefined, jobState: undefined, ...over };
}

const spent = (sigma: number, q: number, steps: number) => {
  const a = new RdpAccountant();
  a.step({ noiseMultiplier: sigma, sampleRate: q }, steps);
  return a.toState();
};

describe('checkFit', () => {
  const refusals: [string, FitCheckInput, RegExp][] = [
    ['task not accepted', input({ task: 'fraud' }), /task "fraud" is not in this bank's acceptedTasks/],
    ['cohort too small', input({}, { numBanks: 1 }), /the round has 1 banks; this bank requires at least 2/],
    ['DP required', input({}, { policy: { ...POLICY, requireDp: true } }), /requires record-level DP/],
    ['job delta too large', input({ privacy: { ...DP, delta: 1e-3 } }), /job delta 0.001 is above this bank's delta 0.00001|job delta 0.001 is above this bank's delta 1e-5/],
    ['dataset budget exhausted', input({ privacy: DP }, { datasetState: spent(1.1, 0.05, 5000) }), /would take the dataset to epsilon [\d.]+ > this bank's maxEpsilon 10/],
    ['job budget exhausted', input({ privacy: { ...DP, maxEpsilon: 0.5 } }), /would take the job to epsilon [\d.]+ > the job's maxEpsilon 0.5/],
    ['site budget below one round', input({ privacy: DP }, { policy: { ...POLICY, maxEpsilon: 0.01 } }), /maxEpsilon 0.01/],
  ];
  it.each(refusals)('refuses with a reason, when %s', (_name, inp, reason) => {
    const d = checkFit(inp);
    expect(d.accept).toBe(false);
    if (!d.accept) expect(d.reason).toMatch(reason);
  });

  it('accepts without a DP plan, when the job has no DP and the policy does not require it', () => {
    expect(checkFit(input())).toEqual({ accept: true, dp: undefined });
  });

  it('projects q = batchSize/N and round(epochs·N/batchSize) steps with positive ε, when the job runs DP-SGD', () => {
    const d = checkFit(input({ privacy: DP, localEpochs: 2 }));
    expect(d.accept).toBe(true);
    if (!d.accept || !d.dp) return;
    expect(d.dp.sampleRate).toBeCloseTo(0.05, 12);
    expect(d.dp.steps).toBe(40);
    expect(d.dp.epsilonRound).toBeGreaterThan(0);
    expect(d.dp.projectedJobEpsilon).toBeCloseTo(d.dp.epsilonRound, 9);
    expect(d.dp.calibrated).toBeUndefined();
  });

  it('adds the earlier spend to the projection, when the dataset already spent ε', () => {
    const fresh = checkFit(input({ privacy: DP }));
    const later = checkFit(input({ privacy: DP }, { datasetState: spent(1.1, 0.05, 100) }));
    if (!fresh.accept || !fresh.dp || !later.accept || !later.dp) throw new Error('expected acceptance');
    expect(later.dp.projectedDatasetEpsilon).toBeGreaterThan(fresh.dp.projectedDatasetEpsilon);
  });

  it('calibrates σ for rounds × steps once and reuses the remembered σ, when the job gives targetEpsilon', () => {
    const target = { mode: 'dp-sgd', targetEpsilon: 3, clippingNorm: 1, delta: 1e-5, maxEpsilon: 4 } as const;
    const first = checkFit(input({ privacy: target }));
    if (!first.accept || !first.dp?.calibrated) throw new Error('expected a calibration');
    expect(first.dp.noiseMultiplier).toBeGreaterThan(0.5);
    // Over all 5 rounds the calibrated σ stays at or below the target.
    const all = spent(first.dp.noiseMultiplier, first.dp.sampleRate, first.dp.steps * 5);
    expect(RdpAccountant.fromState(all).epsilon(1e-5).epsilon).toBeLessThanOrEqual(3);
    const again = checkFit(input({ privacy: target }, { rememberedNoise: { noiseMultiplier: 2.5, sampleRate: 0.05, stepsPerRound: 20 } }));
    if (!again.accept || !again.dp) throw new Error('expected acceptance');
    expect(again.dp.noiseMultiplier).toBe(2.5);
    expect(again.dp.calibrated).toBeUndefined();
  });
});
