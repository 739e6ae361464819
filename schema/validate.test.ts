/** Tests of record validation and validateData: message style, statistics, never-throw properties. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FedfinError } from '../common/errors.js';
import { makeSchema, type CanonicalValue } from './field.js';
import { compileValidator, expectation, validateData, acceptedRecords } from './validate.js';
import { compileMapping } from './mapping.js';
import { CREDIT_V1 } from './builtin/credit-v1.js';

const S = makeSchema({
  name: 'test',
  version: 1,
  description: '',
  kind: 'custom',
  fields: [
    { name: 'income', type: 'number', description: '', required: true, min: 0, privacy: 'feature' },
    { name: 'age', type: 'integer', description: '', required: false, min: 18, max: 100, privacy: 'feature' },
    { name: 'band', type: 'category', description: '', required: false, categories: ['low', 'high'], privacy: 'feature' },
    { name: 'code', type: 'string', description: '', required: false, maxLength: 3, privacy: 'feature' },
    { name: 'day', type: 'date', description: '', required: false, privacy: 'feature' },
    { name: 'flag', type: 'boolean', description: '', required: false, privacy: 'feature' },
  ],
});

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'fedfin-val-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('compileValidator', () => {
  it('describes field rules, when building expectations', () => {
    expect(S.fields.map(expectation)).toEqual(['number ≥ 0', 'integer in [18, 100]', 'one of low, high', 'text of at most 3 characters', 'date YYYY-MM-DD', 'boolean']);
  });

  it('returns messages in the house style, when values break the rules', () => {
    const v = compileValidator(S);
    const errs = v.validate({ income: -1, age: 17.5, band: 'mid', code: 'abcd', day: '2023-02-30', flag: 'yes' }, 17);
    expect(errs?.map((e) => e.message)).toEqual([
      'row 17, field income: expected number ≥ 0, got -1',
      'row 17, field age: expected integer in [18, 100], got 17.5',
      'row 17, field band: expected one of low, high, got "mid"',
      'row 17, field code: expected text of at most 3 characters, got 4 characters',
      'row 17, field day: expected date YYYY-MM-DD, got "2023-02-30"',
      'row 17, field flag: expected boolean, got "yes"',
    ]);
    expect(v.validate({ income: null, age: null, band: null, code: null, day: null, flag: null }, 2)?.[0]?.message).toBe(
      'row 2, field income: expected number ≥ 0, got nothing (the field is required)',
    );
    expect(v.validate({ income: 5, age: 40, band: 'low', code: 'ab', day: '2024-02-29', flag: true }, 3)).toBeUndefined();
    expect(v.validate({ income: Infinity, age: null, band: null, code: null, day: null, flag: null }, 4)?.[0]?.message).toBe('row 4, field income: expected number ≥ 0, got Infinity');
  });

  it('never throws, for arbitrary records over credit.v1', () => {
    const v = compileValidator(CREDIT_V1);
    const value: fc.Arbitrary<CanonicalValue> = fc.oneof(fc.constant(null), fc.double(), fc.integer(), fc.string(), fc.boolean());
    const names = CREDIT_V1.fields.map((f) => f.name);
    fc.assert(fc.property(fc.array(value, { minLength: names.length, maxLength: names.length }), (vals) => {
      const rec = Object.fromEntries(names.map((n, i) => [n, vals[i]!]));
      const errs = v.validate(rec, 1) ?? [];
      for (const e of errs) expect(e.message.startsWith(`row 1, field ${e.field}: expected `)).toBe(true);
    }), { numRuns: 300 });
  });

  it('never throws, for arbitrary text rows through the identity mapping', () => {
    const m = compileMapping(undefined, CREDIT_V1, CREDIT_V1.fields.map((f) => f.name));
    const v = compileValidator(CREDIT_V1);
    const n = CREDIT_V1.fields.length;
    fc.assert(fc.property(fc.array(fc.option(fc.string(), { nil: null }), { minLength: n, maxLength: n }), (vals) => {
      const r = m.apply(vals, 1);
      if (r.record) v.validate(r.record, 1);
    }), { numRuns: 300 });
  });
});

describe('validateData', () => {
  it('counts rows, keeps errors and statistics, when some rows are bad', async () => {
    // Prepare
    const path = file('a.csv', 'income,age,band,code\n100,30,low,a\nabc,40,high,b\n50,,low,c\n7,200,mid,d\n1,2\n');
    // Execute
    const r = await validateData({ file: path, schema: S, maxReject: 3 });
    // Assert
    expect({ rows: r.rows, accepted: r.accepted, rejected: r.rejected, ok: r.ok }).toEqual({ rows: 5, accepted: 2, rejected: 3, ok: true });
    expect(r.errors.map((e) => e.message)).toEqual([
      'row 2, field income: expected number, got "abc"',
      'row 4, field age: expected integer in [18, 100], got 200',
      'row 4, field band: expected one of low, high, got "mid"',
      'row 5: expected 4 columns, got 2',
    ]);
    expect(r.errors[3]).toMatchObject({ row: 5, field: '(row)' });
    const age = r.fields.find((f) => f.field === 'age')!;
    expect(age).toMatchObject({ missing: 1, missingRate: 0.5, min: 30, max: 30 });
    expect(r.fields.find((f) => f.field === 'band')!.top).toEqual([{ value: 'low', count: 2 }]);
    expect(r.unmappedColumns).toEqual([]);
  });

  it('sets ok false, when rejects exceed maxReject', async () => {
    const r = await validateData({ file: file('b.csv', 'income\n-1\n'), schema: S });
    expect(r.ok).toBe(false);
  });

  it('reads JSON Lines through the same mapping, when the format is jsonl', async () => {
    const r = await validateData({ file: file('c.jsonl', '{"income":1.5,"band":"high","flag":true}\n{"income":"x"}\n'), schema: S, maxReject: 1 });
    expect({ accepted: r.accepted, rejected: r.rejected }).toEqual({ accepted: 1, rejected: 1 });
  });

  it('throws from acceptedRecords, when rejects exceed maxReject', async () => {
    const path = file('d.csv', 'income\n1\n-2\n3\n');
    const got: unknown[] = [];
    await expect((async () => { for await (const r of acceptedRecords({ file: path, schema: S })) got.push(r); })()).rejects.toThrow(
      /d\.csv: more than 0 rejected rows; latest: row 2, field income: expected number ≥ 0, got a number \(value withheld\)/,
    );
    expect(got).toHaveLength(1);
    const quoted = acceptedRecords({ file: path, schema: S, redactValues: false });
    await expect((async () => { for await (const r of quoted) got.push(r); })()).rejects.toThrow(/got -2$/);
  });

  it('never quotes a direct identifier, when an over-long e-mail is rejected (validateData and acceptedRecords)', async () => {
    const email = `${'jane.doe'.repeat(40)}@example.com`;
    const header = 'full_name,email,age,loan_amount,loan_term_months,default';
    const path = file('pii.csv', `${header}\nJane Doe,${email},30,1000,12,0\n`);
    const fields = CREDIT_V1.fields.map((f) => f.name);
    expect(fields).toContain('email');
    const report = await validateData({ file: path, schema: CREDIT_V1 });
    expect(report.errors).toEqual([{ row: 1, field: 'email', message: `row 1, field email: expected text of at most 200 characters, got ${email.length} characters` }]);
    const messages: string[] = [];
    try {
      for await (const r of acceptedRecords({ file: path, schema: CREDIT_V1 })) void r;
    } catch (err) {
      messages.push((err as Error).message);
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]).not.toContain('jane.doe');
    const bad = file('pii2.csv', `full_name,email,age,loan_amount,loan_term_months,default\nJane Doe,${email},abc,1000,12,0\n`);
    const viaMapping = await validateData({ file: bad, schema: CREDIT_V1, mapping: { schema: 'credit.v1', fields: { email: { column: 'email', codes: { x: 'y' } }, age: { column: 'age' }, loan_amount: { column: 'loan_amount' }, loan_term_months: { column: 'loan_term_months' }, default: { column: 'default' } } } });
    expect(viaMapping.errors.map((e) => e.message).join('\n')).not.toContain('jane.doe');
    expect(viaMapping.errors.map((e) => e.field)).toEqual(['email', 'age']);
  });

  it('returns a report or a typed error and nothing else, for arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
      const path = join(dir, 'fuzz.csv');
      writeFileSync(path, Buffer.from(bytes));
      try {
        const r = await validateData({ file: path, schema: S, maxFieldBytes: 64 });
        expect(r.accepted + r.rejected).toBe(r.rows);
      } catch (err) {
        expect(err).toBeInstanceOf(FedfinError);
      }
    }), { numRuns: 150 });
  });
});
