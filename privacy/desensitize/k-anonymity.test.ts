/** Tests for k-anonymity / l-diversity measurement and enforcement. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CanonicalValue } from '../../schema/field.js';
import { enforceAnonymity, measureClasses, type QiColumn } from './k-anonymity.js';

function column(field: string, levels: CanonicalValue[][]): QiColumn {
  return { field, level: 0, maxLevel: levels.length - 1, at: (lv) => levels[lv] as CanonicalValue[] };
}

describe('measureClasses', () => {
  it('finds the smallest class and the rows of too-small classes, when classes are uneven', () => {
    const m = measureClasses([['a', 'a', 'a', 'b', null]], undefined, { k: 2 }, 5);
    expect(m).toEqual({ k: 1, l: undefined, classes: 3, failingRows: [3, 4] });
  });

  it('counts distinct sensitive values per class, missing being one value, when l is measured', () => {
    const m = measureClasses([['a', 'a', 'b', 'b']], ['f', 'm', 'f', 'f'], { k: 1, l: 2 }, 4);
    expect(m.l).toBe(1);
    expect(m.failingRows).toEqual([2, 3]);
    expect(measureClasses([['a', 'a']], ['f', null], { k: 1 }, 2).l).toBe(2);
  });

  it('keeps "1" and 1 and null apart, when values differ only in type', () => {
    expect(measureClasses([['1', 1, null, 'null']], undefined, { k: 1 }, 4).classes).toBe(4);
  });
});

describe('enforceAnonymity', () => {
  it('generalises until no column can go coarser, then suppresses the remaining small classes, when maxSuppression is 0', () => {
    const fine = ['10', '11', '20', '21', '20', '21'];
    const coarse = ['1x', '1x', '2x', '2x', '2x', '2x'];
    const other = ['a', 'b', 'a', 'a', 'a', 'a'];
    const r = enforceAnonymity([column('x', [fine, coarse]), column('y', [other])], undefined, 6, { k: 2, maxSuppression: 0 });
    expect(r.levels.get('x')).toBe(1);
    expect(r.suppressedRows).toEqual([0, 1]);
    expect(r.after.k).toBe(4);
    expect(r.before.k).toBe(1);
  });

  it('suppresses instead of generalising, when the failing rows fit within maxSuppression', () => {
    const r = enforceAnonymity([column('x', [['a', 'a', 'a', 'b'], ['*', '*', '*', '*']])], undefined, 4, { k: 2, maxSuppression: 0.25 });
    expect(r.levels.get('x')).toBe(0);
    expect(r.suppressedRows).toEqual([3]);
  });

  it('reaches k over the kept rows and is deterministic, when data and hierarchies are random', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (rows, k) => {
        const lv = (shift: number) => rows.map(([a]) => String(a >> shift));
        const cols = [column('a', [lv(0), lv(1), lv(2), lv(4)]), column('b', [rows.map(([, b]) => b)])];
        const r1 = enforceAnonymity(cols, undefined, rows.length, { k, maxSuppression: 0.1 });
        const r2 = enforceAnonymity(cols, undefined, rows.length, { k, maxSuppression: 0.1 });
        expect(r2).toEqual(r1);
        const kept = rows.length - r1.suppressedRows.length;
        if (kept > 0) expect(r1.after.k).toBeGreaterThanOrEqual(k);
        expect(r1.after.failingRows).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('throws RangeError naming the argument, when k is 0', () => {
    expect(() => enforceAnonymity([], undefined, 0, { k: 0, maxSuppression: 0 })).toThrow('enforceAnonymity: "target.k" expected integer in [1, 9007199254740991], got 0');
  });
});
