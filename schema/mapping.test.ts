/** Tests of compileMapping: every key of the mapping format, up-front errors, the German Credit mapping. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeSchema, type DatasetSchema } from './field.js';
import { MappingSpecSchema, type MappingSpec } from './mapping-spec.js';
import { compileMapping, compileDatePattern, parseDecimal } from './mapping.js';
import { acceptedRecords } from './validate.js';
import { CREDIT_V1 } from './builtin/credit-v1.js';

const S: DatasetSchema = makeSchema({
  name: 'test',
  version: 1,
  description: '',
  kind: 'custom',
  fields: [
    { name: 'income', type: 'number', description: '', required: true, min: 0, privacy: 'feature' },
    { name: 'band', type: 'category', description: '', required: false, categories: ['low', 'high', 'unknown'], privacy: 'feature' },
    { name: 'active', type: 'boolean', description: '', required: false, privacy: 'feature' },
    { name: 'opened', type: 'date', description: '', required: false, privacy: 'feature' },
    { name: 'years', type: 'number', description: '', required: false, privacy: 'feature' },
    { name: 'region', type: 'string', description: '', required: false, privacy: 'quasi-identifier' },
  ],
});
const spec = (fields: MappingSpec['fields'], extra: Partial<MappingSpec> = {}): MappingSpec => MappingSpecSchema.parse({ schema: 'test.v1', fields, ...extra });

describe('compileMapping', () => {
  it('applies codes, parse, conversions, missing, constant and derive, when all keys are used', () => {
    // Prepare
    const m = compileMapping(
      spec({
        income: { column: 'inc', decimal: ',', convert: 'monthly-to-yearly', round: true },
        band: { column: 'b', codes: { L: 'low', H: 'high' }, otherwise: 'unknown' },
        active: { column: 'act', parse: 'boolean', trueValues: ['J'], falseValues: ['N'] },
        opened: { column: 'od', parse: 'date:DD.MM.YYYY', missing: ['00.00.0000'] },
        years: { derive: 'months / 12 + 0' },
        region: { constant: 'north' },
      }),
      S,
      ['inc', 'b', 'act', 'od', 'months', 'extra'],
    );
    // Execute
    const r = m.apply(['1.234,5', 'X', 'j', '29.02.2024', '18', 'z'], 1);
    const r2 = m.apply(['10', 'L', 'N', '00.00.0000', '', 'z'], 2);
    // Assert
    expect(r.record).toEqual({ income: 14814, band: 'unknown', active: true, opened: '2024-02-29', years: 1.5, region: 'north' });
    expect(r2.record).toMatchObject({ income: 120, band: 'low', active: false, opened: null, years: null });
    expect(m.unmappedColumns).toEqual(['extra']);
  });

  it('applies multiply then add, when both are given', () => {
    const m = compileMapping(spec({ income: { column: 'c', multiply: 2, add: 1 } }), S, ['c']);
    expect(m.apply(['3'], 1).record?.['income']).toBe(7);
  });

  it('reports field errors in the house message style, when values cannot be read', () => {
    const m = compileMapping(spec({ income: { column: 'i' }, band: { column: 'b', codes: { L: 'low' } }, opened: { column: 'o', parse: 'date:YYYYMMDD' } }), S, ['i', 'b', 'o']);
    expect(m.apply(['abc', 'Q', '20230230'], 17).errors).toEqual([
      { field: 'income', column: 'i', message: 'row 17, field income (column i): expected number, got "abc"' },
      { field: 'band', column: 'b', message: 'row 17, field band (column b): code "Q" is not in the code table' },
      { field: 'opened', column: 'o', message: 'row 17, field opened (column o): expected date YYYYMMDD, got "20230230"' },
    ]);
    expect(m.columnOf.get('income')).toBe('i');
  });

  it('withholds values but keeps row, field, column and expectation, when redactValues is set', () => {
    const m = compileMapping(spec({ income: { column: 'i' }, band: { column: 'b', codes: { L: 'low' } } }), S, ['i', 'b'], 'x.csv', { redactValues: true });
    expect(m.apply(['secret', 'Q'], 3).errors).toEqual([
      { field: 'income', column: 'i', message: 'row 3, field income (column i): expected number, got a text of 6 characters (value withheld)' },
      { field: 'band', column: 'b', message: 'row 3, field band (column b): code a text of 1 character (value withheld) is not in the code table' },
    ]);
  });

  it('uses the identity mapping, when there is no spec', () => {
    const m = compileMapping(undefined, S, ['income', 'band', 'note']);
    expect(m.apply(['5', 'high', 'x'], 1).record).toEqual({ income: 5, band: 'high', active: null, opened: null, years: null, region: null });
    expect(m.unmappedColumns).toEqual(['note']);
  });

  it('throws up front, when the spec or header does not fit', () => {
    expect(() => compileMapping(undefined, S, ['band'], 'x.csv')).toThrow('required field income is not provided: x.csv has no column income');
    expect(() => compileMapping(spec({ incme: { column: 'a' } }), S, ['a'])).toThrow('unknown field "incme": schema test.v1 has no such field');
    expect(() => compileMapping(spec({ income: { column: 'salary' } }), S, ['inc'], 'bank.csv')).toThrow('column "salary" is not in the header of bank.csv');
    expect(() => compileMapping(spec({ income: { column: 'i' }, band: { column: 'b', codes: { L: 'lo' } } }), S, ['i', 'b'])).toThrow('field band: code "L" maps to "lo" does not fit (expected one of low, high, unknown)');
    expect(() => compileMapping(spec({ income: { column: 'i', parse: 'weird' } }), S, ['i'])).toThrow(/unknown parse "weird"/);
    expect(() => compileMapping(spec({ income: { constant: 'x' } }), S, [])).toThrow(/constant "x" does not fit/);
    expect(() => compileMapping({ ...spec({}), schema: 'credit.v1' }, S, [])).toThrow('the mapping is for schema credit.v1, not test.v1');
  });

  it('hints at the delimiter, when a ;-separated header was read as one column', () => {
    expect(() => compileMapping(spec({ income: { column: 'inc' }, band: { column: 'b' } }), S, ['inc;b;x'], 'semi.csv')).toThrow(
      'column "inc" is not in the header of semi.csv (1 column found, expected 2; is the delimiter ";"?)',
    );
  });
});

describe('parsers', () => {
  it('reads numbers strictly, when given odd text', () => {
    expect(parseDecimal(' 12.5 ')).toBe(12.5);
    expect(parseDecimal('1.234.567,8', ',')).toBe(1234567.8);
    expect(parseDecimal('0x10')).toBeUndefined();
    expect(parseDecimal('Infinity')).toBeUndefined();
    expect(parseDecimal('')).toBeUndefined();
  });

  it('checks calendar validity, when parsing date patterns', () => {
    expect(compileDatePattern('DD.MM.YYYY')('31.12.1999')).toBe('1999-12-31');
    expect(compileDatePattern('DD.MM.YYYY')('29.02.2023')).toBeUndefined();
    expect(compileDatePattern('YYYYMMDD')('20240229')).toBe('2024-02-29');
    expect(() => compileDatePattern('YY-MM')).toThrow(/needs YYYY, MM and DD/);
  });
});

describe('German Credit mapping', () => {
  it('accepts all 1000 rows with exactly 300 defaults, when applied to german_credit.csv', async () => {
    const path = fileURLToPath(new URL('../examples/german-credit/mapping.json', import.meta.url));
    const mapping = MappingSpecSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    let n = 0;
    let defaults = 0;
    for await (const r of acceptedRecords({ file: '/work/shared/data/german_credit.csv', schema: CREDIT_V1, mapping })) {
      n++;
      if (r['default'] === 1) defaults++;
    }
    expect(n).toBe(1000);
    expect(defaults).toBe(300);
  });
});
