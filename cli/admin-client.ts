/** A typed client of the coordinator's Admin service: deadlines on every call, gRPC failures turned into domain errors. */
import * as grpc from '@grpc/grpc-js';
import type { z } from 'zod';
import { ConfigError, FedfinError } from '../common/errors.js';
import { loadProtos } from '../proto/loader.js';
import type { AdminClient as WireAdminClient } from '../proto/generated/fedfin/v1/Admin.js';
import type { JobSummary__Output } from '../proto/generated/fedfin/v1/JobSummary.js';
import type { RoundSummary__Output } from '../proto/generated/fedfin/v1/RoundSummary.js';
import type { JobDetail__Output } from '../proto/generated/fedfin/v1/JobDetail.js';
import type { JobEvent__Output } from '../proto/generated/fedfin/v1/JobEvent.js';
import type { ListJobsResponse__Output } from '../proto/generated/fedfin/v1/ListJobsResponse.js';
import type { ListMembersResponse__Output } from '../proto/generated/fedfin/v1/ListMembersResponse.js';

/** The coordinator address used when neither `--coordinator` nor FEDFIN_COORDINATOR is given. */
export const DEFAULT_COORDINATOR = '127.0.0.1:7070';

/** A job as the Admin service reports it. */
export interface JobView {
  readonly jobId: string;
  readonly name: string;
  readonly task: string;
  /** `running`, `completed`, `failed` or `aborted`. */
  readonly status: string;
  readonly roundsTotal: number;
  readonly roundsDone: number;
  readonly createdAt: string;
  /** Why the job failed or was aborted; empty otherwise. */
  readonly reason: string;
}

/** One committed round. `epsilon` is the largest cumulative ε over its banks (0 without DP). */
export interface RoundView {
  readonly round: number;
  readonly participants: readonly string[];
  /** Each as `member (kind: reason)`, e.g. `bank-c (timeout: no result within 300000 ms)`. */
  readonly dropped: readonly string[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly epsilon: number;
  readonly delta: number;
  readonly completedAt: string;
  readonly trainMs: number;
  readonly evaluateMs: number;
}

/** A job with its spec and every committed round. */
export interface JobDetailView {
  readonly job: JobView;
  readonly specJson: string;
  readonly rounds: readonly RoundView[];
}

/** One WatchJob event. `round` is set for `round-committed`, `roundStarted` for `round-started`. */
export interface JobEventView {
  /** `state`, `round-started`, `round-committed` or `job-finished` (newer coordinators may add kinds). */
  readonly kind: string;
  readonly job: JobView;
  readonly round: RoundView | undefined;
  readonly roundStarted: number;
}

/** A bank known to the coordinator. */
export interface MemberView {
  readonly memberId: string;
  /** `online` or `offline`. */
  readonly status: string;
  readonly lastSeen: string;
  readonly tfBackend: string;
  readonly acceptedTasks: readonly string[];
}

/** Options of {@link AdminClient}. */
export interface AdminClientOptions {
  /** Deadline of every unary call. @default 10000 */
  readonly callTimeoutMs?: number;
  /** Deadline of a WatchJob stream: a watch longer than this ends with DEADLINE_EXCEEDED. @default 7 days */
  readonly watchTimeoutMs?: number;
}

const job = (s: JobSummary__Output | null): JobView => ({
  jobId: s?.job_id ?? '',
  name: s?.name ?? '',
  task: s?.task ?? '',
  status: s?.status ?? '',
  roundsTotal: s?.rounds_total ?? 0,
  roundsDone: s?.rounds_done ?? 0,
  createdAt: s?.created_at ?? '',
  reason: s?.reason ?? '',
});

const round = (r: RoundSummary__Output): RoundView => ({
  round: r.round,
  participants: [...r.participants],
  dropped: [...r.dropped],
  metrics: { ...(r.metrics?.values ?? {}) },
  epsilon: r.epsilon,
  delta: r.delta,
  completedAt: r.completed_at,
  trainMs: Number(r.train_ms),
  evaluateMs: Number(r.evaluate_ms),
});

/**
 * Turns the details of INVALID_ARGUMENT (`job spec: a.b: message; c: message`, see
 * coordinator/transport/status.ts and common/errors.ts ConfigError) back into zod-shaped issues,
 * one per path, so the CLI prints one line each.
 */
export function issuesFromDetails(details: string): z.core.$ZodIssue[] {
  const body = details.replace(/^job spec: /, '');
  return body
    .split(/; (?=(?:\(root\)|[\w$-]+(?:\.[\w$-]+)*): )/)
    .filter((part) => part.trim().length > 0)
    .map((part) => {
      const m = /^((?:\(root\)|[\w$-]+(?:\.[\w$-]+)*)): ([\s\S]*)$/.exec(part);
      const path = m && m[1] !== '(root)' ? m[1]!.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
      return { code: 'custom', path, message: m ? m[2]! : part, input: undefined } as z.core.$ZodIssue;
    });
}

/**
 * Maps a gRPC failure to a domain error: UNAVAILABLE/DEADLINE_EXCEEDED → `client-unavailable`
 * ("cannot reach coordinator at …"), INVALID_ARGUMENT → ConfigError (exit 2), NOT_FOUND → `job-not-found`,
 * FAILED_PRECONDITION → `config-invalid` (e.g. aborting a finished job), anything else → `internal`.
 */
export function adminError(err: unknown, address: string, what: string): Error {
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e?.code !== 'number') return err instanceof Error ? err : new Error(String(err));
  const details = e.details ?? e.message ?? '';
  switch (e.code) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.DEADLINE_EXCEEDED:
      return new FedfinError('client-unavailable', `cannot reach coordinator at ${address} (${details || grpc.status[e.code]}); is \`fedfin coordinator start\` running there?`, { cause: err });
    case grpc.status.INVALID_ARGUMENT:
      return new ConfigError(what, issuesFromDetails(details));
    case grpc.status.NOT_FOUND:
      return new FedfinError('job-not-found', details, { cause: err });
    case grpc.status.FAILED_PRECONDITION:
      return new FedfinError('config-invalid', details, { cause: err });
    default:
      return new FedfinError('internal', `coordinator at ${address}: ${grpc.status[e.code] ?? e.code}: ${details}`, { cause: err });
  }
}

/** The Admin service over one gRPC channel. Call `close()` when done. */
export class AdminClient {
  private readonly client: WireAdminClient;
  private readonly callTimeoutMs: number;
  private readonly watchTimeoutMs: number;

  /**
   * @param address `host:port` of the coordinator.
   * @param credentials channel credentials; insecure (loopback) until mTLS is configured.
   */
  constructor(
    readonly address: string,
    options: AdminClientOptions = {},
    credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  ) {
    const Ctor = loadProtos().admin.fedfin.v1.Admin;
    this.client = new Ctor(address, credentials);
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.watchTimeoutMs = options.watchTimeoutMs ?? 7 * 24 * 3600 * 1000;
  }

  private unary<Res>(what: string, invoke: (options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, res?: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      invoke({ deadline: Date.now() + this.callTimeoutMs }, (err, res) => (err || res === undefined ? reject(adminError(err ?? new Error('empty response'), this.address, what)) : resolve(res)));
    });
  }

  /**
   * Submits a job spec (JSON text); the coordinator validates it and starts the job.
   * @throws ConfigError with one issue per zod path when the spec is invalid; FedfinError('client-unavailable').
   */
  async submitJob(specJson: string, source = 'job spec'): Promise<JobView> {
    return job(await this.unary<JobSummary__Output>(source, (o, cb) => this.client.SubmitJob({ spec_json: specJson }, o, cb)));
  }

  /** Every job, newest first. */
  async listJobs(): Promise<JobView[]> {
    const res = await this.unary<ListJobsResponse__Output>('list jobs', (o, cb) => this.client.ListJobs({}, o, cb));
    return res.jobs.map(job);
  }

  /** A job with its committed rounds. @throws FedfinError('job-not-found'). */
  async getJob(jobId: string): Promise<JobDetailView> {
    const res = await this.unary<JobDetail__Output>('get job', (o, cb) => this.client.GetJob({ job_id: jobId }, o, cb));
    return { job: job(res.summary), specJson: res.spec_json, rounds: res.rounds.map(round) };
  }

  /** Aborts a running job. @throws FedfinError('job-not-found'), FedfinError('config-invalid') when it already ended. */
  async abortJob(jobId: string): Promise<JobView> {
    return job(await this.unary<JobSummary__Output>('abort job', (o, cb) => this.client.AbortJob({ job_id: jobId }, o, cb)));
  }

  /** Known banks with their connection state. */
  async listMembers(): Promise<MemberView[]> {
    const res = await this.unary<ListMembersResponse__Output>('list members', (o, cb) => this.client.ListMembers({}, o, cb));
    return res.members.map((m) => ({ memberId: m.member_id, status: m.status, lastSeen: m.last_seen, tfBackend: m.tf_backend, acceptedTasks: [...m.accepted_tasks] }));
  }

  /**
   * Streams a job's events until it ends (the first events replay committed rounds, then its state).
   * Breaking out of the loop or aborting `signal` cancels the stream.
   * @throws FedfinError('job-not-found'), FedfinError('client-unavailable').
   */
  async *watchJob(jobId: string, signal?: AbortSignal): AsyncGenerator<JobEventView> {
    const stream = this.client.WatchJob({ job_id: jobId }, { deadline: Date.now() + this.watchTimeoutMs });
    const onAbort = (): void => stream.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const ev of stream as AsyncIterable<JobEvent__Output>) {
        yield { kind: ev.kind, job: job(ev.summary), round: ev.round ? round(ev.round) : undefined, roundStarted: ev.round_started };
      }
    } catch (err) {
      if ((err as grpc.ServiceError).code === grpc.status.CANCELLED && signal?.aborted) return;
      throw adminError(err, this.address, 'watch job');
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stream.cancel();
    }
  }

  /** Closes the channel. */
  close(): void {
    this.client.close();
  }
}
