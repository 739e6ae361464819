/** Exactness: the unmasked sum equals the plain modular sum of the survivors' quantised (+ noised) vectors, bit for bit, under random dropouts. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { makeCohort, plainSum, resolvedFor, runRound, type DropPlan } from './testing/harness.js';
import { SECAGG_STAGES, type SecAggJobConfig, type SecAggStage } from './types.js';

// Each bank independently stays (most) or goes silent from one stage on.
const dropPlan = (n: number, stages: readonly (SecAggStage | 'none')[]): DropPlan => {
  const plan: Partial<Record<SecAggStage, Set<string>>> = {};
  stages.slice(0, n).forEach((s, i) => {
    if (s !== 'none') (plan[s] ??= new Set()).add(`bank-${String(i + 1).padStart(3, '0')}`);
  });
  return plan;
};

const stageArb = fc.oneof({ weight: 20, arbitrary: fc.constant('none' as const) }, { weight: 1, arbitrary: fc.constantFrom(...SECAGG_STAGES) });

describe('SecAgg+ round exactness', () => {
  it('gives the survivors’ exact sum for n from 3 to 24 with random dropouts at every stage (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 24 }),
        fc.array(stageArb, { minLength: 50, maxLength: 50 }),
        fc.constantFrom<SecAggJobConfig>({}, { bits: 20, modulus: 2 ** 28 }, { distributedDp: { mechanism: 'skellam', noiseMultiplier: 0.7, minSurvivors: 2 }, bits: 10 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, stages, config, seed) => {
          const cohort = makeCohort(n, 64, config, `exact-${seed}`);
          const drop = dropPlan(n, stages);
          const run = runRound(cohort, { drop });
          expect(run.clientErrors.size).toBe(0);
          const silentBefore = (s: SecAggStage) => SECAGG_STAGES.slice(0, SECAGG_STAGES.indexOf(s) + 1).flatMap((x) => [...(drop[x] ?? [])]);
          if (run.status === 'aborted') {
            // Only a real shortage may abort: some bank was silent, and the reason says which bound failed.
            expect(silentBefore('unmask').length).toBeGreaterThan(0);
            expect(run.reason).toMatch(/fewer than t|at least \d+/);
            return;
          }
          const result = run.result!;
          const lostBeforeUnmask = new Set(silentBefore('masked-input'));
          expect(result.survivors.slice().sort()).toEqual(cohort.banks.map((b) => b.member.memberId).filter((id) => !lostBeforeUnmask.has(id)));
          const numAdvertised = n - (drop.advertise?.size ?? 0);
          expect(Array.from(result.sum)).toEqual(Array.from(plainSum(cohort, result.survivors, resolvedFor(cohort, numAdvertised))));
        },
      ),
      { numRuns: 6, seed: 20261130 },
    );
  });

  it('gives the exact sum at n = 50 with dropouts at each of the four stages at once', () => {
    const cohort = makeCohort(50, 64, {}, 'exact-50');
    const drop: DropPlan = { advertise: new Set(['bank-001']), 'share-keys': new Set(['bank-010', 'bank-020']), 'masked-input': new Set(['bank-030', 'bank-040']), unmask: new Set(['bank-050']) };
    const run = runRound(cohort, { drop });
    expect(run.status).toBe('done');
    const r = run.result!;
    expect(r.numSurvivors).toBe(45);
    expect(r.silentAtUnmask).toEqual(['bank-050']);
    expect(r.dropped).toEqual([
      { memberId: 'bank-001', stage: 'advertise' },
      { memberId: 'bank-010', stage: 'share-keys' },
      { memberId: 'bank-020', stage: 'share-keys' },
      { memberId: 'bank-030', stage: 'masked-input' },
      { memberId: 'bank-040', stage: 'masked-input' },
    ]);
    expect(Array.from(r.sum)).toEqual(Array.from(plainSum(cohort, r.survivors, resolvedFor(cohort, 49))));
  });

  it('dequantises to the weighted mean of the clipped updates within the rounding error', () => {
    const cohort = makeCohort(8, 256, { bits: 24, clippingRange: 1, maxWeight: 2000 }, 'mean');
    const r = runRound(cohort).result!;
    const banks = cohort.banks;
    const config = resolvedFor(cohort, 8);
    const q = banks.map((b) => Math.max(1, Math.round(Math.min(b.numExamples / 2000, 1) * config.targetRange)));
    const qTot = q.reduce((a, b) => a + b, 0);
    expect(r.totalWeight).toBe(qTot);
    for (let j = 0; j < 256; j++) {
      const want = banks.reduce((s, b, i) => s + q[i]! * b.update[j]!, 0) / qTot;
      // Each bank's stochastic rounding moves its term by < 1 grid step 2c/T; the weighted mean by < 8 steps·T/qTot.
      expect(Math.abs(r.mean[j]! - want)).toBeLessThan((8 * 2 * config.targetRange) / config.targetRange / qTot + 1e-6);
    }
  });
});
