import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWeights, encodeWeights } from './weights-codec.js';

describe('weights codec', () => {
  it('round-trips any weights bit for bit', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ noNaN: false }), { maxLength: 20 }), { minLength: 1, maxLength: 5 }), (tensors) => {
        const w = tensors.map((v, i) => ({ name: `t${i}`, shape: [v.length], values: Float32Array.from(v) }));
        const { headers, bytes } = encodeWeights(w);
        const back = decodeWeights(headers, bytes);
        back.forEach((t, i) => expect(Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength)).toEqual(Buffer.from(w[i]!.values.buffer)));
      }),
    );
  });

  it('writes little-endian float32', () => {
    expect(Array.from(encodeWeights([{ name: 'x', shape: [1], values: Float32Array.of(1) }]).bytes)).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('rejects a truncated buffer, naming the sizes', () => {
    expect(() => decodeWeights([{ name: 'x', shape: [2, 2] }], new Uint8Array(12))).toThrow('expected 16 bytes for 1 tensors, got 12');
  });
});
