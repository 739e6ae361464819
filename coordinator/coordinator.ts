/**
 * The coordinator process: one store, the member registry, the dispatcher, a runner per running job,
 * and the gRPC server with the Fleet and Admin services. `start()` resumes every running job from its
 * last committed round.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { FedfinError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import type { RandomSource } from '../common/random.js';
import type { Weights } from '../common/weights.js';
import { loadProtos } from '../proto/loader.js';
import type { ResultInfo } from '../schema/fleet.js';
import { parseJobSpec } from '../schema/job-spec.js';
import { resolveSchema } from '../schema/registry.js';
import { getTask } from '../tasks/registry.js';
import { Dispatcher, type OpenInstruction } from './fleet/dispatcher.js';
import { MemberRegistry } from './fleet/member-registry.js';
import { runJob, type JobEventKind } from './job-runner.js';
import { validateResult } from './result-validation.js';
import type { JobRecord, Store } from './store/store.js';
import { createAdminOpsService } from './transport/admin-ops-service.js';
import { createAdminService } from './transport/admin-service.js';
import { createFleetService } from './transport/fleet-service.js';
import { RpcError } from './transport/status.js';

export interface CoordinatorOptions {
  readonly store: Store;
  readonly logger: Logger;
  /** Address to bind, e.g. `127.0.0.1:7070` or `localhost:0`. */
  readonly address: string;
  /** Server credentials: built in one place by the caller (insecure on loopback until mTLS lands). */
  readonly credentials: grpc.ServerCredentials;
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
    this.fleetHandlers = createFleetService({
      registry: this.registry,
      dispatcher: this.dispatcher,
      onJoin: async (s) => {
        await store.upsertMember({ memberId: s.memberId, lastSeen: new Date().toISOString(), tfBackend: s.tfBackend, acceptedTasks: s.acceptedTasks });
        await store.appendAudit({ type: 'member-joined', memberId: s.memberId, detail: { tfBackend: s.tfBackend, acceptedTasks: [...s.acceptedTasks] } });
        logger.info('member joined', { member: s.memberId, backend: s.tfBackend });
      },
      acceptResult: (open, result, weights) => this.acceptResult(open, result, weights),
    }, { heartbeatIntervalMs: hb, maxWaitMs, logger });
    this.server.addService(fleet.fedfin.v1.Fleet.service, this.fleetHandlers);
    this.server.addService(admin.fedfin.v1.Admin.service, {
      ...createAdminService({
        store,
        registry: this.registry,
        events: this.events,
        submitJob: (spec, actor) => this.submitJob(spec, actor),
        abortJob: (id, actor) => this.abortJob(id, actor),
      }, logger),
      ...createAdminOpsService({ store, checkpointAt: async (j, r) => (await store.checkpoint(j, r))?.weights }, logger),
    });
  }

  /** The port bound by start() (useful with `localhost:0`). */
  get port(): number {
    return this.boundPort;
  }

  /** Binds the server and resumes every running job. */
  async start(): Promise<number> {
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(this.options.address, this.options.credentials, (err, port) => (err ? reject(err) : resolve(port))),
    );
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

  private async acceptResult(open: OpenInstruction, result: ResultInfo, weights: Weights | undefined): Promise<'accepted' | 'duplicate'> {
    const spec = parseJobSpec(open.info.jobSpecJson);
    validateResult(open, result, weights, spec.privacy.mode === 'dp-sgd');
    // The stage may have closed while a large update was uploading: storing it now would slip it into a closed round.
    if (this.dispatcher.status(open.info.instructionId) === 'closed') throw new RpcError(grpc.status.FAILED_PRECONDITION, 'the stage of this instruction closed during the upload; the result is discarded');
    const stored = await this.options.store.saveResult({
      instructionId: open.info.instructionId,
      jobId: open.info.jobId,
      round: open.info.round,
      stage: open.info.stage,
      memberId: open.memberId,
      headerJson: JSON.stringify(result),
      weights,
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
