/** The Admin service handlers: submit, list, get, watch and abort jobs; list members. */
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../common/log.js';
import type { AdminHandlers } from '../../proto/generated/fedfin/v1/Admin.js';
import type { JobSummary } from '../../proto/generated/fedfin/v1/JobSummary.js';
import type { RoundSummary } from '../../proto/generated/fedfin/v1/RoundSummary.js';
import type { JobRecord, RoundRecord, Store } from '../store/store.js';
import type { MemberRegistry } from '../fleet/member-registry.js';
import { RpcError, toServiceError, unary } from './status.js';

/** What the Admin service needs from the coordinator. */
export interface AdminBackend {
  readonly store: Store;
  readonly registry: MemberRegistry;
  /** Emits `job:<id>` with {kind, round?} on every job event. */
  readonly events: EventEmitter;
  submitJob(specJson: string, actor: string): Promise<JobRecord>;
  abortJob(jobId: string, actor: string): Promise<JobRecord>;
  /** The authenticated admin of a call (its certificate's CN), recorded as the actor. @default 'admin' */
  actorOf?(call: object): string;
}

export function jobToWire(j: JobRecord): JobSummary {
  return { job_id: j.jobId, name: j.name, task: j.task, status: j.status, rounds_total: j.roundsTotal, rounds_done: j.roundsDone, created_at: j.createdAt, reason: j.reason };
}

export function roundToWire(r: RoundRecord): RoundSummary {
  return {
    round: r.round,
    participants: [...r.participants],
    dropped: r.dropped.map((d) => `${d.memberId} (${d.stage ? `at ${d.stage}, ` : ''}${d.kind}: ${d.reason})`),
    metrics: { values: { ...r.metrics } },
    epsilon: r.epsilon ?? 0,
    delta: r.delta ?? 0,
    completed_at: r.completedAt,
    train_ms: r.trainMs,
    evaluate_ms: r.evaluateMs,
  };
}

async function jobOrThrow(store: Store, jobId: string): Promise<JobRecord> {
  const j = await store.getJob(jobId);
  if (!j) throw new RpcError(grpc.status.NOT_FOUND, `no job ${JSON.stringify(jobId.slice(0, 80))}`);
  return j;
}

/** Builds the job and member handlers; coordinator.ts merges them with admin-ops-service.ts's for `server.addService(Admin.service, …)`. */
export function createAdminService(backend: AdminBackend, logger: Logger): Pick<AdminHandlers, 'SubmitJob' | 'ListJobs' | 'GetJob' | 'WatchJob' | 'AbortJob' | 'ListMembers'> {
  const { store } = backend;
  return {
    SubmitJob: unary(logger, 'SubmitJob', async (req, call) => jobToWire(await backend.submitJob(req.spec_json, backend.actorOf?.(call) ?? 'admin'))),
    ListJobs: unary(logger, 'ListJobs', async () => ({ jobs: (await store.listJobs()).map(jobToWire) })),
    GetJob: unary(logger, 'GetJob', async (req) => {
      const j = await jobOrThrow(store, req.job_id);
      return { summary: jobToWire(j), spec_json: j.specJson, rounds: (await store.listRounds(j.jobId)).map(roundToWire) };
    }),
    AbortJob: unary(logger, 'AbortJob', async (req, call) => {
      const j = await jobOrThrow(store, req.job_id);
      if (j.status !== 'running') throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${j.jobId} is ${j.status}, not running`);
      return jobToWire(await backend.abortJob(j.jobId, backend.actorOf?.(call) ?? 'admin'));
    }),
    ListMembers: unary(logger, 'ListMembers', async () => ({
      members: (await store.listMembers()).map((m) => ({
        member_id: m.memberId,
        status: backend.registry.isOnline(m.memberId) ? 'online' : 'offline',
        last_seen: m.lastSeen,
        tf_backend: m.tfBackend,
        accepted_tasks: [...m.acceptedTasks],
      })),
    })),
    WatchJob: (call) => {
      const jobId = call.request.job_id;
      let closed = false;
      const channel = `job:${jobId}`;
      const send = async (kind: string, round?: number) => {
        const j = await store.getJob(jobId);
        if (!j || closed) return;
        const rounds = kind === 'round-committed' ? await store.listRounds(jobId) : [];
        const last = rounds.find((r) => r.round === round);
        call.write({ kind, summary: jobToWire(j), ...(last ? { round: roundToWire(last) } : {}), round_started: kind === 'round-started' ? (round ?? 0) : 0 });
        if (j.status !== 'running') finish();
      };
      // Events are sent strictly in order: a job-finished must not overtake the round it follows.
      let queue = Promise.resolve();
      const listener = (e: { kind: string; round?: number }) => {
        queue = queue.then(() => send(e.kind, e.round)).catch(() => finish());
      };
      const finish = () => {
        if (closed) return;
        closed = true;
        backend.events.off(channel, listener);
        call.end();
      };
      call.on('cancelled', finish);
      void (async () => {
        try {
          await jobOrThrow(store, jobId);
          backend.events.on(channel, listener);
          // The first event replays committed rounds so a late watcher sees the whole history.
          const j = await jobOrThrow(store, jobId);
          for (const r of await store.listRounds(jobId)) call.write({ kind: 'round-committed', summary: jobToWire(j), round: roundToWire(r) });
          await send('state');
        } catch (err) {
          closed = true;
          backend.events.off(channel, listener);
          // emit('error'), not destroy(): only the 'error' handler sends the status (see fleet-service DownloadModel).
          call.emit('error', Object.assign(new Error('watch failed'), toServiceError(err, logger, 'WatchJob')));
        }
      })();
    },
  };
}
