/** Tests for the generalisation hierarchies. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FieldSpec } from '../../schema/field.js';
import { bandEdges, makeGeneralizer } from './generalize.js';

const age: FieldSpec = { name: 'age', type: 'integer', description: '', required: true, min: 18, max: 100, privacy: 'quasi-identifier' };
const amount: FieldSpec = { name: 'loan_amount', type: 'number', description: '', required: true, min: 0, privacy: 'feature' };
const postcode: FieldSpec = { name: 'postcode', type: 'string', description: '', required: false, privacy: 'quasi-identifier' };
const date: FieldSpec = { name: 'd', type: 'date', description: '', required: false, privacy: 'quasi-identifier' };
const ts: FieldSpec = { name: 't', type: 'timestamp', description: '', required: false, privacy: 'quasi-identifier' };
const AGE_BANDS = [18, 25, 35, 45, 55, 65, 101];

describe('bands generalizer', () => {
  const g = makeGeneralizer(age, { action: 'generalize', bands: AGE_BANDS, level: 0 });

  it('labels integer bands with inclusive ends, when at the base level', () => {
    expect(g.generalize(25, 0)).toBe('25-34');
    expect(g.generalize(34, 0)).toBe('25-34');
    expect(g.generalize(100, 0)).toBe('65-100');
    expect(g.generalize(null, 0)).toBeNull();
    expect(g.vocabulary(0)).toEqual(['18-24', '25-34', '35-44', '45-54', '55-64', '65-100']);
  });

  it('widens bands ×2 per level up to one band, when the level rises', () => {
    expect(bandEdges(AGE_BANDS, 1)).toEqual([18, 35, 55, 101]);
    expect(g.generalize(40, 1)).toBe('35-54');
    expect(g.vocabulary(2)).toEqual(['18-54', '55-100']);
    expect(g.maxLevel).toBe(3);
    expect(g.vocabulary(3)).toEqual(['18-100']);
  });

  it('labels half-open bins and out-of-range values, when the field is a number without a max', () => {
    const b = makeGeneralizer(amount, { action: 'generalize', bands: [0, 1000, 5000], level: 0 });
    expect(b.generalize(999.5, 0)).toBe('0-<1000');
    expect(b.generalize(5000, 0)).toBe('>=5000');
    expect(b.vocabulary(0)).toEqual(['0-<1000', '1000-<5000', '>=5000']);
  });

  it('only ever merges classes going up a level (a coarser level is a function of the finer one), when values are arbitrary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 18, max: 100 }), fc.integer({ min: 18, max: 100 }), fc.integer({ min: 0, max: 2 }), (a, b, lv) => {
        if (g.generalize(a, lv) === g.generalize(b, lv)) expect(g.generalize(a, lv + 1)).toBe(g.generalize(b, lv + 1));
        expect(g.vocabulary(lv)).toContain(g.generalize(a, lv));
      }),
    );
  });
});

describe('string generalizers', () => {
  it('shortens prefixes one character per level down to "*", when the rule is a prefix', () => {
    const g = makeGeneralizer(postcode, { action: 'generalize-prefix', prefix: 3, level: 0 });
    expect([0, 1, 2, 3].map((lv) => g.generalize(' sw1a 1aa', lv))).toEqual(['SW1', 'SW', 'S', '*']);
    expect(g.maxLevel).toBe(3);
  });

  it('goes month → year → "*", when the rule is a date', () => {
    const g = makeGeneralizer(date, { action: 'generalize-date', to: 'month', level: 0 });
    expect([0, 1, 2].map((lv) => g.generalize('2024-03-17', lv))).toEqual(['2024-03', '2024', '*']);
  });

  it('goes hour → day → month → year → "*" in UTC, when the rule is a timestamp', () => {
    const g = makeGeneralizer(ts, { action: 'generalize-timestamp', to: 'hour', level: 0 });
    expect([0, 1, 2, 3, 4].map((lv) => g.generalize('2024-03-17T23:30:00+02:00', lv))).toEqual(['2024-03-17T21', '2024-03-17', '2024-03', '2024', '*']);
    expect(() => g.generalize('yesterday', 0)).toThrow(TypeError);
  });
});
