/** Test helper: a minimal real Fleet gRPC server on localhost that offers queued instructions and records every push. */
import * as grpc from '@grpc/grpc-js';
import { encodeWeights } from '../../common/weights-codec.js';
import type { Weights } from '../../common/weights.js';
import { loadProtos } from '../../proto/loader.js';
import type { FleetHandlers } from '../../proto/generated/fedfin/v1/Fleet.js';
import type { Instruction } from '../../proto/generated/fedfin/v1/Instruction.js';
import type { PushResultMessage__Output } from '../../proto/generated/fedfin/v1/PushResultMessage.js';
import type { ResultHeader__Output } from '../../proto/generated/fedfin/v1/ResultHeader.js';

/** One push as the server received it. */
export interface Pushed {
  readonly header: ResultHeader__Output;
  readonly bytes: Buffer;
  readonly messages: number;
}

/** The fake server and what it saw. */
export interface FakeFleet {
  readonly port: number;
  readonly joins: string[];
  readonly pushes: Pushed[];
  readonly heartbeats: string[];
  /** Queues an instruction with the model it serves. */
  offer(instruction: Instruction, weights: Weights | undefined): void;
  /** Resolves with the n-th push (1-based) once it arrived. */
  waitForPush(n: number, timeoutMs?: number): Promise<Pushed>;
  close(): Promise<void>;
}

/** Starts the server on `port` (0: any free port). */
export async function startFakeFleet(port = 0): Promise<FakeFleet> {
  const queue: Instruction[] = [];
  const models = new Map<string, Weights | undefined>();
  const joins: string[] = [];
  const pushes: Pushed[] = [];
  const heartbeats: string[] = [];
  const waiters: (() => void)[] = [];
  const notify = (): void => void waiters.splice(0).forEach((w) => w());
  let session = 0;
  const handlers: FleetHandlers = {
    Join: (call, cb) => {
      joins.push(call.request.member_id);
      cb(null, { session_id: `s${++session}`, heartbeat_interval_ms: 100, max_wait_ms: 300 });
    },
    PullInstruction: (call, cb) => {
      const end = Date.now() + Math.min(call.request.wait_ms, 300);
      const tick = (): void => {
        const next = queue.shift();
        if (next) return cb(null, { instruction: next });
        if (Date.now() >= end || call.cancelled) return cb(null, {});
        setTimeout(tick, 10);
      };
      tick();
    },
    DownloadModel: (call) => {
      const w = models.get(call.request.instruction_id);
      if (!w) return void call.destroy(Object.assign(new Error('not found'), { code: grpc.status.NOT_FOUND }));
      const { headers, bytes } = encodeWeights(w);
      call.write({ headers: headers.map((h) => ({ name: h.name, shape: [...h.shape] })), chunk: { offset: 0, data: Buffer.alloc(0) } });
      call.write({ chunk: { offset: 0, data: Buffer.from(bytes) } });
      call.end();
    },
    PushResult: (call, cb) => {
      let header: ResultHeader__Output | undefined;
      const parts: Buffer[] = [];
      let messages = 0;
      call.on('data', (m: PushResultMessage__Output) => {
        messages++;
        if (m.header) header = m.header;
        else if (m.chunk) parts.push(m.chunk.data);
      });
      call.on('end', () => {
        pushes.push({ header: header!, bytes: Buffer.concat(parts), messages });
        cb(null, { accepted: true });
        notify();
      });
    },
    Heartbeat: (call, cb) => {
      heartbeats.push(call.request.working_on);
      cb(null, { cancel_instruction_ids: [] });
    },
  };
  const server = new grpc.Server();
  server.addService(loadProtos().fleet.fedfin.v1.Fleet.service, handlers);
  const bound = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    port: bound,
    joins,
    pushes,
    heartbeats,
    offer(instruction, weights) {
      models.set(instruction.instruction_id!, weights);
      queue.push(instruction);
    },
    waitForPush(n, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push #${n} within ${timeoutMs} ms (got ${pushes.length})`)), timeoutMs);
        const check = (): void => {
          if (pushes.length >= n) {
            clearTimeout(timer);
            resolve(pushes[n - 1]!);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        const t = setTimeout(() => server.forceShutdown(), 1000);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      }),
  };
}

/** A free TCP port on 127.0.0.1 (bind, read, release) for "server starts later" tests. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}
