/** Tests for the encoding spec, its hash, the encoder and the DesensitizedRecord type guarantee. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DesensitizedRecord } from './desensitized.js';
import type { CanonicalRecord, DatasetSchema } from './field.js';
import { createEncodingSpec, encode, encodeInto, verifyEncodingSpec, canonicalJson } from './encoding.js';
import { hasCode } from '../common/errors.js';

const SCHEMA: DatasetSchema = {
  id: 'toy.v1+desensitized',
  name: 'toy',
  version: 1,
  description: 'toy',
  kind: 'custom',
  label: 'default',
  fields: [
    { name: 'customer', type: 'string', description: '', required: false, maxLength: 32, privacy: 'direct-identifier' },
    { name: 'age', type: 'category', description: '', required: true, categories: ['18-34', '35-100'], privacy: 'quasi-identifier' },
    { name: 'income', type: 'number', description: '', required: false, min: 0, max: 200000, privacy: 'feature' },
    { name: 'sex', type: 'category', description: '', required: false, categories: ['female', 'male'], privacy: 'sensitive' },
    { name: 'postcode', type: 'string', description: '', required: false, privacy: 'quasi-identifier' },
    { name: 'has_phone', type: 'boolean', description: '', required: false, privacy: 'feature' },
    { name: 'default', type: 'integer', description: '', required: true, min: 0, max: 1, privacy: 'label' },
  ],
};
const STATS = { income: { mean: 50000, std: 20000 } };
// Test-only stand-in for privacy/desensitize: the brand is a type-level promise, so a cast is how tests make one.
const des = (r: CanonicalRecord): DesensitizedRecord => r as DesensitizedRecord;

describe('createEncodingSpec', () => {
  it('lists encodable fields in schema order with missing columns, when given a desensitised schema', () => {
    const spec = createEncodingSpec(SCHEMA, STATS);
    expect(spec.inputs.map((i) => `${i.kind}:${i.field}`)).toEqual(['one-hot:age', 'numeric:income', 'boolean:has_phone']);
    expect(spec.featureNames).toEqual(['age=18-34', 'age=35-100', 'age:missing', 'income', 'income:missing', 'has_phone', 'has_phone:missing']);
    expect(spec.numFeatures).toBe(7);
    expect(spec.label).toBe('default');
  });

  it('includes sensitive fields and transformed strings, when the options ask for them', () => {
    const spec = createEncodingSpec(SCHEMA, STATS, { includeSensitive: true, transforms: { postcode: { kind: 'one-hot', vocabulary: ['10', '11'] } }, exclude: ['has_phone'] });
    expect(spec.inputs.map((i) => i.field)).toEqual(['age', 'income', 'sex', 'postcode']);
  });

  it('gives the same hash for the same spec and a different one for different stats, when hashing', () => {
    const a = createEncodingSpec(SCHEMA, STATS);
    expect(a.specHash).toMatch(/^[0-9a-f]{64}$/);
    expect(createEncodingSpec(SCHEMA, { income: { std: 20000, mean: 50000 } }).specHash).toBe(a.specHash);
    expect(createEncodingSpec(SCHEMA, { income: { mean: 50001, std: 20000 } }).specHash).not.toBe(a.specHash);
    const roundTrip = JSON.parse(JSON.stringify(a)) as typeof a;
    expect(() => verifyEncodingSpec(roundTrip, a.specHash)).not.toThrow();
    const tampered = { ...roundTrip, featureNames: [...roundTrip.featureNames].reverse() };
    let err: unknown;
    try {
      verifyEncodingSpec(tampered);
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, 'encoding-mismatch')).toBe(true);
  });

  it('throws errors saying what was expected, when stats are NaN, missing or have std 0', () => {
    expect(() => createEncodingSpec(SCHEMA, { income: { mean: Number.NaN, std: 1 } })).toThrow('createEncodingSpec: "stats.income.mean" expected finite number, got NaN');
    expect(() => createEncodingSpec(SCHEMA, {})).toThrow('createEncodingSpec: "stats.income" expected {mean, std}, got undefined');
    expect(() => createEncodingSpec(SCHEMA, { income: { mean: 0, std: 0 } })).toThrow(RangeError);
    expect(() => createEncodingSpec(SCHEMA, STATS, { transforms: { nope: { kind: 'one-hot', vocabulary: [] } } })).toThrow(TypeError);
  });
});

describe('encode', () => {
  const spec = createEncodingSpec(SCHEMA, STATS);

  it('one-hot encodes, standardises after clamping and flags missing values, when given records', () => {
    const d = encode(spec, [
      des({ customer: 'ab12', age: '35-100', income: 70000, has_phone: true, default: 1 }),
      des({ age: null, income: null, has_phone: null, default: 0 }),
      des({ age: '18-34', income: 1e9, has_phone: false, default: 0 }),
    ]);
    expect(d.numExamples).toBe(3);
    expect(d.numFeatures).toBe(7);
    expect(Array.from(d.features)).toEqual([0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 7.5, 0, 0, 0]);
    expect(Array.from(d.labels)).toEqual([1, 0, 0]);
  });

  it('rejects values outside the vocabulary and missing labels without echoing the value, when data is bad', () => {
    expect(() => encode(spec, [des({ age: 'Jane Doe', default: 0 })])).toThrow('encode: field "age" has a value outside its vocabulary');
    expect(() => encode(spec, [des({ age: 'Jane Doe', default: 0 })])).not.toThrow(/Jane/);
    expect(() => encode(spec, [des({ age: '18-34', default: null })])).toThrow(expect.objectContaining({ code: 'data-invalid' }));
  });

  it('equals row-by-row encodeInto and is deterministic, when records are random', () => {
    const rec = fc.record({
      age: fc.constantFrom('18-34', '35-100', null),
      income: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(null)),
      has_phone: fc.constantFrom(true, false, null),
      default: fc.constantFrom(0, 1),
    });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 20 }), (rows) => {
        const records = rows.map((r) => des(r));
        const a = encode(spec, records);
        const b = encode(spec, records);
        expect(b.features).toEqual(a.features);
        const out = new Float32Array(records.length * spec.numFeatures + 3);
        records.forEach((r, i) => encodeInto(spec, r, out, 3 + i * spec.numFeatures));
        expect(out.subarray(3)).toEqual(a.features);
        for (let i = 0; i < records.length; i++) {
          const row = a.features.subarray(i * 7, i * 7 + 7);
          expect(row[0]! + row[1]! + row[2]!).toBe(1);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a plain CanonicalRecord at compile time, when it has not been desensitised', () => {
    const raw: CanonicalRecord = { age: '18-34', default: 0 };
    // @ts-expect-error — a CanonicalRecord is not a DesensitizedRecord: only privacy/desensitize makes those.
    const attempt = () => encode(spec, [raw]);
    // @ts-expect-error — the same holds for the streaming encoder.
    const attemptInto = () => encodeInto(spec, raw, new Float32Array(7), 0);
    expect(typeof attempt).toBe('function');
    expect(typeof attemptInto).toBe('function');
  });

  it('throws RangeError, when encodeInto would write past the buffer', () => {
    expect(() => encodeInto(spec, des({ default: 0 }), new Float32Array(6), 0)).toThrow(RangeError);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order, when serialising', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});
