/** `npm run bench -- tls`: federated round time with mutual TLS vs --insecure on loopback, 3 and 10 banks, a 1M-parameter model. */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelCredentials } from '../client/transport/credentials.js';
import { GrpcLink } from '../client/transport/grpc-link.js';
import { silentLogger } from '../common/log.js';
import { encodeWeights } from '../common/weights-codec.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { openSqliteStore } from '../coordinator/store/sqlite-store.js';
import { loadProtos } from '../proto/loader.js';
import type { InstructionInfo, ResultInfo } from '../schema/fleet.js';
import { LAYOUT, provisionFederation } from '../security/provision.js';
import { median } from './federation-timing.js';
import { runBenchGroup, type BenchPart, type PartResult } from './summary.js';

/** 999,999 features + bias: a 1,000,000-parameter logistic model (4 MB per update). */
const FEATURES = 999_999;
const TARGET = 1.2;

/**
 * A bank that does everything a daemon does on the wire — join, long-poll, download the model in chunks, upload an
 * update of the same size, answer stats and evaluate — but trains nothing: the benchmark isolates the transport.
 */
async function wireBank(link: GrpcLink, memberId: string, signal: AbortSignal): Promise<void> {
  await link.join({ memberId, acceptedTasks: ['credit-scoring'], tfBackend: 'none', softwareVersion: 'bench' });
  const base = (ins: InstructionInfo): ResultInfo => ({ instructionId: ins.instructionId, status: 'ok', reason: '', numExamples: 100, metrics: { loss: 0.5 }, headers: [], histogram: undefined, privacy: undefined, encodingHash: 'ab'.repeat(32), numFeatures: FEATURES, momentsJson: '' });
  while (!signal.aborted) {
    const ins = await link.pull(1000, signal).catch(() => undefined);
    if (!ins) continue;
    if (ins.stage === 'stats') await link.push({ ...base(ins), momentsJson: JSON.stringify({ amount: { count: 100, sum: 1000, sumSq: 10_400 } }) }, undefined);
    else if (ins.stage === 'evaluate') await link.push({ ...base(ins), histogram: { numBins: 4, countsPos: [0, 1, 2, 7], countsNeg: [6, 2, 1, 1], sumLogLoss: 5, sumBrier: 2, numCorrect: 15, numExamples: 20 } }, undefined);
    else {
      const w = await link.download(ins, signal);
      const updated = w.map((t) => ({ ...t, values: t.values.map((v) => v + 0.001) }));
      const { headers, bytes } = encodeWeights(updated);
      await link.push({ ...base(ins), headers }, bytes);
    }
  }
}

/** Median round time (ms) of `rounds` rounds after a warm-up round, with `banks` wire banks, over mTLS or plaintext. */
async function roundTime(banks: number, rounds: number, tls: boolean, fedDir: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bench-tls-'));
  const store = openSqliteStore(dir);
  const coordinator = new Coordinator({ store, logger: silentLogger, address: '127.0.0.1:0', ...(tls ? { kit: join(fedDir, LAYOUT.kit('coordinator')) } : { credentials: grpc.ServerCredentials.createInsecure() }), heartbeatIntervalMs: 500, maxWaitMs: 1000, maxMessageBytes: 16 * 1024 * 1024 });
  const stop = new AbortController();
  const links: GrpcLink[] = [];
  const runs: Promise<void>[] = [];
  try {
    const port = await coordinator.start();
    const address = `localhost:${port}`;
    for (let i = 0; i < banks; i++) {
      const id = `bank-${i}`;
      const link = new GrpcLink(address, { callTimeoutMs: 60_000, ...(tls ? { security: { mode: 'mtls', kitDir: join(fedDir, LAYOUT.kit(id)) } } : {}) });
      links.push(link);
      runs.push(wireBank(link, id, stop.signal).catch(() => undefined));
    }
    const admin = new (loadProtos().admin.fedfin.v1.Admin)(address, tls ? channelCredentials({ mode: 'mtls', kitDir: join(fedDir, LAYOUT.kit('bench-admin')) }) : grpc.credentials.createInsecure());
    const spec = { name: 'bench-tls', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: rounds + 1, minBanks: banks, timeouts: { fitMs: 300_000, evaluateMs: 300_000 } };
    const jobId = await new Promise<string>((resolve, reject) => admin.SubmitJob({ spec_json: JSON.stringify(spec) }, { deadline: Date.now() + 30_000 }, (e, r) => (e || !r ? reject(e ?? new Error('no job')) : resolve(r.job_id))));
    admin.close();
    await coordinator.waitForJob(jobId);
    const job = await store.getJob(jobId);
    if (job?.status !== 'completed') throw new Error(`bench tls: job ${job?.status ?? 'missing'}: ${job?.reason ?? ''}`);
    const done = (await store.listRounds(jobId)).map((r) => Date.parse(r.completedAt));
    return median(done.slice(1).map((t, i) => t - done[i]!));
  } finally {
    stop.abort();
    for (const l of links) l.close();
    await Promise.allSettled(runs);
    await coordinator.stop(500);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** For 3 and 10 banks: insecure, mTLS, mTLS, insecure (ABBA, so load drift cancels), `rounds` rounds each. */
async function measure(args: string[]): Promise<PartResult> {
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 4);
  const fedDir = mkdtempSync(join(tmpdir(), 'fedfin-bench-fed-'));
  try {
    await provisionFederation({ federation: 'bench', members: Array.from({ length: 10 }, (_, i) => `bank-${i}`), admins: [{ id: 'bench-admin', role: 'admin' }], coordinatorHost: 'localhost', outDir: fedDir });
    const result: Record<string, unknown> = {};
    const rows: PartResult['rows'][number][] = [];
    const lines = ['tls: round time of a 1M-parameter logistic model (4 MB down + 4 MB up per bank), wire-only banks, loopback', 'banks  insecure ms  mTLS ms  ratio'];
    for (const banks of [3, 10]) {
      const plain: number[] = [];
      const tls: number[] = [];
      for (const secure of [false, true, true, false]) (secure ? tls : plain).push(await roundTime(banks, rounds, secure, fedDir));
      const ratio = median(tls) / median(plain);
      result[`banks${banks}`] = { insecureMs: plain, mtlsMs: tls, ratio };
      lines.push(`${String(banks).padStart(5)}  ${median(plain).toFixed(0).padStart(11)}  ${median(tls).toFixed(0).padStart(7)}  ${ratio.toFixed(3)}`);
      rows.push({ metric: `round time mTLS / insecure, ${banks} banks`, value: ratio, unit: '×', target: `≤ ${TARGET}`, ok: ratio <= TARGET });
    }
    return { result, rows, text: lines.join('\n') };
  } finally {
    rmSync(fedDir, { recursive: true, force: true });
  }
}

const PARTS: readonly BenchPart[] = [['round', async () => ({ measure })]];

/** Entry of `npm run bench -- tls [--rounds=N] [--json]`. */
export async function run(args: string[]): Promise<void> {
  await runBenchGroup('tls', PARTS, args);
}
