/** Upload of a 1M-parameter update through the real Fleet PushResult path vs raw loopback TCP of the same bytes. */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcLink } from '../client/transport/grpc-link.js';
import { silentLogger } from '../common/log.js';
import { encodeWeights } from '../common/weights-codec.js';
import type { Weights } from '../common/weights.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { Dispatcher, type OpenInstruction } from '../coordinator/fleet/dispatcher.js';
import { MemberRegistry } from '../coordinator/fleet/member-registry.js';
import { validateResult } from '../coordinator/result-validation.js';
import { createFleetService } from '../coordinator/transport/fleet-service.js';
import { loadProtos } from '../proto/loader.js';
import { openSqliteStore } from '../coordinator/store/sqlite-store.js';
import type { PushResultMessage__Output } from '../proto/generated/fedfin/v1/PushResultMessage.js';
import type { ResultInfo } from '../schema/fleet.js';
import { benchUploadBreakdown, type UploadBreakdown } from './federation-upload-breakdown.js';
import { mbPerSecond, median, type Paired } from './federation-timing.js';

/** Parameters of the benchmarked model: a logistic regression over 1,000,000 features (+ bias). */
export const UPLOAD_FEATURES = 1_000_000;

const MEMBER = 'bench-bank';
const JOB_SPEC = JSON.stringify({ name: 'bench-upload', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 1, minBanks: 1 });

/** What the upload benchmark reports. */
export interface UploadResult {
  readonly bytes: number;
  /** Full accept path: gRPC + reassembly + decode + validation + the result row in SQLite, paired with raw TCP. */
  readonly coordinator: UploadFigures;
  /** The same PushResult handler with a backend that validates but stores nothing, paired with raw TCP. */
  readonly transportOnly: UploadFigures;
  /** grpc-js alone: a PushResult handler that only counts the chunk bytes, paired with raw TCP. */
  readonly grpcCeiling: UploadFigures;
  /** The coordinator's own steps on one update, timed alone (ms, medians). */
  readonly breakdown: UploadBreakdown;
}

/** One paired measurement of an upload path against raw loopback TCP. */
export interface UploadFigures {
  readonly timing: Paired;
  readonly grpcMBps: number;
  readonly rawTcpMBps: number;
  /** Median per-pair ratio of gRPC throughput to raw TCP throughput (target ≥ 0.5). */
  readonly ratio: number;
  /**
   * The same pairs in CPU time of this process (user + system; both ends of both transports run here):
   * median ms per upload and the ratio of the medians. Load-robust: what the upload costs on an idle core.
   */
  readonly cpu: { readonly grpcMs: number; readonly rawTcpMs: number; readonly ratio: number };
}

/** A logistic-regression update over `features` inputs, deterministic. */
export function logisticUpdate(features: number): Weights {
  const kernel = new Float32Array(features);
  for (let i = 0; i < features; i++) kernel[i] = Math.sin(i) * 0.01;
  return [
    { name: 'dense_0/kernel', shape: [features, 1], values: kernel },
    { name: 'dense_0/bias', shape: [1], values: new Float32Array([0.1]) },
  ];
}

/** A loopback sink that acknowledges every `size` bytes it receives with one byte. */
async function rawSink(size: number): Promise<{ server: Server; socket: Socket; send: (buf: Uint8Array) => Promise<void> }> {
  const server = createServer((s) => {
    let got = 0;
    s.on('data', (d: Buffer) => {
      got += d.length;
      while (got >= size) {
        got -= size;
        s.write(Buffer.of(1));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let pending: (() => void) | undefined;
  socket.on('data', () => {
    const p = pending;
    pending = undefined;
    p?.();
  });
  const send = (buf: Uint8Array) =>
    new Promise<void>((resolve) => {
      pending = resolve;
      socket.write(buf);
    });
  return { server, socket, send };
}

/** A Fleet endpoint on 127.0.0.1:0 plus the dispatcher its PushResult handler answers from. */
interface Endpoint {
  readonly port: number;
  readonly dispatcher: Dispatcher;
  /** Untimed, after each push: what the stage runner does when the stage ends (collect its results). */
  afterPush?(instructionId: string, round: number): Promise<void>;
  close(): Promise<void>;
}

/** The real Coordinator with its SQLite store in a temp dir: the whole accept path. */
async function coordinatorEndpoint(): Promise<Endpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bench-upload-'));
  const store = openSqliteStore(dir);
  const coordinator = new Coordinator({ store, logger: silentLogger, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
  const port = await coordinator.start();
  return {
    port,
    dispatcher: coordinator.dispatcher,
    afterPush: async (_id, round) => {
      // The stage's collection writes the update (off the upload path); then the round is done with.
      await store.listResults('bench-job', round, 'fit');
      await store.clearRound('bench-job', round);
    },
    close: async () => {
      await coordinator.stop(500);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Fleet service handlers alone, with a backend that validates like the coordinator but stores nothing. */
async function transportEndpoint(): Promise<Endpoint> {
  const dispatcher = new Dispatcher();
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 8 * 1024 * 1024 });
  const backend = {
    registry: new MemberRegistry(3_600_000),
    dispatcher,
    onJoin: async () => {},
    acceptResult: async (open: OpenInstruction, result: ResultInfo, weights: Weights | undefined) => {
      validateResult(open, result, weights, false);
      dispatcher.notifyResult(open.info.instructionId);
      return 'accepted' as const;
    },
  };
  server.addService(loadProtos().fleet.fedfin.v1.Fleet.service, createFleetService(backend, { heartbeatIntervalMs: 2000, maxWaitMs: 1000, logger: silentLogger }));
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, dispatcher, close: async () => server.forceShutdown() };
}

/** A bare grpc-js endpoint: Join hands out a session, PushResult counts bytes and accepts. The ceiling of any Fleet handler. */
async function ceilingEndpoint(): Promise<Endpoint> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 8 * 1024 * 1024 });
  const handlers = {
    Join: (_call: unknown, cb: grpc.sendUnaryData<{ session_id: string; heartbeat_interval_ms: number; max_wait_ms: number }>) => cb(null, { session_id: 'bench', heartbeat_interval_ms: 2000, max_wait_ms: 1000 }),
    PushResult: (call: grpc.ServerReadableStream<PushResultMessage__Output, unknown>, cb: grpc.sendUnaryData<{ accepted: boolean }>) => {
      let received = 0;
      call.on('data', (m: PushResultMessage__Output) => (received += m.chunk?.data.length ?? 0));
      call.on('end', () => cb(null, { accepted: received > 0 }));
    },
  };
  server.addService(loadProtos().fleet.fedfin.v1.Fleet.service, handlers as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, dispatcher: new Dispatcher(), close: async () => server.forceShutdown() };
}

/** Pushes the update once per fresh instruction through `endpoint`, paired with raw TCP sends of the same bytes. */
async function measure(endpoint: Endpoint, runs: number): Promise<UploadFigures> {
  const link = new GrpcLink(`127.0.0.1:${endpoint.port}`, { callTimeoutMs: 60_000 });
  const { headers, bytes } = encodeWeights(logisticUpdate(UPLOAD_FEATURES));
  const raw = await rawSink(bytes.length);
  try {
    await link.join({ memberId: MEMBER, acceptedTasks: ['credit-scoring'], tfBackend: 'cpu', softwareVersion: 'bench' });
    let n = 0;
    const pushOnce = async (): Promise<void> => {
      const instructionId = `bench-job/r${++n}/a1/fit/${MEMBER}`;
      endpoint.dispatcher.offer([
        {
          memberId: MEMBER,
          headers,
          modelBytes: bytes,
          info: { instructionId, jobId: 'bench-job', round: n, stage: 'fit', jobSpecJson: JOB_SPEC, roundConfig: {}, modelBytes: bytes.length, numBanks: 1, deadlineUnixMs: Date.now() + 60_000, encodingStatsJson: '{}' },
        },
      ]);
      const result: ResultInfo = { instructionId, status: 'ok', reason: '', numExamples: 100, metrics: {}, headers, histogram: undefined, privacy: undefined, encodingHash: '', numFeatures: 0, momentsJson: '' };
      const outcome = await link.push(result, bytes);
      if (outcome !== 'accepted') throw new Error(`bench upload: push ${n} was ${outcome}`);
    };
    const wall = { grpc: [] as number[], raw: [] as number[], ratio: [] as number[] };
    const cpu = { grpc: [] as number[], raw: [] as number[] };
    const once = async (fn: () => Promise<void>): Promise<{ ms: number; cpuMs: number }> => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await fn();
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return { ms, cpuMs: (c.user + c.system) / 1000 };
    };
    // Alternating pairs, baseline first, after 2 untimed warm-up pairs (as pairedAsync, plus CPU time and the untimed stage end).
    for (let i = 0; i < 2 + runs; i++) {
      const b = await once(() => raw.send(bytes));
      const s = await once(pushOnce);
      endpoint.dispatcher.close([`bench-job/r${n}/a1/fit/${MEMBER}`]);
      await endpoint.afterPush?.(`bench-job/r${n}/a1/fit/${MEMBER}`, n);
      if (i < 2) continue;
      wall.raw.push(b.ms);
      wall.grpc.push(s.ms);
      wall.ratio.push(b.ms / s.ms);
      cpu.raw.push(b.cpuMs);
      cpu.grpc.push(s.cpuMs);
    }
    const timing: Paired = { ms: median(wall.grpc), baselineMs: median(wall.raw), ratio: median(wall.ratio), runs };
    const grpcMs = median(cpu.grpc);
    const rawTcpMs = median(cpu.raw);
    return { timing, grpcMBps: mbPerSecond(bytes.length, timing.ms), rawTcpMBps: mbPerSecond(bytes.length, timing.baselineMs), ratio: timing.ratio, cpu: { grpcMs, rawTcpMs, ratio: rawTcpMs / grpcMs } };
  } finally {
    link.close();
    raw.socket.destroy();
    await new Promise<void>((resolve) => raw.server.close(() => resolve()));
    await endpoint.close();
  }
}

/**
 * Upload of one 4 MB fit result (1,000,001 float32) with the daemon's own GrpcLink, once per fresh
 * instruction offered through the dispatcher (as the stage runner does), in three set-ups:
 * (1) a real Coordinator with its SQLite store: chunk reassembly, the update's tensors as views of the
 * reassembled bytes, validateResult and the result row (the update's bytes are written when the stage is
 * listed, see sqlite-store.ts); (2) the same PushResult handler with a backend that validates but stores
 * nothing; (3) grpc-js alone, a handler that only counts bytes — the ceiling of any handler. Baseline in
 * each: the same bytes written to a plain loopback TCP socket, waiting for a one-byte acknowledgement,
 * timed alternately with the pushes. Then the coordinator's own steps on one update, timed alone.
 * @param runs timed pairs per set-up.
 */
export async function benchUpload(runs: number): Promise<UploadResult> {
  const coordinator = await measure(await coordinatorEndpoint(), runs);
  const transportOnly = await measure(await transportEndpoint(), runs);
  const grpcCeiling = await measure(await ceilingEndpoint(), runs);
  const breakdown = await benchUploadBreakdown(logisticUpdate(UPLOAD_FEATURES), Math.max(3, runs));
  return { bytes: 4 * (UPLOAD_FEATURES + 1), coordinator, transportOnly, grpcCeiling, breakdown };
}
