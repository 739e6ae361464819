import { describe, expect, it } from 'vitest';
import { RdpAccountant } from '../../privacy/accounting/rdp-accountant.js';
import type { LedgerEntry } from '../../coordinator/store/store.js';
import { composeTrials, trialEpsilon, trialMechanism } from './tuning-privacy.js';

const entry = (memberId: string, round: number, steps: number, sigma = 1.1, q = 0.01): LedgerEntry => ({ jobId: 'j', memberId, round, epsilonRound: 0, epsilonTotal: 0, delta: 1e-5, noiseMultiplier: sigma, sampleRate: q, steps, accountant: 'rdp', unit: 'record' });

describe('privacy of tuning', () => {
  it('reproduces the published vector when two trials of 5,000 steps compose into one of 10,000', () => {
    // dp_accounting / Opacus: σ = 1.1, q = 0.01, 10,000 steps, δ = 1e-5 → ε ≈ 5.632 (rdp-accountant.test.ts).
    const trial = trialMechanism([entry('a', 1, 2500), entry('a', 2, 2500)]);
    const total = composeTrials([trial, trial], 1e-5);
    expect(total.epsilonTotal).toBeCloseTo(5.63201, 4);
    expect(total).toMatchObject({ trials: 2, delta: 1e-5, method: 'composition of all trials (RDP)' });
    expect(trialEpsilon(trial, 1e-5)).toBeLessThan(total.epsilonTotal);
  });

  it('a trial alone matches its own accountant; the total lies between the largest trial and the sum of trials', () => {
    const trials = [[1.1, 0.02, 300], [0.9, 0.02, 200], [1.5, 0.05, 400]].map(([s, q, n]) => trialMechanism([entry('a', 1, n!, s, q), entry('b', 1, n! / 2, s, q)]));
    const single = trials.map((t) => trialEpsilon(t, 1e-5));
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1.1, sampleRate: 0.02 }, 300);
    expect(single[0]).toBeCloseTo(acc.epsilon(1e-5).epsilon, 10);
    const total = composeTrials(trials, 1e-5);
    expect(total.epsilonTotal).toBeGreaterThan(Math.max(...single));
    expect(total.epsilonTotal).toBeLessThan(single.reduce((a, b) => a + b, 0));
    expect(total.perBank.map((b) => b.bank)).toEqual(['a', 'b']);
    expect(total.perBank[0]!.epsilon).toBeGreaterThan(total.perBank[1]!.epsilon);
  });

  it('orders a ledger by round and skips banks that took no DP step', () => {
    expect(trialMechanism([entry('b', 2, 5), entry('a', 1, 3), entry('b', 1, 4), entry('c', 1, 0)])).toEqual({ a: [[1.1, 0.01, 3]], b: [[1.1, 0.01, 4], [1.1, 0.01, 5]] });
    expect(composeTrials([], 1e-5).epsilonTotal).toBe(0);
  });
});
