/** A scripted bank daemon over a real @grpc/grpc-js Fleet client: joins, long-polls, downloads and pushes in chunks, and misbehaves on request. */
import * as grpc from '@grpc/grpc-js';
import { decodeWeights, encodeWeights } from '../../common/weights-codec.js';
import type { Weights } from '../../common/weights.js';
import { loadProtos } from '../../proto/loader.js';
import type { FleetClient } from '../../proto/generated/fedfin/v1/Fleet.js';
import type { Instruction__Output } from '../../proto/generated/fedfin/v1/Instruction.js';
import type { ResultHeader } from '../../proto/generated/fedfin/v1/ResultHeader.js';
import type { ScoreHistogram } from '../../proto/generated/fedfin/v1/ScoreHistogram.js';
import type { PrivacySpend } from '../../proto/generated/fedfin/v1/PrivacySpend.js';
import { CHUNK_BYTES } from '../../schema/fleet.js';

/** A result ready to push: the wire header (session filled in at push time) and, for fit, the update. */
export interface FakeResult {
  header: ResultHeader;
  weights?: Weights;
}

/** How a push ended: gRPC status code (0 = OK) and details. */
export interface PushOutcome {
  readonly instructionId: string;
  readonly code: number;
  readonly details: string;
}

/** What the bank does with an instruction the first time a session sees it. */
export type Action =
  | { kind: 'ok'; delayMs?: number; mutate?: (r: FakeResult) => FakeResult; push?: PushOptions; duplicate?: boolean }
  | { kind: 'ignore' }
  | { kind: 'vanish' }
  | { kind: 'refuse' | 'fail'; reason: string }
  | { kind: 'custom'; run: (bank: FakeBank, ins: Instruction__Output) => Promise<void> };

export interface PushOptions {
  /** Stop writing after this many update bytes and end the stream (a truncated upload). */
  readonly truncateAt?: number;
}

/** Decides the action for an instruction; `sessions` counts sessions that were offered this id (2+ = re-offered after a rejoin). */
export type Script = (ins: Instruction__Output, sessions: number, bank: FakeBank) => Action;

export interface FakeBankOptions {
  readonly address: string;
  readonly memberId: string;
  readonly acceptedTasks?: readonly string[];
  readonly script?: Script;
  /** The bank's reply data. */
  readonly numExamples?: number;
  /** Added to every weight of the downloaded model to make the "trained" update. */
  readonly delta?: number;
  readonly numFeatures?: number;
  readonly encodingHash?: string;
  readonly histogram?: ScoreHistogram;
  readonly privacy?: (round: number) => PrivacySpend | undefined;
  /** @default 400 */
  readonly pullWaitMs?: number;
  /** @default 150 */
  readonly heartbeatMs?: number;
  /** Channel credentials (mutual TLS with a member kit). @default insecure */
  readonly credentials?: grpc.ChannelCredentials;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A fake bank: `start()` runs the daemon loop; the low-level calls are public for hand-written misbehaviour. */
export class FakeBank {
  readonly client: FleetClient;
  sessionId = '';
  /** Every (instruction, session) offer the bank saw, in order. */
  readonly offers: { instructionId: string; sessionId: string; round: number; stage: string }[] = [];
  readonly pushes: PushOutcome[] = [];
  /** Updates the bank sent, by instruction id (what the coordinator should have averaged). */
  readonly sentUpdates = new Map<string, Weights>();
  /** Models the bank downloaded, by instruction id. */
  readonly downloads = new Map<string, Weights>();
  /** Data chunks per downloaded instruction. */
  readonly downloadChunks = new Map<string, number>();
  /** Results already pushed, so a re-offered instruction is answered from cache. */
  readonly cache = new Map<string, FakeResult>();
  private readonly handled = new Set<string>();
  private stopped = false;
  private vanished = false;
  private loop: Promise<void> | undefined;
  private hbTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: FakeBankOptions) {
    const { fleet } = loadProtos();
    // Fast reconnects: the resume test restarts the coordinator on the same port.
    const channel = { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 500 };
    this.client = new fleet.fedfin.v1.Fleet(options.address, options.credentials ?? grpc.credentials.createInsecure(), channel) as unknown as FleetClient;
  }

  get memberId(): string {
    return this.options.memberId;
  }

  /** Joins and runs the pull loop plus heartbeats until stop() or a 'vanish' action. */
  async start(): Promise<void> {
    await this.join();
    this.hbTimer = setInterval(() => {
      if (!this.vanished && this.sessionId) this.client.Heartbeat({ session_id: this.sessionId, working_on: '' }, { deadline: Date.now() + 2000 }, () => undefined);
    }, this.options.heartbeatMs ?? 150);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.hbTimer);
    await this.loop;
    this.client.close();
  }

  async join(memberId = this.options.memberId): Promise<string> {
    const res = await unaryCall<{ session_id: string }>((cb) =>
      this.client.Join({ member_id: memberId, software_version: 'fake', tf_backend: 'cpu', accepted_tasks: [...(this.options.acceptedTasks ?? ['credit-scoring'])] }, { deadline: Date.now() + 3000 }, cb),
    );
    this.sessionId = res.session_id;
    return res.session_id;
  }

  async pull(waitMs: number, sessionId = this.sessionId): Promise<Instruction__Output | undefined> {
    const res = await unaryCall<{ instruction: Instruction__Output | null }>((cb) =>
      this.client.PullInstruction({ session_id: sessionId, wait_ms: waitMs }, { deadline: Date.now() + waitMs + 3000 }, cb),
    );
    return res.instruction ?? undefined;
  }

  /** Streams the instruction's model and checks chunk offsets. */
  async download(instructionId: string, sessionId = this.sessionId): Promise<{ weights: Weights; chunks: number }> {
    return new Promise((resolve, reject) => {
      const call = this.client.DownloadModel({ session_id: sessionId, instruction_id: instructionId }, { deadline: Date.now() + 10_000 });
      let headers: { name: string; shape: number[] }[] | undefined;
      const parts: Buffer[] = [];
      let received = 0;
      let chunks = 0;
      call.on('data', (m: { headers: { name: string; shape: number[] }[]; chunk: { offset: number; data: Buffer } | null }) => {
        if (!headers) headers = m.headers;
        if (m.chunk && m.chunk.data.length > 0) {
          if (m.chunk.offset !== received) reject(new Error(`chunk at ${m.chunk.offset}, expected ${received}`));
          parts.push(m.chunk.data);
          received += m.chunk.data.length;
          chunks++;
        }
      });
      call.on('error', reject);
      call.on('end', () => {
        try {
          resolve({ weights: decodeWeights(headers ?? [], new Uint8Array(Buffer.concat(parts))), chunks });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  }

  /** Pushes a result as a client stream: header first, then ≤ 1 MiB chunks of the update. */
  async push(result: FakeResult, options: PushOptions & { sessionId?: string } = {}): Promise<PushOutcome> {
    const id = result.header.instruction_id ?? '';
    const enc = result.weights ? encodeWeights(result.weights) : undefined;
    const header: ResultHeader = { ...result.header, session_id: options.sessionId ?? this.sessionId, ...(enc && !result.header.headers ? { headers: enc.headers.map((h) => ({ name: h.name, shape: [...h.shape] })) } : {}) };
    const outcome = await new Promise<PushOutcome>((resolve) => {
      const call = this.client.PushResult({ deadline: Date.now() + 15_000 }, (err) => resolve({ instructionId: id, code: err ? err.code : 0, details: err ? err.details : '' }));
      call.write({ header });
      if (enc) {
        const limit = Math.min(enc.bytes.length, options.truncateAt ?? enc.bytes.length);
        for (let off = 0; off < limit; off += CHUNK_BYTES) {
          const end = Math.min(limit, off + CHUNK_BYTES);
          call.write({ chunk: { offset: off, data: Buffer.from(enc.bytes.buffer, enc.bytes.byteOffset + off, end - off) } });
        }
      }
      call.end();
    });
    this.pushes.push(outcome);
    if (outcome.code === 0 && result.weights) this.sentUpdates.set(id, result.weights);
    return outcome;
  }

  /** The honest answer to an instruction: stats moments, model + delta, or the bank's histogram. */
  async answer(ins: Instruction__Output): Promise<FakeResult> {
    const o = this.options;
    const n = o.numExamples ?? 100;
    const header: ResultHeader = { instruction_id: ins.instruction_id, status: 'ok', reason: '', num_examples: n, metrics: { values: { loss: 0.5 } } };
    if (ins.stage === 'stats') {
      return { header: { ...header, num_features: o.numFeatures ?? 4, encoding_hash: o.encodingHash ?? 'ab'.repeat(32), moments_json: JSON.stringify({ amount: { count: n, sum: n * 10, sumSq: n * 104 } }) } };
    }
    if (ins.stage === 'evaluate') {
      const h = o.histogram ?? { num_bins: 4, counts_pos: [0, 1, 2, 7], counts_neg: [6, 2, 1, 1], sum_log_loss: 5, sum_brier: 2, num_correct: 15, num_examples: 20 };
      return { header: { ...header, num_examples: Number(h.num_examples), histogram: h } };
    }
    const { weights, chunks } = await this.download(ins.instruction_id);
    this.downloads.set(ins.instruction_id, weights);
    this.downloadChunks.set(ins.instruction_id, chunks);
    const d = o.delta ?? 0.01;
    const updated = weights.map((t) => ({ name: t.name, shape: [...t.shape], values: t.values.map((v) => v + d) }));
    const privacy = o.privacy?.(ins.round);
    return { header: { ...header, ...(privacy ? { privacy } : {}) }, weights: updated };
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.vanished) {
      let ins: Instruction__Output | undefined;
      try {
        ins = await this.pull(this.options.pullWaitMs ?? 400);
      } catch (err) {
        if (process.env['FEDFIN_TEST_LOG']) console.error(`${this.memberId} pull: ${(err as grpc.ServiceError).code} ${(err as Error).message}`);
        if ((err as grpc.ServiceError).code === grpc.status.UNAUTHENTICATED) await this.join().catch(() => undefined);
        else await sleep(100);
        continue;
      }
      if (!ins || this.stopped) continue;
      const key = `${ins.instruction_id}@${this.sessionId}`;
      if (this.handled.has(key)) {
        await sleep(100); // still "working" on it (ignored or held): a real daemon would not pull it again
        continue;
      }
      this.handled.add(key);
      this.offers.push({ instructionId: ins.instruction_id, sessionId: this.sessionId, round: ins.round, stage: ins.stage });
      try {
        await this.handle(ins);
      } catch {
        // the coordinator went away mid-call; the loop rejoins
      }
    }
  }

  private async handle(ins: Instruction__Output): Promise<void> {
    const cached = this.cache.get(ins.instruction_id);
    if (cached) {
      await this.push(cached);
      return;
    }
    const sessions = new Set(this.offers.filter((o) => o.instructionId === ins.instruction_id).map((o) => o.sessionId)).size;
    const action = (this.options.script ?? (() => ({ kind: 'ok' }) as Action))(ins, sessions, this);
    switch (action.kind) {
      case 'ignore':
        return;
      case 'vanish':
        this.vanished = true;
        clearInterval(this.hbTimer);
        return;
      case 'refuse':
      case 'fail':
        await this.push({ header: { instruction_id: ins.instruction_id, status: action.kind === 'refuse' ? 'refused' : 'failed', reason: action.reason } });
        return;
      case 'custom':
        await action.run(this, ins);
        return;
      case 'ok': {
        if (action.delayMs) await sleep(action.delayMs);
        let result = await this.answer(ins);
        if (action.mutate) result = action.mutate(result);
        const out = await this.push(result, action.push);
        if (out.code === 0) this.cache.set(ins.instruction_id, result);
        if (action.duplicate) await this.push(result);
        return;
      }
    }
  }
}

/**
 * A script that ignores the given stage of `round` while the first session holds it and answers it once the
 * instruction is offered again (to a new session after a coordinator restart or a rejoin); every other instruction is answered.
 */
export function holdUntilReoffered(stage: 'stats' | 'fit' | 'evaluate', round: number): Script {
  return (ins, sessions) => (ins.stage === stage && ins.round === round && sessions === 1 ? { kind: 'ignore' } : { kind: 'ok' });
}

/** Promisifies a unary grpc call; rejects with the ServiceError. */
export function unaryCall<T>(start: (cb: (err: grpc.ServiceError | null, res?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res as T))));
}
