/** The shared test suite every Strategy implementation runs (hono's common.case.test.ts pattern). */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import type { Weights } from '../../common/weights.js';
import { buildHistogram } from '../../tasks/metrics/score-histogram.js';
import type { FitReply, Strategy } from './strategy.js';

const template = (v: number): Weights => [
  { name: 'dense/kernel', shape: [2, 2], values: Float32Array.of(v, v, v, v) },
  { name: 'dense/bias', shape: [2], values: Float32Array.of(v, -v) },
];
const reply = (memberId: string, v: number, n = 10): FitReply => ({ memberId, weights: template(v), numExamples: n, metrics: { loss: v } });

/** Runs the contract against a fresh strategy from `make` in every test. */
export function strategyContract(name: string, make: () => Strategy): void {
  describe(`${name} (Strategy contract)`, () => {
    it('assigns nobody, when no bank is available', () => {
      expect(make().configureFit(1, template(0), [], seededRandom(1))).toEqual([]);
    });

    it('selects deterministically, when the random stream is the same', () => {
      const available = ['bank-a', 'bank-b', 'bank-c', 'bank-d'];
      const a = make().configureFit(1, template(0), available, seededRandom(7));
      const b = make().configureFit(1, template(0), available, seededRandom(7));
      expect(a).toEqual(b);
      for (const x of a) expect(available).toContain(x.memberId);
    });

    it('keeps the previous model, when every assigned bank failed', () => {
      const out = make().aggregateFit(1, template(0), [], [{ memberId: 'bank-a', kind: 'timeout', reason: 'no reply in 1000 ms' }]);
      expect(out.weights).toBeUndefined();
    });

    it('keeps tensor names and shapes', () => {
      const out = make().aggregateFit(1, template(0), [reply('a', 1), reply('b', 2), reply('c', 3)], []);
      expect(out.weights).toBeDefined();
      expect(out.weights!.map((t) => [t.name, t.shape])).toEqual(template(0).map((t) => [t.name, t.shape]));
    });

    it('returns that model, when every bank sends the same one', () => {
      const out = make().aggregateFit(1, template(0), [reply('a', 0.5), reply('b', 0.5), reply('c', 0.5)], []);
      expect(Array.from(out.weights![0]!.values)).toEqual([0.5, 0.5, 0.5, 0.5]);
    });

    it('does not depend on the order of replies', () => {
      const rs = [reply('a', 1, 5), reply('b', 2, 7), reply('c', 4, 11)];
      const x = make().aggregateFit(1, template(0), rs, []);
      const y = make().aggregateFit(1, template(0), [...rs].reverse(), []);
      expect(Array.from(y.weights![0]!.values)).toEqual(Array.from(x.weights![0]!.values));
    });

    it('pools evaluation histograms into metrics', () => {
      const h = buildHistogram([0.1, 0.9, 0.2, 0.8], [0, 1, 0, 1], 10);
      const out = make().aggregateEvaluate(1, [{ memberId: 'a', numExamples: 4, histogram: h, metrics: {} }], []);
      expect(out.metrics['auc']).toBe(1);
    });
  });
}
