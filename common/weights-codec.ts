/** Weights ⇄ bytes: tensors as concatenated little-endian float32 plus a header list — the wire and storage format. */
import { endianness } from 'node:os';
import { shapeSize, type Weights } from './weights.js';

/** Name and shape of one tensor; the values live in the shared byte buffer. */
export interface TensorHeader {
  readonly name: string;
  readonly shape: readonly number[];
}

const LITTLE = endianness() === 'LE';

/** Concatenates all tensors as little-endian float32 bytes. */
export function encodeWeights(weights: Weights): { headers: TensorHeader[]; bytes: Uint8Array } {
  const total = weights.reduce((n, t) => n + t.values.length, 0);
  const out = new Float32Array(total);
  let off = 0;
  for (const t of weights) {
    out.set(t.values, off);
    off += t.values.length;
  }
  const bytes = new Uint8Array(out.buffer);
  if (!LITTLE) swap32(bytes);
  return { headers: weights.map((t) => ({ name: t.name, shape: [...t.shape] })), bytes };
}

/**
 * Rebuilds weights from headers and bytes.
 * @throws RangeError when the byte length does not match the headers' shapes (truncated upload) or a shape is invalid.
 */
export function decodeWeights(headers: readonly TensorHeader[], bytes: Uint8Array): Weights {
  let expected = 0;
  for (const h of headers) {
    if (!h.shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 1e9)) throw new RangeError(`decodeWeights: tensor "${h.name}" has an invalid shape [${h.shape.join(', ')}]`);
    expected += shapeSize(h.shape);
  }
  if (bytes.length !== expected * 4) throw new RangeError(`decodeWeights: expected ${expected * 4} bytes for ${headers.length} tensors, got ${bytes.length}`);
  const copy = bytes.slice();
  if (!LITTLE) swap32(copy);
  const all = new Float32Array(copy.buffer, copy.byteOffset, expected);
  let off = 0;
  return headers.map((h) => {
    const n = shapeSize(h.shape);
    const values = all.subarray(off, off + n);
    off += n;
    return { name: h.name, shape: [...h.shape], values };
  });
}

function swap32(b: Uint8Array): void {
  for (let i = 0; i + 3 < b.length; i += 4) {
    const a0 = b[i]!;
    const a1 = b[i + 1]!;
    b[i] = b[i + 3]!;
    b[i + 1] = b[i + 2]!;
    b[i + 2] = a1;
    b[i + 3] = a0;
  }
}
