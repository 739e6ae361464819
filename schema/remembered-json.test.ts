/** The read-back memo gives exactly what parsing the JSON would, key order included, or nothing. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonMemo } from './remembered-json.js';
import { parseStoredResult, storedResultJson, type ResultInfo } from './fleet.js';

/** Deep key order as well as values: toStrictEqual does not compare the order of keys. */
const shape = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).map(([k, y]) => [`#${k}`, y])) : x));

/** Values JSON writes lossily: undefined and functions (dropped or null), −0, NaN and ±∞, holes, integer-like keys. */
const lossy = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, -0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, () => 1, '\uD800', 'é'),
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), fc.nat(20).map(String)).filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('jsonMemo', () => {
  it('takes back exactly JSON.parse(JSON.stringify(v)) once, for any JSON-like value', () => {
    const memo = jsonMemo(4);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), lossy, { maxKeys: 6 }), (v) => {
        const json = JSON.stringify(v);
        memo.remember(json, v);
        const want = JSON.parse(json) as unknown;
        const got = memo.take(json);
        expect(got).toStrictEqual(want);
        expect(shape(got)).toBe(shape(want));
        expect(memo.take(json)).toBeUndefined();
      }),
    );
  });

  it('keeps nothing for values it cannot reproduce without the text, and forgets the oldest beyond its capacity', () => {
    const memo = jsonMemo(2);
    const odd: unknown[] = [{ at: new Date(0) }, { b: new Uint8Array(2) }, JSON.parse('{"__proto__":1}'), { m: new Map() }, [Object.create({ x: 1 })]];
    for (const v of odd) memo.remember(JSON.stringify(v), v);
    for (const v of odd) expect(memo.take(JSON.stringify(v))).toBeUndefined();
    for (const k of ['1', '2', '3']) memo.remember(`"${k}"`, k);
    expect(memo.take('"1"')).toBeUndefined();
    expect(memo.take('"3"')).toBe('3');
  });
});

describe('storedResultJson readBack', () => {
  const counts = fc.array(fc.oneof(fc.constant(0), fc.constant(-0), fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 5 }), fc.constant(Number.NaN)), { maxLength: 40 });
  it('makes parseStoredResult return what the text gives, for any counts (packed or not) and optional parts', () => {
    fc.assert(
      fc.property(counts, counts, fc.boolean(), fc.boolean(), (pos, neg, withHistogram, withPrivacy) => {
        const r: ResultInfo = {
          instructionId: 'job-1/r2/a0/evaluate/bank-a', status: 'ok', reason: '', numExamples: 7, metrics: { loss: 0.3 }, headers: [],
          histogram: withHistogram ? { numBins: pos.length, countsPos: pos, countsNeg: neg, sumLogLoss: 1.25, sumBrier: 0.5, numCorrect: 5, numExamples: 7 } : undefined,
          privacy: withPrivacy ? { accountant: 'rdp', epsilonRound: 0.1, epsilonTotal: 0.2, delta: 1e-5, noiseMultiplier: 1.1, sampleRate: 0.01, steps: 3, unit: 'record' } : undefined,
          encodingHash: 'e'.repeat(64), numFeatures: 12, momentsJson: '',
        };
        const json = storedResultJson(r, { readBack: true });
        expect(json).toBe(storedResultJson(r));
        const fromText = parseStoredResult<ResultInfo>(` ${json}`); // a different string: never a memo hit
        const kept = parseStoredResult<ResultInfo>(json);
        expect(kept).toStrictEqual(fromText);
        expect(shape(kept)).toBe(shape(fromText));
        expect(parseStoredResult(json)).not.toBe(kept); // handed out once
      }),
    );
  });
});
