/** Partitions over units (a fraud dataset's accounts, a market dataset's symbols): no unit is ever split between banks or between a bank and the test set. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { groupRows, partitionGroups, type PartitionRow, type PartitionSpec } from './partition.js';

const reader = (seed: number) => new RandomReader(seededRandom(seed));
/** Rows of 1–40 groups ("accounts"), some rows without a group; labels rare-ish; key a time-like number. */
const dataArb = fc.array(fc.record({ group: fc.option(fc.integer({ min: 0, max: 39 }), { freq: 10 }), label: fc.constantFrom(0, 0, 0, 1), key: fc.integer({ min: 0, max: 1000 }) }), { minLength: 10, maxLength: 400 });
const specArb: fc.Arbitrary<PartitionSpec> = fc.oneof(
  fc.constant({ kind: 'iid' } as const),
  fc.double({ min: 0.1, max: 5, noNaN: true }).map((alpha) => ({ kind: 'dirichlet', alpha }) as const),
  fc.double({ min: 0.1, max: 2, noNaN: true }).map((sigma) => ({ kind: 'quantity', sigma }) as const),
  fc.constant({ kind: 'time', column: 'k' } as const),
);

function split(data: readonly { group: number | null; label: number; key: number }[], spec: PartitionSpec, banks: number, frac: number, seed: number) {
  const rows: PartitionRow[] = data.map((d) => ({ label: d.label, key: d.key }));
  const groups = groupRows(rows, (i) => (data[i]!.group === null ? undefined : `acc-${data[i]!.group}`), spec.kind === 'time' ? 'earliest' : 'mode');
  return { groups, ...partitionGroups(spec, groups, frac, banks, reader(seed)) };
}

describe('groupRows + partitionGroups', () => {
  it('puts every row exactly once in the test set or one bank, and every account whole in one place (property)', () => {
    fc.assert(
      fc.property(dataArb, specArb, fc.integer({ min: 1, max: 6 }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer(), (data, spec, banks, frac, seed) => {
        const { test, parts, testUnits, unitsPerBank, groups } = split(data, spec, banks, frac, seed);
        const where = new Map<number, number>();
        [test, ...parts].forEach((p, at) => p.forEach((i) => (expect(where.has(i)).toBe(false), where.set(i, at))));
        expect(where.size).toBe(data.length);
        const placeOf = new Map<number, number>();
        data.forEach((d, i) => {
          if (d.group === null) return;
          if (!placeOf.has(d.group)) placeOf.set(d.group, where.get(i)!);
          expect(where.get(i)).toBe(placeOf.get(d.group));
        });
        expect(testUnits + unitsPerBank.reduce((a, b) => a + b, 0)).toBe(groups.units.length);
        for (const p of [test, ...parts]) expect(p).toEqual([...p].sort((a, b) => a - b));
      }),
      { numRuns: 150 },
    );
  });

  it('holds out the test set stratified by account label (an account is positive when any of its rows is)', () => {
    const data = Array.from({ length: 1000 }, (_, i) => ({ group: i % 100, label: i % 100 < 10 && i % 7 === 0 ? 1 : 0, key: i }));
    const { groups, testUnits, test } = split(data, { kind: 'iid' }, 4, 0.2, 3);
    expect(groups.units.filter((u) => u.label === 1)).toHaveLength(10);
    expect(testUnits).toBe(20);
    const testAccounts = new Set(test.map((i) => data[i]!.group));
    expect([...testAccounts].filter((g) => g < 10)).toHaveLength(2);
  });

  it('time: orders accounts by their first value, so bank 1 holds the oldest cohort', () => {
    fc.assert(
      fc.property(dataArb, fc.integer({ min: 2, max: 5 }), fc.integer(), (data, banks, seed) => {
        const { parts } = split(data, { kind: 'time', column: 'k' }, banks, 0, seed);
        const firstOf = (p: readonly number[]): number[] => {
          const first = new Map<string, number>();
          for (const i of p) {
            const g = data[i]!.group === null ? `row-${i}` : `acc-${data[i]!.group}`;
            first.set(g, Math.min(first.get(g) ?? Infinity, data[i]!.key));
          }
          return [...first.values()];
        };
        const ranges = parts.filter((p) => p.length > 0).map(firstOf);
        for (let b = 1; b < ranges.length; b++) expect(Math.max(...ranges[b - 1]!)).toBeLessThanOrEqual(Math.min(...ranges[b]!));
      }),
      { numRuns: 100 },
    );
  });

  it('feature: a unit takes its most frequent value', () => {
    const rows: PartitionRow[] = [{ label: 0, key: 'NL' }, { label: 0, key: 'DE' }, { label: 1, key: 'DE' }, { label: 0, key: 'FR' }];
    const g = groupRows(rows, (i) => (i < 3 ? 'a' : 'b'), 'mode');
    expect(g.units).toEqual([{ label: 1, key: 'DE' }, { label: 0, key: 'FR' }]);
    expect(g.members).toEqual([[0, 1, 2], [3]]);
  });
});
