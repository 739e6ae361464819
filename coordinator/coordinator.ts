/**
 * The coordinator process: one store, the member registry, the dispatcher, a runner per running job,
 * and the gRPC server with the Fleet and Admin services. `start()` resumes every running job from its
 * last committed round.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { boundedMemo } from '../common/bounded-memo.js';
import { FedfinError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { decodeWeights } from '../common/weights-codec.js';
import type { RandomSource } from '../common/random.js';
import type { Weights } from '../common/weights.js';
import { loadProtos } from '../proto/loader.js';
import { storedResultJson, type ResultInfo } from '../schema/fleet.js';
import { parseJobSpec, type JobSpec } from '../schema/job-spec.js';
import { resolveSchema } from '../schema/registry.js';
import { getTask } from '../tasks/registry.js';
import { Dispatcher, type OpenInstruction } from './fleet/dispatcher.js';
import { MemberRegistry } from './fleet/member-registry.js';
import { assertSecureAggregationSound } from './job-config.js';
import { runJob, type JobEventKind } from './job-runner.js';
import { validateResult } from './result-validation.js';
import type { JobRecord, Store } from './store/store.js';
import { createAdminOpsService } from './transport/admin-ops-service.js';
import { createAdminService } from './transport/admin-service.js';
import { CallGuard, type RefusedCall } from './transport/call-guard.js';
import { createFleetService } from './transport/fleet-service.js';
import { RpcError } from './transport/status.js';
import { KitServerCredentials } from './transport/tls-credentials.js';
import { createAuditSigner } from '../security/audit-hash.js';
import { FederationTrust, type TrustChange } from '../security/federation-trust.js';
import { wipeIdentityKey } from '../security/identity-keys.js';

/** The model a stage sent, decoded once per stage (all its banks share one encoding), not once per result. */
const sentModels = new WeakMap<Uint8Array, { readonly headers: OpenInstruction['headers']; readonly weights: Weights }>();
function sentModel(open: OpenInstruction): Weights {
  const known = sentModels.get(open.modelBytes);
  if (known && known.headers === open.headers) return known.weights;
  const weights = decodeWeights(open.headers, open.modelBytes);
  sentModels.set(open.modelBytes, { headers: open.headers, weights });
  return weights;
}

/**
 * The job's `maxUpdateNorm`: the L2 norm of (update − the model the bank was sent) must not exceed it. Only without
 * secure aggregation: with it the coordinator sees masked vectors, and the bound belongs in the banks' clipping.
 * @throws FedfinError('protocol-violation') naming the member, the norm and the bound (the result is rejected as invalid).
 */
export function assertUpdateNorm(open: OpenInstruction, weights: Weights, spec: { readonly maxUpdateNorm?: number | undefined; readonly secureAggregation?: { readonly enabled?: boolean } }): void {
  const bound = spec.maxUpdateNorm;
  if (bound === undefined || spec.secureAggregation?.enabled === true) return;
  const model = sentModel(open);
  let sq = 0;
  weights.forEach((t, i) => {
    const base = model[i]!.values;
    for (let j = 0; j < t.values.length; j++) sq += (t.values[j]! - base[j]!) ** 2;
  });
  const norm = Math.sqrt(sq);
  if (!(norm <= bound)) throw new FedfinError('protocol-violation', `result from ${open.memberId}: update norm ${norm.toPrecision(4)} exceeds the job's maxUpdateNorm ${bound}`);
}

/** Parsed job specs of the instructions results answer, by spec JSON (a coordinator runs a few jobs at a time). */
const resultSpecs = boundedMemo<JobSpec>(16);

export interface CoordinatorOptions {
  readonly store: Store;
  readonly logger: Logger;
  /** Address to bind, e.g. `127.0.0.1:7070` or `localhost:0`. */
  readonly address: string;
  /**
   * Mutual TLS from the coordinator's kit (`kits/coordinator`, or a FederationTrust over it): the server certificate,
   * the CA client certificates must chain to, the roster, the revocation list and the audit signing key. Each call is
   * mapped to a member or admin (coordinator/transport/call-guard.ts). The kit is re-read when its files change.
   */
  readonly kit?: string | FederationTrust;
  /** Without `kit`: explicit server credentials, insecure ones only on loopback (`--insecure`, tests). */
  readonly credentials?: grpc.ServerCredentials;
  /** Token bucket per member on Fleet calls. @default { capacity: 400, refillPerSecond: 200 } */
  readonly rateLimit?: { readonly capacity: number; readonly refillPerSecond: number };
  /** @default 2000 */
  readonly heartbeatIntervalMs?: number;
  /** A member with no long-poll in flight and no pull or heartbeat for this long is offline. @default max(5 × heartbeat, 15 s) */
  readonly livenessMs?: number;
  /** @default 20000 */
  readonly maxWaitMs?: number;
  /** Largest gRPC message accepted (chunked transfers keep messages ≤ 1 MiB). @default 8 MiB */
  readonly maxMessageBytes?: number;
  /**
   * Source of the initial model weights and of client sampling. Simulations pass a seeded source for
   * reproducible runs; production leaves it unset (`cryptoRandom()` from node:crypto).
   */
  readonly random?: RandomSource;
}

export class Coordinator {
  readonly registry: MemberRegistry;
  readonly dispatcher = new Dispatcher();
  readonly events = new EventEmitter();
  /** The Fleet service handlers the gRPC server serves (an in-process channel may serve them too). */
  readonly fleetHandlers: ReturnType<typeof createFleetService>;
  private readonly server: grpc.Server;
  private readonly credentials: grpc.ServerCredentials;
  /** The authentication and per-RPC authorisation in front of every handler. */
  readonly guard: CallGuard;
  private readonly trust: FederationTrust | undefined;
  private readonly runners = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private boundPort = 0;

  constructor(private readonly options: CoordinatorOptions) {
    const hb = options.heartbeatIntervalMs ?? 2000;
    const maxWaitMs = options.maxWaitMs ?? 20_000;
    this.registry = new MemberRegistry(options.livenessMs ?? Math.max(5 * hb, 15_000));
    this.events.setMaxListeners(1000);
    const maxBytes = options.maxMessageBytes ?? 8 * 1024 * 1024;
    this.server = new grpc.Server({ 'grpc.max_receive_message_length': maxBytes, 'grpc.max_send_message_length': maxBytes });
    const { fleet, admin } = loadProtos();
    const store = options.store;
    const logger = options.logger;
    const trust = typeof options.kit === 'string' ? new FederationTrust(options.kit) : options.kit;
    trust?.onChange((c) => void this.auditTrustChange(c));
    this.trust = trust;
    if (trust) {
      const creds = new KitServerCredentials(trust);
      this.credentials = creds;
      const auditKey = trust.kit.auditSigningKey;
      if (auditKey) {
        store.setAuditSigner?.(createAuditSigner(auditKey.secretKey));
        wipeIdentityKey(auditKey);
      }
      this.guard = new CallGuard({ trust, credentials: creds, logger, onRefused: (e) => void this.auditRefusal(e), ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) });
    } else {
      if (!options.credentials) throw new FedfinError('config-invalid', 'Coordinator: pass `kit` (mutual TLS) or explicit `credentials`');
      this.credentials = options.credentials;
      this.guard = new CallGuard({ logger, onRefused: (e) => void this.auditRefusal(e), ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) });
    }
    const guard = this.guard;
    this.fleetHandlers = createFleetService({
      registry: this.registry,
      dispatcher: this.dispatcher,
      onJoin: async (s) => {
        await store.upsertMember({ memberId: s.memberId, lastSeen: new Date().toISOString(), tfBackend: s.tfBackend, acceptedTasks: s.acceptedTasks });
        await store.appendAudit({ type: 'member-joined', memberId: s.memberId, detail: { tfBackend: s.tfBackend, acceptedTasks: [...s.acceptedTasks] } });
        logger.info('member joined', { member: s.memberId, backend: s.tfBackend });
      },
      acceptResult: (open, result, weights, masked) => this.acceptResult(open, result, weights, masked),
      callerOf: (call) => guard.memberOf(call),
    }, { heartbeatIntervalMs: hb, maxWaitMs, logger });
    this.server.addService(fleet.fedfin.v1.Fleet.service, guard.wrap('Fleet', fleet.fedfin.v1.Fleet.service, this.fleetHandlers));
    this.server.addService(admin.fedfin.v1.Admin.service, guard.wrap('Admin', admin.fedfin.v1.Admin.service, {
      ...createAdminService({
        store,
        registry: this.registry,
        events: this.events,
        submitJob: (spec, actor) => this.submitJob(spec, actor),
        abortJob: (id, actor) => this.abortJob(id, actor),
        actorOf: (call) => guard.callerOf(call)?.id ?? 'admin',
      }, logger),
      ...createAdminOpsService({ store, checkpointAt: async (j, r) => (await store.checkpoint(j, r))?.weights, actorOf: (call) => guard.callerOf(call)?.id ?? 'admin' }, logger),
    }));
  }

  /** Enrolments, revocations and rotations the coordinator picked up from its kit, each as an audit entry. */
  private async auditTrustChange(c: TrustChange): Promise<void> {
    const store = this.options.store;
    try {
      for (const e of c.enrolled) await store.appendAudit({ type: 'participant-enrolled', ...(e.kind === 'member' ? { memberId: e.id } : { actor: e.id }), detail: { kind: e.kind, role: e.role, serial: e.serial } });
      for (const r of c.revoked) await store.appendAudit({ type: r.reason === 'superseded' ? 'certificate-superseded' : 'participant-revoked', ...(r.memberId ? { memberId: r.memberId } : {}), detail: { serial: r.serial ?? null, reason: r.reason, revokedAt: r.revokedAt, revocationVersion: c.revocationVersion } });
      for (const r of c.rotated) await store.appendAudit({ type: 'certificate-rotated', ...(r.id === 'coordinator' ? {} : { memberId: r.id }), detail: { id: r.id, serial: r.serial, previousSerial: r.previousSerial } });
    } catch (err) {
      this.options.logger.error('could not audit a trust change', { error: (err as Error).message });
    }
    this.options.logger.info('federation kit reloaded', { enrolled: c.enrolled.length, revoked: c.revoked.length, rotated: c.rotated.length, revocationVersion: c.revocationVersion });
  }

  /** One audit entry per refused call (the guard already collapses floods of the same refusal). */
  private async auditRefusal(e: RefusedCall): Promise<void> {
    try {
      await this.options.store.appendAudit({ type: e.reason === 'permission-denied' ? 'permission-denied' : e.reason === 'rate-limited' ? 'rate-limited' : 'peer-refused', ...(e.caller ? { actor: e.caller } : {}), detail: { rpc: `${e.service}.${e.rpc}`, reason: e.reason, message: e.message, peer: e.peer, ...(e.subject ? { subject: e.subject } : {}) } });
    } catch (err) {
      this.options.logger.error('could not audit a refused call', { error: (err as Error).message });
    }
  }

  /** The port bound by start() (useful with `localhost:0`). */
  get port(): number {
    return this.boundPort;
  }

  /** Binds the server and resumes every running job. */
  async start(): Promise<number> {
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(this.options.address, this.credentials, (err, port) => (err ? reject(err) : resolve(port))),
    );
    const t = this.trust;
    await this.options.store.appendAudit({ type: 'coordinator-started', detail: t ? { tls: 'mtls', federation: t.kit.federation, serial: t.kit.serial, revocationVersion: t.revocationVersion } : { tls: 'insecure' } });
    for (const job of await this.options.store.listJobs()) {
      if (job.status === 'running') {
        this.options.logger.info('resuming job', { job: job.jobId, roundsDone: job.roundsDone, roundsTotal: job.roundsTotal });
        this.launch(job.jobId);
      }
    }
    return this.boundPort;
  }

  /** Stops runners (without changing job status: they resume on the next start) and the server. */
  async stop(graceMs = 2000): Promise<void> {
    for (const r of this.runners.values()) r.controller.abort();
    await Promise.all([...this.runners.values()].map((r) => r.done));
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Submits a job spec as `actor` (what the Admin service's SubmitJob does) and starts its runner. */
  submit(specJson: string, actor: string): Promise<JobRecord> {
    return this.submitJob(specJson, actor);
  }

  /** Resolves when the job's runner finishes (tests, demo). */
  async waitForJob(jobId: string): Promise<void> {
    await this.runners.get(jobId)?.done;
  }

  private launch(jobId: string): void {
    const controller = new AbortController();
    const emit = (id: string, kind: JobEventKind, detail: { round?: number; reason?: string }) => this.events.emit(`job:${id}`, { kind, ...detail });
    const done = runJob({ store: this.options.store, dispatcher: this.dispatcher, registry: this.registry, logger: this.options.logger, onEvent: emit, random: this.options.random }, jobId, controller.signal)
      .catch((err: unknown) => this.options.logger.error('job runner crashed', { job: jobId, error: err instanceof Error ? err.message : String(err) }))
      .finally(() => this.runners.delete(jobId));
    this.runners.set(jobId, { controller, done });
  }

  private async submitJob(specJson: string, actor: string): Promise<JobRecord> {
    const spec = parseJobSpec(specJson, 'job spec');
    assertSecureAggregationSound(spec);
    const task = getTask(spec.task);
    const schema = resolveSchema(spec.schema);
    if (!task.schemaKinds.includes(schema.kind)) throw new FedfinError('config-invalid', `task ${task.name} does not accept ${schema.kind} schemas (${schema.id})`);
    const now = new Date();
    const jobId = `job-${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
    const record = { jobId, name: spec.name, task: spec.task, specJson: JSON.stringify(spec), roundsTotal: spec.rounds, createdAt: now.toISOString() };
    await this.options.store.createJob(record);
    await this.options.store.appendAudit({ type: 'job-submitted', jobId, actor, detail: { name: spec.name, task: spec.task, rounds: spec.rounds, privacy: spec.privacy.mode } });
    this.options.logger.info('job submitted', { job: jobId, name: spec.name, rounds: spec.rounds });
    this.launch(jobId);
    return (await this.options.store.getJob(jobId))!;
  }

  private async abortJob(jobId: string, actor: string): Promise<JobRecord> {
    const r = this.runners.get(jobId);
    r?.controller.abort();
    await r?.done;
    const job = await this.options.store.getJob(jobId);
    // The runner may have finished the job while we waited for it: an ended job stays as it ended.
    if (!job || job.status !== 'running') throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${jobId} is ${job?.status ?? 'unknown'}, not running`);
    await this.options.store.clearRound(jobId, job.roundsDone + 1);
    await this.options.store.setJobStatus(jobId, 'aborted', `aborted by ${actor}`);
    await this.options.store.appendAudit({ type: 'job-aborted', jobId, actor, detail: {} });
    this.events.emit(`job:${jobId}`, { kind: 'job-finished' });
    return (await this.options.store.getJob(jobId))!;
  }

  private async acceptResult(open: OpenInstruction, result: ResultInfo, weights: Weights | undefined, masked?: Uint8Array): Promise<'accepted' | 'duplicate'> {
    // Every result of a job carries the same spec JSON: parse (zod) once per job, not once per result.
    const spec = resultSpecs.get(open.info.jobSpecJson, (json) => parseJobSpec(json));
    validateResult(open, result, weights, spec.privacy.mode === 'dp-sgd', masked);
    if (weights && result.status === 'ok') assertUpdateNorm(open, weights, spec);
    // A SecAgg stage message (or masked vector) is kept apart from the header; the SecAgg server checks it at stage close.
    const { secaggPayload, ...header } = result;
    // The stage may have closed while a large update was uploading: storing it now would slip it into a closed round.
    if (this.dispatcher.status(open.info.instructionId) === 'closed') throw new RpcError(grpc.status.FAILED_PRECONDITION, 'the stage of this instruction closed during the upload; the result is discarded');
    const stored = await this.options.store.saveResult({
      instructionId: open.info.instructionId,
      jobId: open.info.jobId,
      round: open.info.round,
      stage: open.info.stage,
      memberId: open.memberId,
      headerJson: storedResultJson(header), // histogram counts run-length encoded: a fraction of the JSON work per bank
      weights,
      ...(secaggPayload ?? masked ? { payload: secaggPayload ?? masked } : {}),
      receivedAt: new Date().toISOString(),
    });
    if (!stored) return 'duplicate';
    if (result.status !== 'ok') {
      await this.options.store.appendAudit({ type: result.status === 'refused' ? 'bank-refused' : 'bank-failed', jobId: open.info.jobId, memberId: open.memberId, detail: { round: open.info.round, stage: open.info.stage, reason: result.reason } });
    }
    this.dispatcher.notifyResult(open.info.instructionId);
    return 'accepted';
  }
}
