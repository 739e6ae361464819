/** Properties and guards for L2 clipping. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { l2Norm, type Weights } from '../../common/weights.js';
import { clipL2, clipL2InPlace, clipWeights } from './clip.js';

const floats = fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
const vector = fc.array(floats, { minLength: 0, maxLength: 64 }).map((a) => Float32Array.from(a));
const norm = fc.double({ min: 1e-6, max: 1e4, noNaN: true });
const weightsArb: fc.Arbitrary<Weights> = fc
  .array(vector, { minLength: 1, maxLength: 5 })
  .map((vs) => vs.map((values, i) => ({ name: `t${i}`, shape: [values.length], values })));

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

describe('clipL2', () => {
  it('leaves the result within the clipping norm, for any finite vector and norm', () => {
    fc.assert(
      fc.property(vector, norm, (v, c) => {
        const r = clipL2(v, c);
        expect(l2Norm([{ name: 'v', shape: [r.values.length], values: r.values }])).toBeLessThanOrEqual(c);
      }),
      { numRuns: 500 },
    );
  });

  it('returns a bit-identical copy with scale 1, when the vector is already inside the norm', () => {
    fc.assert(
      fc.property(vector, (v) => {
        const n = l2Norm([{ name: 'v', shape: [v.length], values: v }]);
        const r = clipL2(v, n > 0 ? n : 1);
        expect(r.scale).toBe(1);
        expect(r.values).not.toBe(v);
        expect(bits(r.values)).toEqual(bits(v));
      }),
    );
  });

  it('scales to exactly the norm direction, when the vector is outside', () => {
    const r = clipL2(Float32Array.from([3, 4]), 1);
    expect(r.norm).toBe(5);
    expect(r.values[0]).toBeCloseTo(0.6, 6);
    expect(r.values[1]).toBeCloseTo(0.8, 6);
    expect(r.scale).toBeCloseTo(0.2, 6);
  });

  it('throws a RangeError naming the index, when a value is NaN or infinite', () => {
    expect(() => clipL2(Float32Array.from([1, Number.NaN]), 1)).toThrow('clipL2: "values" expected finite values, got NaN at index 1');
    expect(() => clipL2(Float32Array.from([Infinity]), 1)).toThrow(RangeError);
  });

  it('throws a RangeError, when the clipping norm is not positive and finite', () => {
    for (const c of [0, -1, Number.NaN, Infinity]) expect(() => clipL2(new Float32Array(2), c)).toThrow(RangeError);
  });
});

describe('clipL2InPlace', () => {
  it('overwrites the vector with the clipped values, when outside the norm', () => {
    const v = Float32Array.from([0, 10]);
    const r = clipL2InPlace(v, 2);
    expect(r.norm).toBe(10);
    expect([...v]).toEqual([0, 2]);
  });
});

describe('clipWeights', () => {
  it('bounds the overall norm by C, when clipping flat', () => {
    fc.assert(
      fc.property(weightsArb, norm, (w, c) => {
        const r = clipWeights(w, c);
        expect(l2Norm(r.weights)).toBeLessThanOrEqual(c);
        expect(r.clipped).toBe(r.norm > c);
        expect(new Set(r.scales).size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('bounds each tensor by its C_j and the whole by sqrt(Σ C_j²), when clipping per layer', () => {
    fc.assert(
      fc.property(
        weightsArb.chain((w) => fc.tuple(fc.constant(w), fc.array(norm, { minLength: w.length, maxLength: w.length }))),
        ([w, cs]) => {
          const r = clipWeights(w, cs);
          r.weights.forEach((t, j) => expect(l2Norm([t])).toBeLessThanOrEqual(cs[j]!));
          expect(l2Norm(r.weights)).toBeLessThanOrEqual(Math.sqrt(cs.reduce((s, c) => s + c * c, 0)) * (1 + 1e-12));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns bit-identical copies and does not modify the input, when inside the norm', () => {
    const w: Weights = [
      { name: 'a', shape: [2], values: Float32Array.from([0.1, -0.2]) },
      { name: 'b', shape: [1], values: Float32Array.from([0.3]) },
    ];
    const r = clipWeights(w, 10);
    expect(r.clipped).toBe(false);
    expect(r.weights[0]!.values).toEqual(w[0]!.values);
    expect(r.weights[0]!.values).not.toBe(w[0]!.values);
    const big = clipWeights(w, [0.1, 1]);
    expect(big.scales[1]).toBe(1);
    expect(big.scales[0]).toBeLessThan(1);
    expect([...w[0]!.values]).toEqual([Math.fround(0.1), Math.fround(-0.2)]);
  });

  it('names the tensor in the RangeError, when a tensor holds NaN', () => {
    const w: Weights = [
      { name: 'dense/kernel', shape: [1], values: Float32Array.from([1]) },
      { name: 'dense/bias', shape: [2], values: Float32Array.from([1, Number.NaN]) },
    ];
    expect(() => clipWeights(w, 1)).toThrow('clipWeights: "weights[1] (dense/bias)" expected finite values, got NaN at index 1');
  });

  it('rejects wrong per-layer lists and bad norms, when the arguments are invalid', () => {
    const w: Weights = [{ name: 'a', shape: [1], values: Float32Array.from([1]) }];
    expect(() => clipWeights(w, [1, 2])).toThrow(RangeError);
    expect(() => clipWeights(w, [0])).toThrow('clipWeights: "clippingNorm[0]" expected positive finite number, got 0');
    expect(() => clipWeights(w, -1)).toThrow(RangeError);
    expect(() => clipWeights({} as never, 1)).toThrow(TypeError);
    expect(() => clipWeights([{ name: 'a', shape: [1], values: [1] }] as never, 1)).toThrow(TypeError);
  });
});
