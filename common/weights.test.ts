/** Tests of the weights helpers whose implementation is tuned for speed. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allFinite } from './weights.js';

describe('allFinite', () => {
  it('agrees with Number.isFinite on every value, for any float32 tensors including NaN, ±∞ and −0', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ noNaN: false, noDefaultInfinity: false }), { maxLength: 30 }), { minLength: 1, maxLength: 4 }), (tensors) => {
        const w = tensors.map((v, i) => ({ name: `t${i}`, shape: [v.length], values: Float32Array.from(v) }));
        expect(allFinite(w)).toBe(w.every((t) => Array.from(t.values).every(Number.isFinite)));
      }),
    );
  });

  it('rejects a single non-finite value at the end of a large tensor, when every other value is finite', () => {
    const v = new Float32Array(100_001).fill(3.4e38);
    expect(allFinite([{ name: 'k', shape: [v.length], values: v }])).toBe(true);
    v[100_000] = -Infinity;
    expect(allFinite([{ name: 'k', shape: [v.length], values: v }])).toBe(false);
  });
});
