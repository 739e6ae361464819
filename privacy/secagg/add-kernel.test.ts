/** The WebAssembly add kernel against the plain-JS one and against BigInt arithmetic mod 2^32. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addKernel, KERNEL_CHUNK_BYTES } from './add-kernel.js';

function run(forceJs: boolean, acc: Int32Array, ops: readonly { v: Int32Array; sign: 1 | -1 }[]): Int32Array {
  const k = addKernel(forceJs);
  const a = acc.slice();
  k.load(a);
  for (const op of ops) k.apply(op.v, op.sign);
  k.store(a);
  return a;
}

describe('addKernel', () => {
  it('adds and subtracts lane-wise mod 2^32 like BigInt arithmetic, when lengths are not multiples of 4 and values wrap', () => {
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 67 }), fc.array(fc.constantFrom<1 | -1>(1, -1), { minLength: 1, maxLength: 5 }), fc.infiniteStream(int32), (n, signs, values) => {
        const it = values[Symbol.iterator]();
        const next = (): number => it.next().value as number;
        const acc = Int32Array.from({ length: n }, next);
        const ops = signs.map((sign) => ({ sign, v: Int32Array.from({ length: n }, next) }));
        const want = Int32Array.from(acc, (x, i) => Number(BigInt.asIntN(32, ops.reduce((s, op) => s + BigInt(op.sign) * BigInt(op.v[i]!), BigInt(x)))));
        expect(run(false, acc, ops)).toEqual(want);
        expect(run(true, acc, ops)).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('is the WebAssembly SIMD kernel, when running on Node 20 or later', () => {
    expect(addKernel().kind).toBe('wasm-simd');
    expect(addKernel(true).kind).toBe('js');
  });

  it('leaves entries past the loaded chunk untouched, when the chunk is a subarray of a full-size vector', () => {
    const big = new Int32Array(KERNEL_CHUNK_BYTES / 4 + 8).fill(7);
    const chunk = big.subarray(0, KERNEL_CHUNK_BYTES / 4);
    const k = addKernel();
    k.load(chunk);
    k.apply(new Int32Array(chunk.length).fill(-(2 ** 31)), 1);
    k.store(chunk);
    expect(big[0]).toBe(7 - 2 ** 31);
    expect(big[chunk.length - 1]).toBe(7 - 2 ** 31);
    expect([...big.subarray(chunk.length)]).toEqual(new Array(8).fill(7));
  });
});
