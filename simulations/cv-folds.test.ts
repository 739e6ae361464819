import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { checkFolds, foldSplit, planFolds, stratifiedFolds } from './cv-folds.js';

const labelsArb = fc.array(fc.constantFrom(0, 1), { minLength: 0, maxLength: 200 });
const banksArb = fc.array(labelsArb, { minLength: 1, maxLength: 6 }).map((ls) => ls.map((labels, b) => ({ bank: `bank-${b + 1}`, labels })));
const kArb = fc.integer({ min: 2, max: 10 });
const within1 = (xs: readonly number[]): boolean => Math.max(...xs) - Math.min(...xs) <= 1;

describe('planFolds (federated k-fold)', () => {
  it('gives each bank K disjoint folds that exactly cover its rows, for every fold (property)', () => {
    fc.assert(
      fc.property(banksArb, kArb, fc.integer(), (banks, k, seed) => {
        const plans = planFolds(banks, k, seed);
        for (const [b, p] of plans.entries()) {
          const n = banks[b]!.labels.length;
          const evals: number[] = [];
          for (let f = 0; f < k; f++) {
            const { train, evaluate } = foldSplit(p, f);
            expect(train.length + evaluate.length).toBe(n);
            expect(new Set([...train, ...evaluate]).size).toBe(n); // train and evaluate disjoint, covering 0 … n−1
            expect(evaluate.length).toBe(p.rows[f]);
            evals.push(...evaluate);
          }
          expect([...evals].sort((a, c) => a - c)).toEqual(Array.from({ length: n }, (_, i) => i)); // each row in exactly one fold
        }
      }),
    );
  });

  it('stratifies: every fold holds each class within ±1 of the others, and the fold sizes too (property)', () => {
    fc.assert(
      fc.property(banksArb, kArb, fc.integer(), (banks, k, seed) => {
        for (const [b, p] of planFolds(banks, k, seed).entries()) {
          const labels = banks[b]!.labels;
          expect(within1(p.rows)).toBe(true);
          expect(within1(p.positives)).toBe(true);
          expect(within1(p.rows.map((r, f) => r - p.positives[f]!))).toBe(true);
          expect(p.positives.reduce((a, c) => a + c, 0)).toBe(labels.filter((y) => y === 1).length);
        }
      }),
    );
  });

  it('is deterministic per seed, and a bank’s folds depend on its own labels only (no cross-bank leakage) (property)', () => {
    fc.assert(
      fc.property(banksArb, labelsArb, kArb, fc.integer(), (banks, other, k, seed) => {
        const a = planFolds(banks, k, seed);
        expect(planFolds(banks, k, seed)).toEqual(a);
        // Replace or drop every other bank: bank-1's folds do not move.
        const alone = planFolds([banks[0]!], k, seed);
        const changed = planFolds([banks[0]!, { bank: 'bank-x', labels: other }], k, seed);
        expect(alone[0]).toEqual(a[0]);
        expect(changed[0]).toEqual(a[0]);
      }),
    );
  });

  it('changes with the seed', () => {
    const labels = Array.from({ length: 100 }, (_, i) => i % 3 === 0 ? 1 : 0);
    expect(planFolds([{ bank: 'b', labels }], 5, 1)[0]!.folds).not.toEqual(planFolds([{ bank: 'b', labels }], 5, 2)[0]!.folds);
  });

  it('refuses labels that are not 0/1 and K out of range', () => {
    const rng = new RandomReader(seededRandom('t'));
    expect(() => stratifiedFolds([0, 1, 2], 2, rng)).toThrow(/labels\[2\]" expected 0 or 1, got 2/);
    expect(() => stratifiedFolds([0, 1], 1, rng)).toThrow(RangeError);
    expect(() => stratifiedFolds([0, 1], 21, rng)).toThrow(RangeError);
  });
});

describe('checkFolds', () => {
  const bank = (name: string, pos: number, neg: number) => ({ bank: name, labels: [...new Array<number>(pos).fill(1), ...new Array<number>(neg).fill(0)] });

  it('refuses a bank with fewer rows than folds, naming it', () => {
    const c = checkFolds(planFolds([bank('bank-1', 20, 20), bank('bank-2', 1, 2)], 5, 1), 5);
    expect(c.refusals).toEqual(['bank-2 has 3 rows, fewer than --cv 5: one of its folds would be empty']);
  });

  it('refuses a fold with no positive row in any bank', () => {
    const c = checkFolds(planFolds([bank('bank-1', 1, 30), bank('bank-2', 1, 30)], 5, 1), 5);
    expect(c.refusals.length).toBeGreaterThan(0);
    expect(c.refusals[0]).toMatch(/^fold \d has no positive row in any bank/);
  });

  it('warns about a bank with some but fewer than K rows of a class, naming it and the class', () => {
    const c = checkFolds(planFolds([bank('bank-1', 30, 30), bank('bank-2', 2, 30)], 3, 1), 3);
    expect(c.refusals).toEqual([]);
    expect(c.warnings).toEqual([expect.stringMatching(/^bank-2 has 2 positive row\(s\), fewer than --cv 3: 1 of its folds have none/)]);
  });

  it('accepts a well-populated plan silently', () => {
    expect(checkFolds(planFolds([bank('bank-1', 30, 30), bank('bank-2', 10, 50)], 5, 3), 5)).toEqual({ refusals: [], warnings: [] });
  });
});
