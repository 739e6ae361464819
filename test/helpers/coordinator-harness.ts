/** Test harness for coordinator integration tests: an in-process Coordinator on 127.0.0.1, an Admin client, job specs and waitFor. */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger } from '../../common/log.js';
import { Coordinator } from '../../coordinator/coordinator.js';
import { openSqliteStore } from '../../coordinator/store/sqlite-store.js';
import type { Store } from '../../coordinator/store/store.js';
import { loadProtos } from '../../proto/loader.js';
import type { AdminClient } from '../../proto/generated/fedfin/v1/Admin.js';
import type { JobEvent__Output } from '../../proto/generated/fedfin/v1/JobEvent.js';
import type { JobDetail__Output } from '../../proto/generated/fedfin/v1/JobDetail.js';
import type { JobSummary__Output } from '../../proto/generated/fedfin/v1/JobSummary.js';
import type { JobSpecInput } from '../../schema/job-spec.js';
import { unaryCall } from './fake-bank.js';

/** A running coordinator with its store and address. */
export interface RunningCoordinator {
  readonly coordinator: Coordinator;
  readonly store: Store;
  readonly address: string;
  readonly admin: AdminClient;
  stop(): Promise<void>;
}

/** A temp data dir under os.tmpdir(); `cleanup` removes it. */
export function tempDir(prefix = 'fedfin-coord-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts a Coordinator with openSqliteStore(dataDir), insecure credentials and short liveness settings.
 * @param port 0 for any free port; a fixed port to restart "the same" coordinator.
 */
export async function startCoordinator(dataDir: string, port = 0, livenessMs = 2500): Promise<RunningCoordinator> {
  const store = openSqliteStore(dataDir);
  // FEDFIN_TEST_LOG=1 shows the coordinator's log while debugging a test.
  const logger = process.env['FEDFIN_TEST_LOG'] ? createLogger({ level: 'debug' }) : silentLogger;
  const coordinator = new Coordinator({ store, logger, address: `127.0.0.1:${port}`, credentials: grpc.ServerCredentials.createInsecure(), heartbeatIntervalMs: 150, livenessMs, maxWaitMs: 500 });
  const bound = await coordinator.start();
  const address = `127.0.0.1:${bound}`;
  const { admin } = loadProtos();
  const client = new admin.fedfin.v1.Admin(address, grpc.credentials.createInsecure()) as unknown as AdminClient;
  let stopped = false;
  return {
    coordinator,
    store,
    address,
    admin: client,
    async stop() {
      if (stopped) return;
      stopped = true;
      client.close();
      await coordinator.stop(500);
      await store.close();
    },
  };
}

/** A small credit-scoring job: logistic model, no DP, short timeouts. */
export function jobSpec(overrides: Partial<JobSpecInput> = {}): JobSpecInput {
  return {
    name: 'it-job',
    task: 'credit-scoring',
    schema: 'credit.v1',
    model: { type: 'logistic' },
    rounds: 3,
    minBanks: 2,
    timeouts: { fitMs: 10_000, evaluateMs: 10_000 },
    maxRoundAttempts: 2,
    ...overrides,
  };
}

/** Submits a job through the Admin service. */
export async function submitJob(admin: AdminClient, spec: JobSpecInput): Promise<JobSummary__Output> {
  return unaryCall<JobSummary__Output>((cb) => admin.SubmitJob({ spec_json: JSON.stringify(spec) }, { deadline: Date.now() + 5000 }, cb));
}

export async function getJob(admin: AdminClient, jobId: string): Promise<JobDetail__Output> {
  return unaryCall<JobDetail__Output>((cb) => admin.GetJob({ job_id: jobId }, { deadline: Date.now() + 5000 }, cb));
}

/** Collects WatchJob events until the server ends the stream. */
export function watchJob(admin: AdminClient, jobId: string): { events: JobEvent__Output[]; ended: Promise<grpc.status> } {
  const events: JobEvent__Output[] = [];
  const call = admin.WatchJob({ job_id: jobId });
  call.on('data', (e: JobEvent__Output) => events.push(e));
  const ended = new Promise<grpc.status>((resolve) => {
    call.on('error', (err: grpc.ServiceError) => resolve(err.code));
    call.on('end', () => resolve(grpc.status.OK));
  });
  return { events, ended };
}

/**
 * Polls `cond` every 50 ms until it is true.
 * @throws Error naming `what` after `timeoutMs`.
 */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`waitFor: ${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the job leaves "running" and returns its final record. */
export async function waitForJobEnd(store: Store, jobId: string, timeoutMs = 20_000) {
  await waitFor(async () => (await store.getJob(jobId))?.status !== 'running', timeoutMs, `job ${jobId} to finish`);
  return (await store.getJob(jobId))!;
}
