/** The daemon's link to the coordinator over the Fleet service: one grpc Client, every call with a deadline. */
import * as grpc from '@grpc/grpc-js';
import { FedfinError } from '../../common/errors.js';
import { decodeWeights, type TensorHeader } from '../../common/weights-codec.js';
import type { Weights } from '../../common/weights.js';
import { loadProtos } from '../../proto/loader.js';
import type { FleetClient } from '../../proto/generated/fedfin/v1/Fleet.js';
import type { ModelChunk__Output } from '../../proto/generated/fedfin/v1/ModelChunk.js';
import { CHUNK_BYTES, type InstructionInfo, type ResultInfo } from '../../schema/fleet.js';
import { channelCredentials, credentialsStamp, type LinkSecurity } from './credentials.js';
import { instructionFromWire, resultToWire } from './codec.js';

/** What Join returned. */
export interface LinkSession {
  readonly sessionId: string;
  readonly heartbeatIntervalMs: number;
  readonly maxWaitMs: number;
}

/** What the daemon announces when it joins. */
export interface JoinInfo {
  readonly memberId: string;
  readonly acceptedTasks: readonly string[];
  readonly tfBackend: string;
  readonly softwareVersion: string;
  /** Ed25519 identity public key (32 bytes) the bank signs SecAgg advertisements with; announced at Join. */
  readonly identityPublicKey?: Uint8Array;
}

/** How a push ended: accepted, already accepted earlier (success), or discarded because the round closed. */
export type PushOutcome = 'accepted' | 'duplicate' | 'closed';

/** A failed call: `code` is the gRPC status the retry policy branches on. */
export class RpcCallError extends Error {
  constructor(
    readonly rpc: string,
    readonly code: number,
    details: string,
  ) {
    super(`${rpc}: ${grpc.status[code] ?? code} ${details}`);
  }
}

/** The gRPC status of an error thrown by the link (undefined for other errors). */
export function rpcCode(err: unknown): number | undefined {
  return err instanceof RpcCallError ? err.code : undefined;
}

const wrap = (rpc: string, err: unknown): Error => {
  const e = err as Partial<grpc.ServiceError>;
  return typeof e.code === 'number' ? new RpcCallError(rpc, e.code, e.details ?? '') : (err as Error);
};

/** Options of {@link GrpcLink}. */
export interface GrpcLinkOptions {
  /** Deadline of Join, Heartbeat and each push. @default 10000 */
  readonly callTimeoutMs?: number;
  /** Extra time a long-poll gets beyond its wait. @default 5000 */
  readonly pullGraceMs?: number;
  readonly security?: LinkSecurity;
  /** A ready Fleet client stub to use instead of dialling `address` (simulations pass an in-process one). */
  readonly client?: FleetClient;
}

/** One Fleet client per daemon. Not thread-safe by design: the daemon runs one instruction at a time. */
export class GrpcLink {
  private channel: FleetClient;
  private stamp: string;
  private checkedAt = Date.now();
  private readonly callTimeoutMs: number;
  private readonly pullGraceMs: number;
  private session: LinkSession | undefined;

  constructor(
    private readonly address: string,
    private readonly options: GrpcLinkOptions = {},
  ) {
    this.stamp = credentialsStamp(options.security);
    this.channel = this.open();
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.pullGraceMs = options.pullGraceMs ?? 5_000;
  }

  private open(): FleetClient {
    if (this.options.client) return this.options.client;
    const { fleet } = loadProtos();
    return new fleet.fedfin.v1.Fleet(this.address, channelCredentials(this.options.security), {
      'grpc.max_receive_message_length': 4 * CHUNK_BYTES,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 5000,
    });
  }

  /**
   * The channel for the next call. A rotated kit (kit.json changed; checked at most once a second) gets a new channel
   * with the new certificate; calls in flight finish on the old one. The session survives: it is bound to the member
   * id, which rotation keeps.
   */
  private get client(): FleetClient {
    if (this.options.security?.mode === 'mtls' && Date.now() - this.checkedAt >= 1000) {
      this.checkedAt = Date.now();
      const stamp = credentialsStamp(this.options.security);
      if (stamp !== this.stamp) {
        const next = this.open();
        const old = this.channel;
        this.channel = next;
        this.stamp = stamp;
        // Closing at once would cancel calls still queued on the old channel: let a long-poll or upload finish first.
        setTimeout(() => old.close(), (this.session?.maxWaitMs ?? 20_000) + this.callTimeoutMs + this.pullGraceMs).unref();
      }
    }
    return this.channel;
  }

  private deadline(ms = this.callTimeoutMs): Date {
    return new Date(Date.now() + ms);
  }

  private sessionId(): string {
    if (!this.session) throw new RpcCallError('session', grpc.status.UNAUTHENTICATED, 'not joined');
    return this.session.sessionId;
  }

  /** Joins (again) and keeps the session. */
  join(info: JoinInfo): Promise<LinkSession> {
    return new Promise((resolve, reject) => {
      this.client.Join(
        { member_id: info.memberId, accepted_tasks: [...info.acceptedTasks], tf_backend: info.tfBackend, software_version: info.softwareVersion, identity_public_key: info.identityPublicKey ? Buffer.from(info.identityPublicKey) : Buffer.alloc(0) },
        { deadline: this.deadline() },
        (err, res) => {
          if (err || !res) return reject(wrap('Join', err));
          this.session = { sessionId: res.session_id, heartbeatIntervalMs: res.heartbeat_interval_ms || 5000, maxWaitMs: res.max_wait_ms || 20_000 };
          resolve(this.session);
        },
      );
    });
  }

  /** Long-polls for the next instruction for up to `waitMs`; undefined when nothing is pending. */
  pull(waitMs: number, signal?: AbortSignal): Promise<InstructionInfo | undefined> {
    const wait = Math.min(waitMs, this.session?.maxWaitMs ?? waitMs);
    return new Promise((resolve, reject) => {
      const call = this.client.PullInstruction({ session_id: this.sessionId(), wait_ms: wait }, { deadline: this.deadline(wait + this.pullGraceMs) }, (err, res) => {
        signal?.removeEventListener('abort', onAbort);
        if (err || !res) return reject(signal?.aborted ? (signal.reason as Error) : wrap('PullInstruction', err));
        try {
          resolve(res.instruction ? instructionFromWire(res.instruction) : undefined);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      const onAbort = (): void => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Streams the model of an instruction: headers first, then chunks in order. */
  download(instruction: InstructionInfo, signal?: AbortSignal): Promise<Weights> {
    return new Promise((resolve, reject) => {
      const deadline = new Date(Math.max(Date.now() + this.callTimeoutMs, instruction.deadlineUnixMs));
      const stream = this.client.DownloadModel({ session_id: this.sessionId(), instruction_id: instruction.instructionId }, { deadline });
      const buf = new Uint8Array(instruction.modelBytes);
      let headers: TensorHeader[] | undefined;
      let received = 0;
      let failed = false;
      const fail = (err: Error): void => {
        if (failed) return;
        failed = true;
        stream.cancel();
        reject(err);
      };
      const onAbort = (): void => fail(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (msg: ModelChunk__Output) => {
        if (failed) return;
        if (msg.headers.length > 0) {
          if (headers) return fail(new FedfinError('protocol-violation', 'DownloadModel: headers sent twice'));
          headers = msg.headers.map((h) => ({ name: h.name, shape: [...h.shape] }));
        }
        const chunk = msg.chunk;
        if (!chunk || chunk.data.length === 0) return;
        if (!headers) return fail(new FedfinError('protocol-violation', 'DownloadModel: chunk before headers'));
        if (chunk.offset !== received || received + chunk.data.length > buf.length) return fail(new FedfinError('protocol-violation', `DownloadModel: chunk at offset ${chunk.offset}, expected ${received} within ${buf.length} bytes`));
        buf.set(chunk.data, received);
        received += chunk.data.length;
      });
      stream.on('error', (err) => fail(wrap('DownloadModel', err)));
      stream.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        if (failed) return;
        if (!headers) return fail(new FedfinError('protocol-violation', 'DownloadModel: no headers'));
        if (received !== buf.length) return fail(new FedfinError('protocol-violation', `DownloadModel: got ${received} of ${buf.length} bytes`));
        try {
          resolve(decodeWeights(headers, buf));
        } catch (err) {
          fail(new FedfinError('protocol-violation', `DownloadModel: ${(err as Error).message}`));
        }
      });
    });
  }

  /**
   * Pushes a result: the header first, then the bytes in chunks of ≤ CHUNK_BYTES.
   * ALREADY_EXISTS → 'duplicate' (success); FAILED_PRECONDITION → 'closed' (drop it).
   * @throws RpcCallError for anything else (the caller retries UNAVAILABLE until the instruction's deadline).
   */
  push(result: ResultInfo, bytes: Uint8Array | undefined): Promise<PushOutcome> {
    return new Promise((resolve, reject) => {
      const call = this.client.PushResult({ deadline: this.deadline(this.callTimeoutMs + Math.ceil((bytes?.length ?? 0) / 65536)) }, (err, res) => {
        if (!err && res) return resolve('accepted');
        if (err?.code === grpc.status.ALREADY_EXISTS) return resolve('duplicate');
        if (err?.code === grpc.status.FAILED_PRECONDITION) return resolve('closed');
        reject(wrap('PushResult', err));
      });
      try {
        call.write({ header: resultToWire(result, this.sessionId()) });
        if (bytes) {
          for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
            const end = Math.min(bytes.length, off + CHUNK_BYTES);
            call.write({ chunk: { offset: off, data: Buffer.from(bytes.buffer, bytes.byteOffset + off, end - off) } });
          }
        }
        call.end();
      } catch (err) {
        call.cancel();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Tells the coordinator we are alive; returns instruction ids it cancelled. */
  heartbeat(workingOn: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.client.Heartbeat({ session_id: this.sessionId(), working_on: workingOn }, { deadline: this.deadline() }, (err, res) => {
        if (err || !res) return reject(wrap('Heartbeat', err));
        resolve(res.cancel_instruction_ids);
      });
    });
  }

  /** The session from the last Join, if any. */
  currentSession(): LinkSession | undefined {
    return this.session;
  }

  /** Forgets the session (the next call needs a Join). */
  dropSession(): void {
    this.session = undefined;
  }

  close(): void {
    this.channel.close();
  }
}
