import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { DimensionSchema, sampleSpace, type Dimension } from './search-space.js';
import { tpePropose, type Observation } from './tpe.js';

const opts = { gamma: 0.25, candidates: 24, startupTrials: 5 };

/** Best loss after `trials` proposals of a method on f. */
function minimise(space: Record<string, Dimension>, f: (p: Record<string, unknown>) => number, trials: number, seed: number, method: 'tpe' | 'random'): number {
  const history: Observation[] = [];
  for (let i = 0; i < trials; i++) {
    const rng = new RandomReader(seededRandom(`test:${seed}:${i}`));
    const p = method === 'tpe' ? tpePropose(space, history, rng, opts) : sampleSpace(space, rng);
    history.push({ params: p, loss: f(p) });
  }
  return Math.min(...history.map((h) => h.loss!));
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('TPE', () => {
  it('finds the minimum of a 1-D quadratic closer than random search, on average over 20 seeds', () => {
    const space = { x: DimensionSchema.parse({ uniform: [-10, 10] }) };
    const f = (p: Record<string, unknown>): number => ((p['x'] as number) - 3.3) ** 2;
    const seeds = Array.from({ length: 20 }, (_, i) => i);
    const tpe = mean(seeds.map((s) => minimise(space, f, 25, s, 'tpe')));
    const rnd = mean(seeds.map((s) => minimise(space, f, 25, s, 'random')));
    expect(tpe).toBeLessThan(rnd);
  });

  it('beats random search on a 2-D quadratic with a log-scale and an integer dimension', () => {
    const space = { lr: DimensionSchema.parse({ logUniform: [1e-4, 1] }), epochs: DimensionSchema.parse({ int: [1, 20] }) };
    const f = (p: Record<string, unknown>): number => (Math.log10(p['lr'] as number) + 2) ** 2 + (((p['epochs'] as number) - 7) / 4) ** 2;
    const seeds = Array.from({ length: 20 }, (_, i) => i);
    const tpe = mean(seeds.map((s) => minimise(space, f, 30, s, 'tpe')));
    const rnd = mean(seeds.map((s) => minimise(space, f, 30, s, 'random')));
    expect(tpe).toBeLessThan(rnd);
  });

  it('learns a categorical dimension: after the startup trials it mostly proposes the good choice', () => {
    const space = { s: DimensionSchema.parse({ choice: ['a', 'b', 'c', 'd'] }), x: DimensionSchema.parse({ uniform: [0, 1] }) };
    const history: Observation[] = [];
    for (let i = 0; i < 40; i++) {
      const p = tpePropose(space, history, new RandomReader(seededRandom(`cat:${i}`)), opts);
      history.push({ params: p, loss: (p['s'] === 'c' ? 0 : 1) + (p['x'] as number) });
    }
    expect(history.slice(20).filter((h) => h.params['s'] === 'c').length).toBeGreaterThanOrEqual(14);
  });

  it('is deterministic for a seed and counts failed trials as bad', () => {
    const space = { x: DimensionSchema.parse({ uniform: [0, 1] }) };
    const history: Observation[] = [0.1, 0.5, 0.9, 0.3, 0.7, 0.2].map((x, i) => ({ params: { x }, loss: i === 5 ? null : x }));
    const a = tpePropose(space, history, new RandomReader(seededRandom('d')), opts);
    expect(tpePropose(space, history, new RandomReader(seededRandom('d')), opts)).toEqual(a);
    expect(a['x'] as number).toBeLessThan(0.5);
  });

  it('always proposes inside the bounds: integers for int, members for choice (property)', () => {
    const dim = fc.oneof(
      fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 30 })).map(([lo, w]) => DimensionSchema.parse({ int: [lo, lo + w] })),
      fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 1e-3, max: 100, noNaN: true })).map(([lo, w]) => DimensionSchema.parse({ uniform: [lo, lo + w] })),
      fc.tuple(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.double({ min: 1.01, max: 1e4, noNaN: true })).map(([lo, f]) => DimensionSchema.parse({ logUniform: [lo, lo * f] })),
      fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 5 }).map((c) => DimensionSchema.parse({ choice: c })),
    );
    fc.assert(
      fc.property(fc.array(dim, { minLength: 1, maxLength: 3 }), fc.array(fc.option(fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 0, maxLength: 12 }), fc.nat(), (dims, losses, seed) => {
        const space = Object.fromEntries(dims.map((d, i) => [`k${i}`, d]));
        const history = losses.map((loss, i) => ({ params: sampleSpace(space, new RandomReader(seededRandom(`h:${seed}:${i}`))), loss }));
        const p = tpePropose(space, history, new RandomReader(seededRandom(seed)), { gamma: 0.3, candidates: 8, startupTrials: 2 });
        for (const [k, d] of Object.entries(space)) {
          const v = p[k];
          if (d.choice) expect(d.choice).toContainEqual(v);
          else {
            const [lo, hi] = (d.int ?? d.uniform ?? d.logUniform)!;
            expect(v as number).toBeGreaterThanOrEqual(lo);
            expect(v as number).toBeLessThanOrEqual(hi);
            if (d.int) expect(Number.isInteger(v)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
