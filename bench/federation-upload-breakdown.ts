/** The coordinator's own steps on one uploaded update, timed alone: where the upload's time goes beyond grpc-js. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWeights } from '../common/weights-codec.js';
import type { Weights } from '../common/weights.js';
import type { OpenInstruction } from '../coordinator/fleet/dispatcher.js';
import { validateResult } from '../coordinator/result-validation.js';
import { openSqliteStore } from '../coordinator/store/sqlite-store.js';
import { updateFromBytes } from '../coordinator/transport/fleet-codec.js';
import { CHUNK_BYTES, type ResultInfo } from '../schema/fleet.js';
import { median } from './federation-timing.js';

/** Medians in CPU ms (user + system) of each step the coordinator runs for one update (4 MB for the 1M-parameter model). */
export interface UploadBreakdown {
  readonly runs: number;
  /** Copying the received chunks into one buffer (fleet-service.ts). */
  readonly reassembleMs: number;
  /** The update's tensors as views of that buffer (`updateFromBytes`). */
  readonly decodeMs: number;
  /** `validateResult`: structure, finiteness of every value, example count. */
  readonly validateMs: number;
  /** `saveResult`: the result row, on the upload's path before the acknowledgement. */
  readonly resultRowMs: number;
  /**
   * `listResults` of the stage: writes the update's 4 MB in one transaction (synchronous = FULL) when the
   * stage is collected — off the upload path; the old design paid this before acknowledging.
   */
  readonly updateWriteMs: number;
}

/**
 * Times each step `runs` times on `update` (after one warm-up) in CPU time and returns the medians. The
 * store is a real SQLite file in a temp dir, as the coordinator's (fsync waits are not CPU time).
 */
export async function benchUploadBreakdown(update: Weights, runs: number): Promise<UploadBreakdown> {
  const { headers, bytes } = encodeWeights(update);
  const chunks: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += CHUNK_BYTES) chunks.push(bytes.subarray(off, Math.min(bytes.length, off + CHUNK_BYTES)));
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bench-breakdown-'));
  const store = openSqliteStore(dir);
  const t = { reassemble: [] as number[], decode: [] as number[], validate: [] as number[], row: [] as number[], write: [] as number[] };
  // CPU time of this process (user + system), not wall time: on a shared machine a 2 ms step is often
  // descheduled half-way, and the steps are pure CPU work plus SQLite's writes.
  const cpuMs = (c0: NodeJS.CpuUsage): number => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const timed = <T>(into: number[], fn: () => T): T => {
    const c0 = process.cpuUsage();
    const out = fn();
    into.push(cpuMs(c0));
    return out;
  };
  try {
    for (let i = 0; i <= runs; i++) {
      const round = i + 1;
      const instructionId = `bench-job/r${round}/a1/fit/bench-bank`;
      const open: OpenInstruction = {
        memberId: 'bench-bank',
        headers,
        modelBytes: bytes,
        info: { instructionId, jobId: 'bench-job', round, stage: 'fit', jobSpecJson: '{}', roundConfig: {}, modelBytes: bytes.length, numBanks: 1, deadlineUnixMs: Date.now() + 60_000, encodingStatsJson: '{}' },
      };
      const result: ResultInfo = { instructionId, status: 'ok', reason: '', numExamples: 100, metrics: {}, headers, histogram: undefined, privacy: undefined, encodingHash: '', numFeatures: 0, momentsJson: '' };
      const buf = timed(t.reassemble, () => {
        const b = new Uint8Array(bytes.length);
        let off = 0;
        for (const c of chunks) {
          b.set(c, off);
          off += c.length;
        }
        return b;
      });
      const weights = timed(t.decode, () => updateFromBytes(headers, buf));
      timed(t.validate, () => validateResult(open, result, weights, false));
      const row = process.cpuUsage();
      await store.saveResult({ instructionId, jobId: 'bench-job', round, stage: 'fit', memberId: 'bench-bank', headerJson: JSON.stringify(result), weights, receivedAt: new Date().toISOString() });
      t.row.push(cpuMs(row));
      const write = process.cpuUsage();
      const listed = await store.listResults('bench-job', round, 'fit');
      t.write.push(cpuMs(write));
      if (listed.length !== 1) throw new Error(`upload breakdown: expected one stored result for round ${round}, got ${listed.length}`);
      await store.clearRound('bench-job', round);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (xs: number[]): number => median(xs.slice(1)); // the first pass is the warm-up
  return { runs, reassembleMs: m(t.reassemble), decodeMs: m(t.decode), validateMs: m(t.validate), resultRowMs: m(t.row), updateWriteMs: m(t.write) };
}
