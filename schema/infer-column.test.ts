/** Tests of the per-column profile behind `schema infer`: type detection, bounds, uniqueness, PII counts. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ColumnProfile, DISTINCT_LIMIT } from './infer-column.js';
import { draftField } from './infer-draft.js';

function profile(values: readonly string[]): ColumnProfile {
  const p = new ColumnProfile();
  for (const v of values) p.observe(v);
  return p;
}

describe('ColumnProfile', () => {
  it('infers integer with exact bounds, for any list of safe integers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 50 }), (xs) => {
        const p = profile(xs.map(String));
        expect(p.valueType().type).toBe('integer');
        expect(p.range()).toEqual({ min: Math.min(...xs), max: Math.max(...xs) });
      }),
      { numRuns: 200 },
    );
  });

  it('infers number, when any value has a fraction or exponent', () => {
    expect(profile(['1', '2.5', '-3']).valueType().type).toBe('number');
    expect(profile(['1e3', '0.25']).valueType().type).toBe('number');
    expect(profile(['0.30000000000000004', '1']).valueType().type).toBe('number');
  });

  it('keeps text, when numbers have leading zeros or more than 15 digits', () => {
    expect(profile(['01067', '10115']).valueType().type).toBe('category');
    expect(profile(['4111111111111111', '5500000000000004']).valueType().type).toBe('category');
  });

  it('recognises dates per layout and rejects impossible days, when all values share a layout', () => {
    expect(profile(['2024-02-29', '2023-12-31']).valueType()).toEqual({ type: 'date', layout: 'YYYY-MM-DD', ambiguous: false });
    expect(profile(['31.12.2023', '01.02.2024']).valueType()).toMatchObject({ type: 'date', layout: 'DD.MM.YYYY' });
    expect(profile(['25/12/2023', '01/02/2024']).valueType()).toMatchObject({ type: 'date', layout: 'DD/MM/YYYY', ambiguous: false });
    expect(profile(['12/25/2023', '01/02/2024']).valueType()).toMatchObject({ type: 'date', layout: 'MM/DD/YYYY' });
    expect(profile(['01/02/2024', '03/04/2024']).valueType()).toMatchObject({ type: 'date', ambiguous: true });
    expect(profile(['2023-02-29']).valueType().type).toBe('category');
    expect(profile(['2024-03-01T10:00:00Z', '2024-03-01 23:59:59.5+01:00']).valueType().type).toBe('timestamp');
    expect(profile(['2024-03-01T24:00:00Z']).valueType().type).toBe('category');
  });

  it('counts missing tokens apart from values, and booleans only from true/false words', () => {
    const p = profile(['yes', '', 'NA', 'No', 'null']);
    expect(p.count).toBe(2);
    expect(p.missing).toBe(3);
    expect(p.valueType().type).toBe('boolean');
    expect(profile(['0', '1']).valueType().type).toBe('integer');
  });

  it('counts PII patterns per row even past the distinct-value limit', () => {
    const small = profile(['a@x.de', 'a@x.de', 'b@y.de', 'none']);
    expect(small.dominantPii()).toEqual({ pattern: 'email', hits: 3 });
    const values = Array.from({ length: DISTINCT_LIMIT + 10 }, (_, i) => `user${i}@bank.example`);
    const big = profile(values);
    expect(big.overflow).toBe(true);
    expect(big.unique()).toBe(false);
    expect(big.dominantPii()).toEqual({ pattern: 'email', hits: DISTINCT_LIMIT + 10 });
  });
});

describe('draftField', () => {
  const ctx = { column: 'Free Text', name: 'free_text', isLabel: false, categoryCap: 20 };

  it('drafts a string with a rounded-up maxLength and a review note, when text has too many distinct values to track', () => {
    const p = profile(Array.from({ length: DISTINCT_LIMIT + 1 }, (_, i) => `comment number ${i}`));
    const d = draftField(p, ctx);
    expect(d.field).toMatchObject({ type: 'string', maxLength: 32, privacy: 'feature', required: true });
    expect(d.notes.join(' ')).toMatch(/more than 20000 distinct values/);
  });

  it('drafts categories most frequent first, ties by value, when text has few distinct values', () => {
    const d = draftField(profile(['b', 'a', 'c', 'c', 'b', 'c']), ctx);
    expect(d.field.categories).toEqual(['c', 'b', 'a']);
  });

  it('keeps the inferred type of the label even when its name looks like an identifier', () => {
    const d = draftField(profile(['0', '1', '1']), { ...ctx, name: 'target_id', isLabel: true });
    expect(d.field).toMatchObject({ type: 'integer', min: 0, max: 1, privacy: 'label' });
  });
});
