/** dpSgdSpend: the round, job and dataset ε of a fit's DP-SGD steps, and the accountants stepped in place. */
import { describe, expect, it } from 'vitest';
import { RdpAccountant } from '../../privacy/accounting/rdp-accountant.js';
import { accountantFrom, dpSgdSpend } from './dp-sgd-spend.js';

const instruction = { instructionId: 'i-7', jobId: 'job-1', round: 3 };
const dp = { delta: 1e-5, noiseMultiplier: 1.1, sampleRate: 0.01 };
const steps = [{ noiseMultiplier: 1.1, sampleRate: 0.01, steps: 100 }, { noiseMultiplier: 1.1, sampleRate: 0.01, steps: 56 }];

describe('dpSgdSpend', () => {
  it('spends the steps taken on every accountant: round ε from a fresh one, job and dataset ε cumulative', () => {
    const earlier = new RdpAccountant();
    earlier.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 300);
    const datasetAcc = accountantFrom(earlier.toState());
    const jobAcc = accountantFrom(undefined);
    const { spend, privacy } = dpSgdSpend({ instruction, datasetId: 'ds', datasetDelta: 1e-6, dp, privacySteps: steps, datasetAcc, jobAcc });

    const alone = new RdpAccountant();
    alone.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 156);
    expect(spend.steps).toBe(156);
    expect(spend.epsilonRound).toBe(alone.epsilon(1e-5).epsilon);
    // The job had no history: its total is this round's ε. The dataset had 300 earlier steps, at the policy's δ.
    expect(spend.epsilonJobTotal).toBe(spend.epsilonRound);
    const dataset = new RdpAccountant();
    dataset.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 456);
    expect(spend.epsilonDatasetTotal).toBeCloseTo(dataset.epsilon(1e-6).epsilon, 12);
    expect(spend.epsilonDatasetTotal).toBeGreaterThan(spend.epsilonJobTotal);
    expect(spend).toMatchObject({ ...instruction, datasetId: 'ds', accountant: 'rdp', delta: 1e-5, datasetDelta: 1e-6, noiseMultiplier: 1.1, sampleRate: 0.01 });
    expect(privacy).toEqual({ accountant: 'rdp', epsilonRound: spend.epsilonRound, epsilonTotal: spend.epsilonJobTotal, delta: 1e-5, noiseMultiplier: 1.1, sampleRate: 0.01, steps: 156, unit: 'record' });
    // In place: the states the caller writes now hold this round's steps.
    expect(accountantFrom(jobAcc.toState()).epsilon(1e-5).epsilon).toBe(spend.epsilonJobTotal);
  });

  it('a fit that took no steps spends nothing this round', () => {
    const { spend } = dpSgdSpend({ instruction, datasetId: 'ds', datasetDelta: 1e-6, dp, privacySteps: [], datasetAcc: accountantFrom(undefined), jobAcc: accountantFrom(undefined) });
    expect(spend.steps).toBe(0);
    expect(spend.epsilonRound).toBe(0);
  });
});
