/**
 * An in-process Fleet channel: a Fleet client stub whose calls go straight to the coordinator's own Fleet
 * service handlers (coordinator/transport/fleet-service.ts), with every message serialised and parsed by
 * the real protobuf codecs, deadlines and cancellation honoured, and status codes as grpc-js reports them.
 * The daemon's GrpcLink runs unchanged on top of it — only the socket is gone. Deliveries are scheduled
 * depth-first per client stub (delivery-scheduler.ts), so a woken daemon reaches its trainer before the next one.
 */
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../../proto/loader.js';
import type { FleetClient, FleetHandlers } from '../../proto/generated/fedfin/v1/Fleet.js';
import { GrpcLink, type GrpcLinkOptions } from '../../client/transport/grpc-link.js';
import { DeliveryScheduler, type DeliveryLane, type DeliverySchedulerOptions } from './delivery-scheduler.js';

type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;
interface CallOptions {
  readonly deadline?: Date | number;
}
interface MethodDef {
  requestSerialize(v: unknown): Buffer;
  requestDeserialize(b: Buffer): unknown;
  responseSerialize(v: unknown): Buffer;
  responseDeserialize(b: Buffer): unknown;
}

/** A client-side error shaped like grpc-js's (code, details, metadata). */
function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata: new grpc.Metadata() });
}

/** The status a server handler reported, as the client would read it off the wire. */
function fromServer(err: unknown): grpc.ServiceError {
  const e = err as Partial<grpc.ServiceError>;
  return statusError(typeof e.code === 'number' ? e.code : grpc.status.UNKNOWN, e.details ?? e.message ?? 'unknown error');
}

function msUntil(deadline: Date | number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** A server-side call object: what fleet-service.ts reads (request, events) and writes. */
function serverCall(request?: unknown): EventEmitter & Record<string, unknown> {
  const call = new EventEmitter() as EventEmitter & Record<string, unknown>;
  call.setMaxListeners(50);
  Object.assign(call, { request, cancelled: false, metadata: new grpc.Metadata(), getPeer: () => 'in-process', getDeadline: () => Infinity });
  return call;
}

/**
 * One call's ending, as grpc-js settles it: once, with its deadline timer cleared; a client-side cancel or an
 * expired deadline marks the server call cancelled (fleet-service listens for it) and ends the call with the status.
 */
function callLifetime(call: EventEmitter & Record<string, unknown>, deadline: Date | number | undefined, onEnd: (err: grpc.ServiceError | null, res?: unknown) => void, onCancel?: () => void) {
  let done = false;
  const settle = (err: grpc.ServiceError | null, res?: unknown): void => {
    if (done) return;
    done = true;
    if (timer) clearTimeout(timer);
    onEnd(err, res);
  };
  const cancel = (code: grpc.status, why: string): void => {
    if (done) return;
    call['cancelled'] = true;
    onCancel?.();
    call.emit('cancelled');
    settle(statusError(code, why));
  };
  const wait = msUntil(deadline);
  const timer = wait === undefined ? undefined : setTimeout(() => cancel(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded'), wait);
  return { settle, cancel, isDone: () => done };
}

/** Serves a Fleet service's handlers to any number of in-process clients. */
export class InProcessFleetChannel {
  private readonly service: Record<string, MethodDef>;
  private readonly scheduler: DeliveryScheduler;

  /** `scheduling` tunes the depth-first delivery order (tests); the defaults serve simulations. */
  constructor(
    private readonly handlers: FleetHandlers,
    scheduling: DeliverySchedulerOptions = {},
  ) {
    this.service = loadProtos().fleet.fedfin.v1.Fleet.service as unknown as Record<string, MethodDef>;
    this.scheduler = new DeliveryScheduler(scheduling);
  }

  /** A GrpcLink (the daemon's link) over this channel; `address` only names the coordinator in logs. */
  link(options: Omit<GrpcLinkOptions, 'client' | 'security'> = {}): GrpcLink {
    return new GrpcLink('in-process', { ...options, client: this.client() });
  }

  /** A new Fleet client stub (one per daemon, as in production). */
  client(): FleetClient {
    // As grpc-js: close() lets calls in flight finish; a later call throws 'Channel has been shut down'.
    let closed = false;
    // Every delivery of this stub's calls, both directions, runs in order on one lane.
    const lane = this.scheduler.lane();
    const stub = {
      Join: (req: unknown, opts: CallOptions, cb: Callback) => this.unary('Join', req, opts, cb, closed, lane),
      PullInstruction: (req: unknown, opts: CallOptions, cb: Callback) => this.unary('PullInstruction', req, opts, cb, closed, lane),
      Heartbeat: (req: unknown, opts: CallOptions, cb: Callback) => this.unary('Heartbeat', req, opts, cb, closed, lane),
      DownloadModel: (req: unknown, opts: CallOptions) => this.download(req, opts, closed, lane),
      PushResult: (opts: CallOptions, cb: Callback) => this.push(opts, cb, closed, lane),
      close: () => {
        closed = true;
      },
    };
    return stub as unknown as FleetClient;
  }

  private def(name: string): MethodDef {
    return this.service[name]!;
  }

  private unary(name: 'Join' | 'PullInstruction' | 'Heartbeat', req: unknown, opts: CallOptions, cb: Callback, closed: boolean, lane: DeliveryLane) {
    if (closed) throw new Error('Channel has been shut down');
    const def = this.def(name);
    const call = serverCall(def.requestDeserialize(def.requestSerialize(req)));
    const life = callLifetime(call, opts.deadline, (err, res) => lane.post(() => cb(err, res)));
    const handler = this.handlers[name] as unknown as (call: unknown, cb: (err: unknown, res?: unknown) => void) => void;
    lane.post(() => {
      if (life.isDone()) return;
      handler(call, (err, res) => (err ? life.settle(fromServer(err)) : life.settle(null, def.responseDeserialize(def.responseSerialize(res)))));
    });
    return { cancel: () => life.cancel(grpc.status.CANCELLED, 'Cancelled on client') };
  }

  private download(req: unknown, opts: CallOptions, closed: boolean, lane: DeliveryLane) {
    if (closed) throw new Error('Channel has been shut down');
    const def = this.def('DownloadModel');
    const call = serverCall(def.requestDeserialize(def.requestSerialize(req)));
    const stream = new EventEmitter() as EventEmitter & { cancel(): void };
    const life = callLifetime(call, opts.deadline, (err) => lane.post(() => (err ? stream.emit('error', err) : stream.emit('end'))));
    Object.assign(call, {
      write: (msg: unknown) => {
        if (life.isDone()) return false;
        const copy = def.responseDeserialize(def.responseSerialize(msg));
        lane.post(() => stream.emit('data', copy));
        return true;
      },
      end: () => life.settle(null),
    });
    // fleet-service reports a failed download with call.emit('error', status): grpc-js sends it as the stream's status.
    call.on('error', (err: unknown) => life.settle(fromServer(err)));
    stream.cancel = () => life.cancel(grpc.status.CANCELLED, 'Cancelled on client');
    lane.post(() => life.isDone() || (this.handlers.DownloadModel as unknown as (c: unknown) => void)(call));
    return stream;
  }

  private push(opts: CallOptions, cb: Callback, closed: boolean, lane: DeliveryLane) {
    if (closed) throw new Error('Channel has been shut down');
    const def = this.def('PushResult');
    const call = serverCall();
    let destroyed = false;
    const life = callLifetime(call, opts.deadline, (err, res) => lane.post(() => cb(err, res)), () => (destroyed = true));
    call['destroy'] = () => {
      destroyed = true;
    };
    const deliver = (event: string, msg?: unknown): void => {
      lane.post(() => {
        if (!destroyed && !life.isDone()) call.emit(event, msg);
      });
    };
    const handler = this.handlers.PushResult as unknown as (call: unknown, cb: (err: unknown, res?: unknown) => void) => void;
    handler(call, (err, res) => (err ? life.settle(fromServer(err)) : life.settle(null, def.responseDeserialize(def.responseSerialize(res)))));
    return {
      write: (msg: unknown) => {
        if (life.isDone()) return false;
        deliver('data', def.requestDeserialize(def.requestSerialize(msg)));
        return true;
      },
      end: () => deliver('end'),
      cancel: () => life.cancel(grpc.status.CANCELLED, 'Cancelled on client'),
    };
  }
}
