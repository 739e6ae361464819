/** Tests of the coordinator's Fleet codec: an uploaded update's tensors as views of the reassembly buffer. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWeights, encodeWeights } from '../../common/weights-codec.js';
import { updateFromBytes } from './fleet-codec.js';

describe('updateFromBytes', () => {
  it('returns the same tensors as decodeWeights, as views of the buffer it is given, for any weights', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ noNaN: false }), { maxLength: 20 }), { minLength: 1, maxLength: 4 }), (tensors) => {
        const { headers, bytes } = encodeWeights(tensors.map((v, i) => ({ name: `t${i}`, shape: [v.length], values: Float32Array.from(v) })));
        const views = updateFromBytes(headers, bytes);
        expect(views).toEqual(decodeWeights(headers, bytes));
        for (const t of views) expect(t.values.buffer).toBe(bytes.buffer);
      }),
    );
  });

  it('rejects a byte count that does not match the headers and an invalid shape, naming the tensor', () => {
    const headers = [{ name: 'dense_0/kernel', shape: [3, 1] }];
    expect(() => updateFromBytes(headers, new Uint8Array(8))).toThrow('expected 12 bytes for 1 tensors, got 8');
    expect(() => updateFromBytes([{ name: 'dense_0/bias', shape: [-1] }], new Uint8Array(0))).toThrow('tensor "dense_0/bias" has an invalid shape [-1]');
  });

  it('copies instead of aliasing when the buffer is not 4-byte aligned', () => {
    const backing = new Uint8Array(9);
    const bytes = backing.subarray(1);
    new DataView(bytes.buffer, 1).setFloat32(0, 1.5, true);
    const [t] = updateFromBytes([{ name: 'x', shape: [2] }], bytes);
    expect(Array.from(t!.values)).toEqual([1.5, 0]);
  });
});
