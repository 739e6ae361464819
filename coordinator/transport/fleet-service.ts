/** The Fleet service handlers: join, long-poll pull, chunked model download and result upload, heartbeat. */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../common/log.js';
import type { Weights } from '../../common/weights.js';
import type { FleetHandlers } from '../../proto/generated/fedfin/v1/Fleet.js';
import type { ModelChunk } from '../../proto/generated/fedfin/v1/ModelChunk.js';
import type { PushResultMessage__Output } from '../../proto/generated/fedfin/v1/PushResultMessage.js';
import type { ResultHeader__Output } from '../../proto/generated/fedfin/v1/ResultHeader.js';
import { CHUNK_BYTES, MASKED_TENSOR, type ResultInfo } from '../../schema/fleet.js';
import type { Dispatcher, OpenInstruction } from '../fleet/dispatcher.js';
import type { MemberRegistry, Session } from '../fleet/member-registry.js';
import { instructionToWire, resultFromWire, updateFromBytes } from './fleet-codec.js';
import { RpcError, toServiceError, unary } from './status.js';

/** What the Fleet service needs from the coordinator. */
export interface FleetBackend {
  readonly registry: MemberRegistry;
  readonly dispatcher: Dispatcher;
  /** Records a join (store + audit). */
  onJoin(session: Session): Promise<void>;
  /**
   * Validates and persists a result for an open instruction.
   * @returns 'duplicate' when a result for it was already stored.
   * @throws FedfinError('protocol-violation') for a result that breaks the instruction (shapes, NaN …).
   */
  acceptResult(open: OpenInstruction, result: ResultInfo, weights: Weights | undefined, masked?: Uint8Array): Promise<'accepted' | 'duplicate'>;
  /** The member a call's client certificate authenticates (mTLS); undefined on an insecure link. */
  callerOf?(call: object): string | undefined;
}

export interface FleetServiceOptions {
  readonly heartbeatIntervalMs: number;
  /** Longest long-poll the coordinator grants. */
  readonly maxWaitMs: number;
  readonly logger: Logger;
}

const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Bytes a masked-input result declares (one TensorHeader "secagg/masked" of shape [bytes]). At most 4 bytes
 * per model parameter plus 64 KiB of protocol header: a larger claim is refused before any buffer is allocated.
 */
function maskedBytes(header: ResultHeader__Output, open: OpenInstruction): number {
  const h = header.headers;
  const n = h.length === 1 && h[0]!.name === MASKED_TENSOR && h[0]!.shape.length === 1 ? h[0]!.shape[0]! : -1;
  const max = open.modelBytes.length + 4 + 65_536;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new RpcError(grpc.status.INVALID_ARGUMENT, `a masked-input result carries one tensor "${MASKED_TENSOR}" of shape [bytes] with 1 ≤ bytes ≤ ${max}`);
  return n;
}

function sessionOrThrow(backend: FleetBackend, sessionId: string, call: object): Session {
  const s = backend.registry.touch(sessionId);
  if (!s) throw new RpcError(grpc.status.UNAUTHENTICATED, 'unknown or expired session: join again');
  // With mTLS a session id is useless to another member: it must come with its owner's certificate.
  const caller = backend.callerOf?.(call);
  if (caller !== undefined && caller !== s.memberId) throw new RpcError(grpc.status.PERMISSION_DENIED, 'this session belongs to another member');
  return s;
}

/**
 * The DownloadModel messages of one stage's model: the headers message, then the chunks as views of `bytes`.
 * Every bank of a stage is sent the same headers and bytes (stage-runner encodes the model once per stage), so the
 * messages are built once per model and written to each bank's stream as they are (nothing mutates them).
 */
const downloadMessages = new WeakMap<Uint8Array, { readonly headers: OpenInstruction['headers']; readonly messages: readonly ModelChunk[] }>();

function modelMessages(ins: OpenInstruction): readonly ModelChunk[] {
  const known = downloadMessages.get(ins.modelBytes);
  if (known && known.headers === ins.headers) return known.messages;
  const bytes = ins.modelBytes;
  const messages: ModelChunk[] = [{ headers: ins.headers.map((h) => ({ name: h.name, shape: [...h.shape] })), chunk: { offset: 0, data: Buffer.alloc(0) } }];
  for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
    const end = Math.min(bytes.length, off + CHUNK_BYTES);
    messages.push({ chunk: { offset: off, data: Buffer.from(bytes.buffer, bytes.byteOffset + off, end - off) } });
  }
  downloadMessages.set(bytes, { headers: ins.headers, messages });
  return messages;
}

/** Builds the handlers for `server.addService(Fleet.service, …)`. */
export function createFleetService(backend: FleetBackend, options: FleetServiceOptions): FleetHandlers {
  const { logger } = options;
  return {
    Join: unary(logger, 'Join', async (req, call) => {
      if (!MEMBER_ID.test(req.member_id)) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'member_id must be 1–64 characters of letters, digits, ".", "_" or "-"');
      const caller = backend.callerOf?.(call);
      if (caller !== undefined && caller !== req.member_id) throw new RpcError(grpc.status.PERMISSION_DENIED, `member_id ${req.member_id} does not match the client certificate (${caller})`);
      const idKey = req.identity_public_key;
      if (idKey.length !== 0 && idKey.length !== 32) throw new RpcError(grpc.status.INVALID_ARGUMENT, `identity_public_key must be 32 bytes (Ed25519) or empty, got ${idKey.length}`);
      const session = backend.registry.join(req.member_id, req.accepted_tasks.slice(0, 100), req.tf_backend.slice(0, 32), idKey.length === 32 ? new Uint8Array(idKey) : undefined);
      await backend.onJoin(session);
      return { session_id: session.sessionId, heartbeat_interval_ms: options.heartbeatIntervalMs, max_wait_ms: options.maxWaitMs };
    }),

    PullInstruction: unary(logger, 'PullInstruction', async (req, call) => {
      const s = sessionOrThrow(backend, req.session_id, call);
      const ac = new AbortController();
      call.on('cancelled', () => ac.abort());
      backend.registry.pullStarted(req.session_id);
      try {
        const ins = await backend.dispatcher.pull(s.memberId, Math.min(req.wait_ms, options.maxWaitMs), ac.signal);
        return ins ? { instruction: instructionToWire(ins.info) } : {};
      } finally {
        backend.registry.pullEnded(req.session_id);
      }
    }),

    DownloadModel: (call) => {
      try {
        const s = sessionOrThrow(backend, call.request.session_id, call);
        const ins = backend.dispatcher.get(call.request.instruction_id);
        if (!ins || ins.memberId !== s.memberId) throw new RpcError(grpc.status.NOT_FOUND, 'instruction unknown or no longer open');
        for (const msg of modelMessages(ins)) call.write(msg);
        call.end();
      } catch (err) {
        // emit('error'), not destroy(): grpc-js sends the status from the stream's 'error' handler; destroy() skips it and the caller hangs to its deadline.
        call.emit('error', Object.assign(new Error('download failed'), toServiceError(err, logger, 'DownloadModel')));
      }
    },

    PushResult: (call, callback) => {
      let header: ResultHeader__Output | undefined;
      let open: OpenInstruction | undefined;
      let buf: Uint8Array | undefined;
      let received = 0;
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        const se = toServiceError(err, logger, 'PushResult');
        // An invalid result from the instruction's owner ends its part in the stage (daemons never retry INVALID_ARGUMENT).
        if (open && se.code === grpc.status.INVALID_ARGUMENT) {
          logger.warn('result rejected', { member: open.memberId, instruction: open.info.instructionId, reason: se.details });
          backend.dispatcher.reject(open.info.instructionId, se.details ?? 'invalid result');
        }
        callback(se as grpc.ServiceError);
      };
      call.on('data', (msg: PushResultMessage__Output) => {
        if (failed) return;
        try {
          if (msg.header) {
            if (header) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'a result carries exactly one header, first');
            header = msg.header;
            const s = sessionOrThrow(backend, header.session_id, call);
            const id = header.instruction_id;
            // Ownership first: otherwise ALREADY_EXISTS / FAILED_PRECONDITION tell a member how another bank's instruction stands.
            const owner = backend.dispatcher.owner(id);
            if (owner !== undefined && owner !== s.memberId) throw new RpcError(grpc.status.PERMISSION_DENIED, 'a member may only answer its own instructions');
            const state = backend.dispatcher.status(id);
            if (state === 'answered') throw new RpcError(grpc.status.ALREADY_EXISTS, 'a result for this instruction was already accepted');
            if (state === 'closed') throw new RpcError(grpc.status.FAILED_PRECONDITION, 'the stage of this instruction has closed; the result is discarded');
            open = backend.dispatcher.get(id);
            if (!open) throw new RpcError(grpc.status.NOT_FOUND, 'unknown instruction');
            if (open.memberId !== s.memberId) throw new RpcError(grpc.status.PERMISSION_DENIED, 'a member may only answer its own instructions');
            // Uninitialised: every byte is overwritten by a chunk, and a short upload is rejected before any is read.
            if (header.status === 'ok' && open.info.stage === 'fit') buf = Buffer.allocUnsafeSlow(open.modelBytes.length);
            if (header.status === 'ok' && open.info.stage === 'secagg-masked-input') buf = new Uint8Array(maskedBytes(header, open));
          } else if (msg.chunk) {
            if (!header || !buf) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'tensor chunks need a preceding fit or masked-input result header');
            const data = msg.chunk.data;
            if (msg.chunk.offset !== received) throw new RpcError(grpc.status.INVALID_ARGUMENT, `chunk at offset ${msg.chunk.offset}, expected ${received}`);
            if (received + data.length > buf.length) throw new RpcError(grpc.status.INVALID_ARGUMENT, `update larger than the model (${buf.length} bytes)`);
            buf.set(data, received);
            received += data.length;
          }
        } catch (err) {
          fail(err);
          call.destroy();
        }
      });
      call.on('error', (err) => fail(err));
      call.on('end', () => {
        if (failed) return;
        void (async () => {
          try {
            if (!header || !open) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'empty result stream');
            const result = resultFromWire(header);
            let weights: Weights | undefined;
            let masked: Uint8Array | undefined;
            if (buf && open.info.stage === 'secagg-masked-input') {
              if (received !== buf.length) throw new RpcError(grpc.status.INVALID_ARGUMENT, `truncated masked vector: ${received} of ${buf.length} bytes`);
              masked = buf; // uint32 words as bytes, checked by the SecAgg server; never decoded as weights
            } else if (buf) {
              if (received !== buf.length) throw new RpcError(grpc.status.INVALID_ARGUMENT, `truncated update: ${received} of ${buf.length} bytes`);
              try {
                weights = updateFromBytes(result.headers, buf);
              } catch (err) {
                throw new RpcError(grpc.status.INVALID_ARGUMENT, (err as Error).message);
              }
            }
            const outcome = await backend.acceptResult(open, result, weights, masked);
            if (outcome === 'duplicate') throw new RpcError(grpc.status.ALREADY_EXISTS, 'a result for this instruction was already accepted');
            callback(null, { accepted: true });
          } catch (err) {
            fail(err);
          }
        })();
      });
    },

    Heartbeat: unary(logger, 'Heartbeat', async (req, call) => {
      const s = sessionOrThrow(backend, req.session_id, call);
      const cancel = req.working_on && backend.dispatcher.status(req.working_on) === 'closed' ? [req.working_on] : [];
      void s;
      return { cancel_instruction_ids: cancel };
    }),
  };
}
