/**
 * Runs hyparquet's row-group decoding on a worker thread with a deadline: a corrupt file can make
 * hyparquet 1.33 loop synchronously or leave unobserved rejections, and neither may hang or crash the
 * daemon or CLI reading it. One thread per process, started on first use, idle without holding the process.
 */
import { Worker } from 'node:worker_threads';
import { tsWorkerSource } from '../../common/ts-worker.js';
import { FedfinError } from '../../common/errors.js';
import type { DecodeRequest, DecodeResponse } from './parquet-decode-worker.js';

/** The default deadline of one row group: generous for real files (≈ 1 µs per cell here), short for a spin. */
export function defaultDecodeTimeoutMs(cells: number): number {
  return 30_000 + Math.ceil(cells / 100);
}

interface Pending {
  readonly resolve: (rows: (string | null | undefined)[][]) => void;
  readonly reject: (err: Error) => void;
}
let thread: { worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 1;

function start(): NonNullable<typeof thread> {
  const worker = new Worker(tsWorkerSource(new URL('./parquet-decode-worker.ts', import.meta.url)), { eval: true });
  const t = { worker, pending: new Map<number, Pending>() };
  const failAll = (why: string): void => {
    if (thread === t) thread = undefined;
    for (const p of t.pending.values()) p.reject(new Error(why));
    t.pending.clear();
  };
  worker.on('message', (res: DecodeResponse) => {
    const p = t.pending.get(res.id);
    t.pending.delete(res.id);
    if (t.pending.size === 0) worker.unref();
    if (res.ok) p?.resolve(res.rows);
    else p?.reject(new Error(res.message));
  });
  worker.on('error', (err) => failAll(`the decoder failed: ${err.message}`));
  worker.on('exit', (code) => failAll(`the decoder exited (code ${code})`));
  worker.unref();
  return t;
}

/**
 * Decodes rows [rowStart, rowEnd) of a Parquet file; each row's cells as text in `header` order.
 * `openingId` is unique per opening of the file (a file rewritten under the same name is re-read).
 * @throws FedfinError('data-invalid') naming the file and rows: hyparquet's own error, a crash of the
 *   decoder, or no answer within `timeoutMs` (the thread is then terminated and replaced on next use).
 */
export async function decodeRowGroup(file: string, openingId: number, rowStart: number, rowEnd: number, header: readonly string[], timeoutMs = defaultDecodeTimeoutMs((rowEnd - rowStart) * header.length)): Promise<(string | null | undefined)[][]> {
  const t = (thread ??= start());
  const id = nextId++;
  const where = `${file}: rows ${rowStart + 1}–${rowEnd}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise((resolve, reject) => {
      t.pending.set(id, { resolve, reject });
      t.worker.ref();
      timer = setTimeout(() => {
        if (thread === t) thread = undefined;
        t.pending.delete(id);
        void t.worker.terminate();
        reject(new FedfinError('data-invalid', `${where}: decoding did not finish within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}: the row group is corrupt (or too large for the deadline)`));
      }, timeoutMs);
      t.worker.postMessage({ id, file, openingId, rowStart, rowEnd, header } satisfies DecodeRequest);
    });
  } catch (err) {
    if (err instanceof FedfinError) throw err;
    throw new FedfinError('data-invalid', `${where}: cannot decode the row group (${(err as Error).message})`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
