/** The shared test suite every Strategy implementation runs (hono's common.case.test.ts pattern). */
import { describe, expect, it } from 'vitest';
import { hasCode } from '../../common/errors.js';
import { seededRandom } from '../../common/seeded-random.js';
import type { Weights } from '../../common/weights.js';
import { buildHistogram } from '../../tasks/metrics/score-histogram.js';
import type { FitReply, Strategy } from './strategy.js';

const template = (v: number): Weights => [
  { name: 'dense/kernel', shape: [2, 2], values: Float32Array.of(v, v, v, v) },
  { name: 'dense/bias', shape: [2], values: Float32Array.of(v, -v) },
];
const reply = (memberId: string, v: number, n = 10): FitReply => ({ memberId, weights: template(v), numExamples: n, metrics: { loss: v } });

/** Values that are not exact in binary, so float sums would differ if the order of replies mattered. */
const irregular = (memberId: string, seed: number, n: number): FitReply => ({
  memberId,
  weights: [
    { name: 'dense/kernel', shape: [2, 2], values: Float32Array.of(0.1 * seed, 0.7 / seed, -0.3 * seed, 1 / 3 + seed) },
    { name: 'dense/bias', shape: [2], values: Float32Array.of(seed / 7, -seed / 11) },
  ],
  numExamples: n,
  metrics: { loss: 1 / seed },
});

/** Five replies: enough for every built-in strategy (Krum with f = 1 needs 2f + 3 = 5). */
const FIVE = ['bank-a', 'bank-b', 'bank-c', 'bank-d', 'bank-e'];
const values = (w: Weights | undefined) => w!.flatMap((t) => Array.from(t.values));

/** What a strategy promises beyond the common contract. */
export interface ContractOptions {
  /**
   * A server optimiser (FedAvgM, FedAdam …) moves from the current model along the consensus instead
   * of adopting it: identical replies are a fixed point only when they equal the current model.
   */
  readonly serverOptimizer?: boolean;
}

/** Runs the contract against a fresh strategy from `make` (with a minimum of at least 2 replies) in every test. */
export function strategyContract(name: string, make: () => Strategy, options: ContractOptions = {}): void {
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

    it('keeps the previous model and says why, when fewer banks replied than the minimum', () => {
      const out = make().aggregateFit(1, template(0), [reply('bank-a', 1)], []);
      expect(out.weights).toBeUndefined();
      expect(out.reason).toMatch(/\d/);
    });

    it('keeps tensor names and shapes', () => {
      const out = make().aggregateFit(1, template(0), FIVE.map((m, i) => reply(m, i + 1)), []);
      expect(out.weights).toBeDefined();
      expect(out.weights!.map((t) => [t.name, t.shape])).toEqual(template(0).map((t) => [t.name, t.shape]));
    });

    if (options.serverOptimizer) {
      it('keeps the model, when every bank sends back the current model', () => {
        const out = make().aggregateFit(1, template(0.5), FIVE.map((m) => reply(m, 0.5)), []);
        expect(values(out.weights)).toEqual(values(template(0.5)));
      });

      it('moves toward the consensus without passing it, when every bank sends the same model', () => {
        const out = make().aggregateFit(1, template(0), FIVE.map((m) => reply(m, 0.5)), []);
        for (const v of out.weights![0]!.values) expect(v > 0 && v <= 0.5).toBe(true);
      });
    } else {
      it('returns that model, when every bank sends the same one', () => {
        const out = make().aggregateFit(1, template(0), FIVE.map((m) => reply(m, 0.5)), []);
        expect(values(out.weights)).toEqual(values(template(0.5)));
      });
    }

    it('does not depend on the order of replies, bit for bit', () => {
      const rs = FIVE.map((m, i) => irregular(m, i + 1, 5 + 3 * i));
      const x = make().aggregateFit(1, template(0.25), rs, []);
      const y = make().aggregateFit(1, template(0.25), [rs[3]!, rs[0]!, rs[4]!, rs[2]!, rs[1]!], []);
      expect(values(y.weights)).toEqual(values(x.weights));
    });

    it('gives the same model, when the same round is aggregated twice', () => {
      const s = make();
      const rs = FIVE.map((m, i) => irregular(m, i + 1, 10));
      const first = s.aggregateFit(1, template(0.25), rs, []);
      const again = s.aggregateFit(1, template(0.25), rs, []);
      expect(values(again.weights)).toEqual(values(first.weights));
    });

    it('resumes bit for bit from saved state, when a fresh instance loads it mid-run', () => {
      // Prepare: an uninterrupted run of four rounds.
      const rounds = [1, 2, 3, 4].map((r) => FIVE.map((m, i) => irregular(m, i + r, 10 + r * i)));
      const a = make();
      let wa = template(0.25);
      const trail: number[][] = [];
      let saved: string | undefined;
      rounds.forEach((rs, i) => {
        wa = a.aggregateFit(i + 1, wa, rs, []).weights!;
        trail.push(values(wa));
        if (i === 1) saved = JSON.stringify(a.saveState?.() ?? null);
      });
      // Execute: a restarted coordinator from the round-2 checkpoint.
      const b = make();
      if (b.loadState && saved !== undefined) b.loadState(JSON.parse(saved));
      let wb = unflattenLike(trail[1]!);
      for (const i of [2, 3]) wb = b.aggregateFit(i + 1, wb, rounds[i]!, []).weights!;
      // Assert
      expect(values(wb)).toEqual(trail[3]);
    });

    it('refuses state it did not write, when loadState gets garbage', () => {
      const s = make();
      if (!s.loadState) return;
      for (const bad of [null, 42, { format: 'other' }, { ...(s.saveState?.() as object), strategy: 'not-this-one' }]) {
        let err: unknown;
        try {
          s.loadState(bad);
        } catch (e) {
          err = e;
        }
        expect(hasCode(err, 'config-invalid')).toBe(true);
      }
    });

    it('saves JSON-safe state, when it keeps any', () => {
      const s = make();
      s.aggregateFit(1, template(0.25), FIVE.map((m, i) => irregular(m, i + 1, 10)), []);
      const state = s.saveState?.();
      expect(JSON.parse(JSON.stringify(state ?? null))).toEqual(state ?? null);
    });

    it('pools evaluation histograms into metrics', () => {
      const h = buildHistogram([0.1, 0.9, 0.2, 0.8], [0, 1, 0, 1], 10);
      const out = make().aggregateEvaluate(1, [{ memberId: 'a', numExamples: 4, histogram: h, metrics: {} }], []);
      expect(out.metrics['auc']).toBe(1);
    });
  });
}

function unflattenLike(flat: readonly number[]): Weights {
  return [
    { name: 'dense/kernel', shape: [2, 2], values: Float32Array.from(flat.slice(0, 4)) },
    { name: 'dense/bias', shape: [2], values: Float32Array.from(flat.slice(4, 6)) },
  ];
}
