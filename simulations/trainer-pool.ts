/**
 * A pool of worker threads, each with its own tfjs (wasm) runtime, that runs simulated banks' fit and
 * evaluate calls in parallel. Each call carries the seed of the bank's trainer, so a pooled run gives the
 * same numbers as a single-thread run with `seededTrainers` (simulation only: noise from a seeded stream).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { tsWorkerSource } from '../common/ts-worker.js';
import { FedfinError, type FedfinErrorCode } from '../common/errors.js';
import type { Weights } from '../common/weights.js';
import type { Dataset, EvaluateOutcome, FitOutcome, RoundConfig, Trainer } from '../client/trainer/trainer.js';
import type { ModelSpec } from '../tasks/models/model-spec.js';
import type { TrainerFactory } from './federation-run.js';

/**
 * A call sent to a worker. `dataId` names the bank's encoded split; `data` travels only the first time
 * this worker sees it (the worker keeps it until a `forget`).
 */
export type PoolRequest =
  | { readonly id: number; readonly op: 'fit' | 'evaluate'; readonly model: ModelSpec; readonly seed: string; readonly weights: Weights; readonly dataId: number; readonly data?: Dataset; readonly config: RoundConfig }
  | { readonly op: 'forget'; readonly dataId: number };
/** A worker's answer. */
export type PoolResponse =
  | { readonly id: number; readonly ok: true; readonly fit?: FitOutcome; readonly evaluate?: EvaluateOutcome; readonly memory: number; readonly cpuMs?: number }
  | { readonly id: number; readonly ok: false; readonly error: { name: string; message: string; code?: string } };

/** A running pool. */
export interface TrainerPool {
  readonly size: number;
  /** Trainers for simulated banks, seeded like `seededTrainers(seed)`. */
  trainers(seed: number): TrainerFactory;
  /** Peak resident memory a worker reported (bytes), per worker. */
  peakWorkerRss(): number[];
  /** Each worker thread's CPU milliseconds as of its latest answer (0 before any; Linux only, see thread-cpu.ts). */
  workerCpuMs(): number[];
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  peakRss: number;
  cpuMs: number;
  /** Examples of the datasets placed here, by operation: what a round of calls costs this worker. */
  readonly load: { fit: number; evaluate: number };
}

/**
 * Starts `workers` threads (default: the cores available). Each bank's dataset has a home worker (below);
 * a worker runs its calls one at a time, in arrival order.
 * @throws RangeError for a size outside [1, 256].
 */
export async function createTrainerPool(o: { workers?: number } = {}): Promise<TrainerPool> {
  const size = o.workers ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError(`createTrainerPool: "workers" expected an integer in [1, 256], got ${size}`);
  const pending = new Map<number, { resolve: (r: PoolResponse) => void; reject: (e: Error) => void }>();
  const source = tsWorkerSource(new URL('./trainer-worker.ts', import.meta.url));
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;
  for (let i = 0; i < size; i++) {
    const worker = new Worker(source, { eval: true, env: process.env });
    const slot: Slot = { worker, peakRss: 0, cpuMs: 0, load: { fit: 0, evaluate: 0 } };
    worker.on('message', (res: PoolResponse) => {
      if (res.ok) {
        slot.peakRss = Math.max(slot.peakRss, res.memory);
        slot.cpuMs = res.cpuMs ?? slot.cpuMs;
      }
      pending.get(res.id)?.resolve(res);
      pending.delete(res.id);
    });
    worker.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    worker.on('exit', (code) => {
      if (closed) return;
      const err = new FedfinError('internal', `a training worker exited (code ${code})`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    slots.push(slot);
  }

  // The daemon hands the same Dataset object every round (client/handlers/encoding.ts caches it). Each dataset
  // has one home worker, chosen when first seen: the one with the fewest examples of that operation placed so
  // far (greedy, by examples: a fit costs in proportion to them). It is copied there once and dropped there
  // when the bank's process-side copy is collected. A fixed home balances every round (calls arriving in a
  // different order each round cannot pile onto one worker) and keeps one copy of each dataset.
  const homes = new WeakMap<Dataset, { dataId: number; slot: Slot }>();
  let nextDataId = 1;
  const forget = new FinalizationRegistry<{ dataId: number; slot: Slot; op: 'fit' | 'evaluate'; examples: number }>((h) => {
    h.slot.load[h.op] -= h.examples;
    if (!closed) h.slot.worker.postMessage({ op: 'forget', dataId: h.dataId } satisfies PoolRequest);
  });
  const homeOf = (data: Dataset, op: 'fit' | 'evaluate'): { dataId: number; slot: Slot; first: boolean } => {
    const known = homes.get(data);
    if (known) return { ...known, first: false };
    const slot = slots.reduce((a, b) => (b.load[op] < a.load[op] ? b : a));
    const home = { dataId: nextDataId++, slot };
    slot.load[op] += data.numExamples;
    homes.set(data, home);
    forget.register(data, { ...home, op, examples: data.numExamples });
    return { ...home, first: true };
  };

  type CallArgs = { op: 'fit' | 'evaluate'; model: ModelSpec; seed: string; weights: Weights; data: Dataset; config: RoundConfig };
  const call = ({ data, ...req }: CallArgs, signal: AbortSignal): Promise<PoolResponse> => {
    if (closed) return Promise.reject(new FedfinError('internal', 'the trainer pool is closed'));
    signal.throwIfAborted();
    const { dataId, slot, first } = homeOf(data, req.op);
    const id = nextId++;
    return new Promise<PoolResponse>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        resolve: (r) => (signal.removeEventListener('abort', onAbort), resolve(r)),
        reject: (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
      });
      // Copies, not transfers: the bank keeps its dataset and the caller its weights.
      slot.worker.postMessage({ ...req, id, dataId, ...(first ? { data } : {}) } satisfies PoolRequest);
    });
  };
  const unwrap = (r: PoolResponse): PoolResponse & { ok: true } => {
    if (r.ok) return r;
    throw r.error.code ? new FedfinError(r.error.code as FedfinErrorCode, r.error.message) : new Error(r.error.message);
  };

  return {
    size,
    trainers(seed) {
      return (memberId) => {
        let n = 0;
        return (model): Trainer => {
          const trainerSeed = `${seed}:trainer:${memberId}:${n++}`;
          return {
            async fit(weights, data, config, signal) {
              return unwrap(await call({ op: 'fit', model, seed: trainerSeed, weights, data, config }, signal)).fit!;
            },
            async evaluate(weights, data, config, signal) {
              return unwrap(await call({ op: 'evaluate', model, seed: trainerSeed, weights, data, config }, signal)).evaluate!;
            },
          };
        };
      };
    },
    peakWorkerRss: () => slots.map((s) => s.peakRss),
    workerCpuMs: () => slots.map((s) => s.cpuMs),
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
