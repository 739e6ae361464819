import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { checkPartition, formatPartitionSpec, gamma, holdOutTest, parsePartitionSpec, partitionRows, type PartitionRow, type PartitionSpec } from './partition.js';

const reader = (seed: number | string) => new RandomReader(seededRandom(seed));
const rowsArb = fc.array(fc.record({ label: fc.constantFrom(0, 1), key: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(null)) }), { minLength: 20, maxLength: 300 });
const specArb: fc.Arbitrary<PartitionSpec> = fc.oneof(
  fc.constant({ kind: 'iid' } as const),
  fc.double({ min: 0.05, max: 10, noNaN: true }).map((alpha) => ({ kind: 'dirichlet', alpha }) as const),
  fc.double({ min: 0.1, max: 2, noNaN: true }).map((sigma) => ({ kind: 'quantity', sigma }) as const),
  fc.constant({ kind: 'time', column: 'k' } as const),
);

describe('parsePartitionSpec', () => {
  it('parses every form and round-trips through formatPartitionSpec', () => {
    for (const t of ['iid', 'dirichlet:0.5', 'quantity:lognormal:1.5', 'feature:region', 'time:application_date']) expect(formatPartitionSpec(parsePartitionSpec(t))).toBe(t);
  });
  it('refuses malformed specs naming what was expected', () => {
    expect(() => parsePartitionSpec('dirichlet:-1')).toThrow(/ALPHA must be a positive number/);
    expect(() => parsePartitionSpec('quantity:normal:1')).toThrow(/quantity:lognormal:SIGMA/);
    expect(() => parsePartitionSpec('shards')).toThrow(/expected iid, dirichlet:ALPHA/);
    expect(() => parsePartitionSpec('feature:')).toThrow(/feature:COLUMN/);
  });
});

describe('holdOutTest + partitionRows', () => {
  it('assigns every training row exactly once, disjoint from the test set (property)', () => {
    fc.assert(
      fc.property(rowsArb, specArb, fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer(), (rows, spec, banks, frac, seed) => {
        const rng = reader(seed);
        const { test, train } = holdOutTest(rows, frac, rng);
        const parts = partitionRows(spec, rows, train, banks, rng);
        expect(parts).toHaveLength(banks);
        const all = parts.flat();
        expect(new Set(all).size).toBe(all.length);
        expect([...all].sort((a, b) => a - b)).toEqual(train);
        const testSet = new Set(test);
        expect(all.some((i) => testSet.has(i))).toBe(false);
        expect(test.length + train.length).toBe(rows.length);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic for a seed', () => {
    const rows: PartitionRow[] = Array.from({ length: 200 }, (_, i) => ({ label: i % 3 === 0 ? 1 : 0 }));
    const run = () => partitionRows({ kind: 'dirichlet', alpha: 0.3 }, rows, rows.map((_, i) => i), 5, reader('s'));
    expect(run()).toEqual(run());
  });

  it('holds out the same share of each class', () => {
    const rows: PartitionRow[] = Array.from({ length: 1000 }, (_, i) => ({ label: i < 300 ? 1 : 0 }));
    const { test } = holdOutTest(rows, 0.2, reader(1));
    expect(test.filter((i) => i < 300)).toHaveLength(60);
    expect(test).toHaveLength(200);
  });

  it('dirichlet skew grows as alpha shrinks (label-share spread across banks)', () => {
    const rows: PartitionRow[] = Array.from({ length: 4000 }, (_, i) => ({ label: i % 2 }));
    const spread = (alpha: number): number => {
      let total = 0;
      for (let s = 0; s < 20; s++) {
        const parts = partitionRows({ kind: 'dirichlet', alpha }, rows, rows.map((_, i) => i), 5, reader(`${alpha}:${s}`));
        const shares = parts.filter((p) => p.length > 0).map((p) => p.filter((i) => rows[i]!.label === 1).length / p.length);
        const m = shares.reduce((a, b) => a + b, 0) / shares.length;
        total += Math.sqrt(shares.reduce((a, b) => a + (b - m) ** 2, 0) / shares.length);
      }
      return total / 20;
    };
    const skewed = spread(0.1);
    const mild = spread(100);
    expect(skewed).toBeGreaterThan(0.25);
    expect(mild).toBeLessThan(0.05);
  });

  it('time: bank 1 holds the earliest period; feature: whole values per bank, quantile ranges for numbers', () => {
    const rows: PartitionRow[] = Array.from({ length: 90 }, (_, i) => ({ label: i % 2, key: 89 - i }));
    const parts = partitionRows({ kind: 'time', column: 'd' }, rows, rows.map((_, i) => i), 3, reader(0));
    expect(Math.max(...parts[0]!.map((i) => rows[i]!.key as number))).toBeLessThan(Math.min(...parts[1]!.map((i) => rows[i]!.key as number)));
    const regions: PartitionRow[] = Array.from({ length: 60 }, (_, i) => ({ label: i % 2, key: ['north', 'south', 'east', 'west'][i % 4]! }));
    const byRegion = partitionRows({ kind: 'feature', column: 'region' }, regions, regions.map((_, i) => i), 2, reader(0));
    for (const p of byRegion) for (const r of new Set(p.map((i) => regions[i]!.key))) expect(byRegion.filter((q) => q.some((i) => regions[i]!.key === r))).toHaveLength(1);
    expect(() => partitionRows({ kind: 'feature', column: 'region' }, regions, regions.map((_, i) => i), 5, reader(0))).toThrow(/4 distinct value\(s\).*5 banks/);
  });

  it('checkPartition names empty, too-small and one-class banks', () => {
    const rows: PartitionRow[] = [{ label: 1 }, { label: 0 }, { label: 0 }, { label: 0 }];
    const c = checkPartition([[], [0], [1, 2, 3], [0, 1]], rows, ['bank-1', 'bank-2', 'bank-3', 'bank-4'], 2);
    expect(c.map((x) => x.problem)).toEqual(['empty', 'too-few', 'one-class', undefined]);
    expect(c[2]).toMatchObject({ bank: 'bank-3', rows: 3, positives: 0 });
  });

  it('gamma has mean = shape', () => {
    const rng = reader('g');
    for (const shape of [0.3, 2]) {
      let s = 0;
      for (let i = 0; i < 20000; i++) s += gamma(shape, rng);
      expect(s / 20000).toBeCloseTo(shape, 1);
    }
  });
});

describe('large inputs', () => {
  it('splits 600,000 rows without overflowing the stack', () => {
    const rows: PartitionRow[] = Array.from({ length: 600_000 }, (_, i) => ({ label: i % 7 === 0 ? 1 : 0, key: i % 13 }));
    const rng = reader('big');
    const { test, train } = holdOutTest(rows, 0.2, rng);
    expect(test.length + train.length).toBe(600_000);
    for (const spec of [{ kind: 'dirichlet', alpha: 1 }, { kind: 'feature', column: 'k' }] as const) expect(partitionRows(spec, rows, train, 5, rng).flat()).toHaveLength(train.length);
  });
});
