/** Σ of Uint32 vectors mod M = 2^b, chunk by chunk through the WebAssembly add kernel (the coordinator's hot loop). */
import { addKernel, KERNEL_CHUNK_BYTES } from '../add-kernel.js';

/**
 * Σ vectors mod M for M a power of two ≤ 2^32: each 64 KiB chunk of the accumulator is loaded once and
 * every vector's chunk added while it is hot; wrapping mod 2^32 then masking to b bits gives the residue.
 * @param vectors equal-length vectors (at least one).
 * @param modulus a power of two in [2, 2^32].
 * @returns a new vector.
 */
export function addVectors(vectors: readonly Uint32Array[], modulus: number): Uint32Array {
  const n = vectors[0]!.length;
  const out = new Uint32Array(n);
  const kernel = addKernel();
  const o32 = new Int32Array(out.buffer);
  const v32 = vectors.map((v) => new Int32Array(v.buffer, v.byteOffset, v.length));
  const mask = modulus === 2 ** 32 ? -1 : modulus - 1;
  const step = KERNEL_CHUNK_BYTES / 4;
  for (let off = 0; off < n; off += step) {
    const end = Math.min(n, off + step);
    const chunk = o32.subarray(off, end);
    kernel.load(chunk);
    for (const v of v32) kernel.apply(v.subarray(off, end), 1);
    kernel.store(chunk);
    if (mask !== -1) for (let i = off; i < end; i++) o32[i] = o32[i]! & mask;
  }
  return out;
}
