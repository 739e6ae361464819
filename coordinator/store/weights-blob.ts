/** Weights ⇄ SQLite blobs for the store, and the accepted fit updates whose bytes are not written yet. */
import { decodeWeights, encodeWeights, type TensorHeader } from '../../common/weights-codec.js';
import type { Weights } from '../../common/weights.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The tensors' bytes without a copy when they are consecutive views of one buffer (as a decoded upload is). */
function contiguousBytes(w: Weights): Buffer | undefined {
  const first = w[0]?.values;
  if (!LITTLE_ENDIAN || !first) return undefined;
  let end = first.byteOffset;
  for (const t of w) {
    if (t.values.buffer !== first.buffer || t.values.byteOffset !== end) return undefined;
    end += t.values.byteLength;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** Tensor headers as JSON plus the little-endian float32 bytes (a view, not a copy, when possible). */
export function toBlob(w: Weights): { headers: string; blob: Buffer } {
  const headers = JSON.stringify(w.map((t) => ({ name: t.name, shape: [...t.shape] })));
  const view = contiguousBytes(w);
  if (view) return { headers, blob: view };
  const { bytes } = encodeWeights(w);
  return { headers, blob: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Inverse of {@link toBlob}; the result owns its memory. */
export function fromBlob(headers: string, blob: Buffer): Weights {
  return decodeWeights(JSON.parse(headers) as TensorHeader[], new Uint8Array(blob));
}

/** Accepted fit updates held in memory until their stage is listed: instruction id → update. */
export class PendingUpdates {
  private readonly byId = new Map<string, { jobId: string; round: number; stage: string; weights: Weights }>();

  add(instructionId: string, jobId: string, round: number, stage: string, weights: Weights): void {
    this.byId.set(instructionId, { jobId, round, stage, weights });
  }

  /** Removes and returns the stage's updates. */
  takeStage(jobId: string, round: number, stage: string): Map<string, Weights> {
    const out = new Map<string, Weights>();
    for (const [id, p] of this.byId) {
      if (p.jobId !== jobId || p.round !== round || p.stage !== stage) continue;
      out.set(id, p.weights);
      this.byId.delete(id);
    }
    return out;
  }

  /** Forgets the round's updates (the round was committed, retried or aborted). */
  dropRound(jobId: string, round: number): void {
    for (const [id, p] of this.byId) if (p.jobId === jobId && p.round === round) this.byId.delete(id);
  }
}
