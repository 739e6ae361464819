/** A training worker thread of the trainer pool: tfjs (wasm) trainers built from a seed, fit/evaluate by message. */
import { parentPort } from 'node:worker_threads';
import { silentLogger } from '../common/log.js';
import { seededRandom } from '../common/seeded-random.js';
import { createTfjsTrainer } from '../client/trainer/tfjs-trainer.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import type { Dataset } from '../client/trainer/trainer.js';
import { threadCpuMs } from './thread-cpu.js';
import type { PoolRequest, PoolResponse } from './trainer-pool.js';

const port = parentPort;
if (!port) throw new Error('trainer-worker.ts runs as a worker thread only');
const ready = initTfBackend(silentLogger);
const never = new AbortController().signal;

/** The banks' encoded splits this worker holds, by the pool's dataset id. */
const datasets = new Map<number, Dataset>();
/**
 * Calls run one at a time, in arrival order: each answer goes back as soon as its call ends, so the
 * coordinator takes in results while this thread trains the next bank (interleaving every queued fit
 * would finish them all together at the end), and only one bank's tensors are live at a time.
 */
let tail: Promise<unknown> = Promise.resolve();

port.on('message', (req: PoolRequest) => {
  // In the queue too: a call still waiting for this dataset runs first.
  if (req.op === 'forget') return void (tail = tail.then(() => datasets.delete(req.dataId)));
  if (req.data) datasets.set(req.dataId, req.data);
  const run = async (): Promise<PoolResponse> => {
    try {
      await ready;
      const data = datasets.get(req.dataId);
      if (!data) throw new Error(`trainer worker: dataset ${req.dataId} was never sent to this worker`);
      // The same stream seededTrainers would give this bank's trainer: pool and single thread agree bit for bit.
      const trainer = createTfjsTrainer({ model: req.model, rng: seededRandom(req.seed) });
      if (req.op === 'fit') {
        const out = await trainer.fit(req.weights, data, req.config, never);
        return { id: req.id, ok: true, fit: out, memory: process.memoryUsage.rss(), cpuMs: threadCpuMs() };
      }
      const out = await trainer.evaluate(req.weights, data, req.config, never);
      return { id: req.id, ok: true, evaluate: out, memory: process.memoryUsage.rss(), cpuMs: threadCpuMs() };
    } catch (err) {
      const e = err as Error & { code?: string };
      return { id: req.id, ok: false, error: { name: e.name, message: e.message, code: e.code } };
    }
  };
  const done = tail.then(run);
  tail = done;
  void done.then((res) => {
    const transfer = res.ok && res.fit ? [...new Set(res.fit.weights.map((t) => t.values.buffer as ArrayBuffer))] : res.ok && res.evaluate ? [res.evaluate.scores.buffer as ArrayBuffer] : [];
    port.postMessage(res, transfer);
  });
});
