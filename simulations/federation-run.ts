/**
 * One simulated federation in this process: the real Coordinator (job runner, strategies, an in-memory
 * SQLite store) and one real bank daemon per simulated bank (data pipeline, site policy, DP-SGD, ledger),
 * talking over the in-process Fleet channel or loopback gRPC.
 */
import * as grpc from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { FedfinError } from '../common/errors.js';
import { silentLogger, type Logger } from '../common/log.js';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import type { Weights } from '../common/weights.js';
import { createDaemon, type Daemon } from '../client/daemon.js';
import type { Middleware } from '../client/handlers/types.js';
import { bareResult } from '../client/handlers/types.js';
import { attemptOf } from '../client/handlers/secagg-session.js';
import { createTfjsTrainer } from '../client/trainer/tfjs-trainer.js';
import type { Trainer } from '../client/trainer/trainer.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { createSqliteStore } from '../coordinator/store/sqlite-store.js';
import type { LedgerEntry, RoundRecord } from '../coordinator/store/store.js';
import { compileNodeConfig, parseNodeConfig } from '../schema/node-config.js';
import { parseJobSpec, type JobSpec } from '../schema/job-spec.js';
import type { ModelSpec } from '../tasks/models/model-spec.js';
import type { SimBank, SimulationData } from './sim-data.js';
import { InProcessFleetChannel } from './transport/in-process-channel.js';

/** How simulated banks build trainers: `(memberId) => createTrainer`. */
export type TrainerFactory = (memberId: string) => (model: ModelSpec) => Trainer;

/** Options of one federated run. */
export interface FederationRunOptions {
  readonly data: SimulationData;
  readonly job: JobSpec;
  readonly seed: number;
  readonly transport: 'in-process' | 'grpc';
  /** Share of each bank's rows its daemon keeps for federated evaluation. */
  readonly holdoutFraction: number;
  /** Per-bank holdout fractions over `holdoutFraction` (cross-validation: each bank's own fold, simulations/cv-layout.ts). */
  readonly holdoutFractions?: Readonly<Record<string, number>>;
  /** Probability that a bank drops out of a fit (answers "failed"), drawn per bank and round from the seed. @default 0 */
  readonly dropoutRate?: number;
  /** @default seeded single-thread tfjs trainers */
  readonly trainers?: TrainerFactory;
  readonly onRound?: (round: number, total: number) => void;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** What the coordinator kept of the run. */
export interface FederationOutcome {
  readonly jobId: string;
  readonly status: string;
  readonly reason: string;
  readonly encodingStatsJson: string;
  readonly rounds: readonly RoundRecord[];
  /** Checkpoint weights per committed round, index r-1 for round r. */
  readonly checkpoints: readonly Weights[];
  readonly ledger: readonly LedgerEntry[];
  readonly wallMs: number;
}

/** Seeded single-thread trainers: a fresh stream per bank and per trainer built (simulation only). */
export function seededTrainers(seed: number): TrainerFactory {
  return (memberId) => {
    let n = 0;
    return (model) => createTfjsTrainer({ model, rng: seededRandom(`${seed}:trainer:${memberId}:${n++}`) });
  };
}

/** The stages in which a bank trains: `fit`, or its secure-aggregation replacement. */
const TRAINING_STAGES: ReadonlySet<string> = new Set(['fit', 'secagg-masked-input']);

/**
 * A daemon middleware that fails a bank's training stage (`fit`, or `secagg-masked-input` under secure
 * aggregation, where the protocol then recovers the dropped bank's masks) with probability `rate`,
 * seeded per bank and round: a simulated dropout.
 */
export function dropoutMiddleware(rate: number, seed: number, memberId: string): Middleware {
  return async (ins, _ctx, next) => {
    if (!TRAINING_STAGES.has(ins.stage) || rate <= 0) return next();
    // Round and attempt, not the instruction id: that names the job, whose id carries the submission time.
    const u = new RandomReader(seededRandom(`${seed}:dropout:${memberId}:${ins.round}:${attemptOf(ins)}`), 16).uniform();
    return u < rate ? { result: bareResult(ins.instructionId, 'failed', 'simulated dropout'), bytes: undefined } : next();
  };
}

function bankConfig(bank: SimBank, data: SimulationData, job: JobSpec, address: string, holdoutFraction: number) {
  const delta = job.privacy.mode === 'dp-sgd' ? job.privacy.delta : 1e-5;
  return compileNodeConfig(
    parseNodeConfig({
      memberId: bank.memberId,
      coordinator: address,
      dataDir: join(bank.dir, 'state'),
      data: { file: bank.dataFile, schema: data.schemaRef, ...(data.mappingFile ? { mapping: data.mappingFile } : {}), policy: bank.policyFile, keyFile: bank.keyFile, format: 'csv', maxRejectFraction: 0 },
      holdoutFraction,
      // The job's own maxEpsilon governs; the simulated site budget only has to stay out of the way.
      sitePolicy: { acceptedTasks: [job.task], maxEpsilon: 1000, delta, minBanksPerRound: 1 },
      pullWaitMs: 2000,
      retry: { initialMs: 50, maxMs: 1000, factor: 2 },
    }, `simulated ${bank.memberId}`),
    bank.dir,
  );
}

/**
 * Runs the job to its end and returns what the coordinator stored.
 * @throws FedfinError when a daemon fails to start (its error named) or the run is aborted.
 */
export async function runFederation(o: FederationRunOptions): Promise<FederationOutcome> {
  const t0 = performance.now();
  const logger = o.logger ?? silentLogger;
  const store = createSqliteStore(new Database(':memory:'));
  // Liveness far beyond any round: a bank whose trainer keeps the event loop busy must not be taken for dead.
  const coordinator = new Coordinator({ store, logger, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), heartbeatIntervalMs: 2000, livenessMs: 24 * 3_600_000, maxWaitMs: 2000, random: seededRandom(`${o.seed}:coordinator`) });
  let address = 'in-process:0';
  let channel: InProcessFleetChannel | undefined;
  if (o.transport === 'grpc') address = `127.0.0.1:${await coordinator.start()}`;
  else channel = new InProcessFleetChannel(coordinator.fleetHandlers);
  const trainers = o.trainers ?? seededTrainers(o.seed);
  const daemons: Daemon[] = [];
  const runs: Promise<void>[] = [];
  let daemonFailure: Error | undefined;
  try {
    for (const bank of o.data.banks) {
      const d = createDaemon({
        options: bankConfig(bank, o.data, o.job, address, o.holdoutFractions?.[bank.memberId] ?? o.holdoutFraction),
        logger: logger.child({ member: bank.memberId }),
        createTrainer: trainers(bank.memberId),
        // The bank's state is a throwaway folder: ledger commits keep their order (before the update leaves) without an fsync each.
        durableLedger: false,
        // Secure aggregation's randomness (mask keys, stochastic rounding) from the seed, like the DP noise:
        // a run repeats exactly — reproducible, not secret (simulation only; daemons default to node:crypto).
        secagg: { rng: seededRandom(`${o.seed}:secagg:${bank.memberId}`) },
        middleware: o.dropoutRate ? [dropoutMiddleware(o.dropoutRate, o.seed, bank.memberId)] : [],
        ...(channel ? { linkOptions: { client: channel.client() } } : {}),
      });
      daemons.push(d);
      runs.push(d.run().catch((err: unknown) => void (daemonFailure ??= new FedfinError('internal', `${bank.memberId} stopped: ${(err as Error).message}`))));
    }
    // Every bank joins before the job is submitted, so the stats stage admits all of them.
    while (coordinator.registry.online().length < daemons.length) {
      if (daemonFailure) throw daemonFailure;
      o.signal?.throwIfAborted();
      await new Promise((r) => setTimeout(r, 20));
    }
    const job = await coordinator.submit(JSON.stringify(o.job), 'simulate');
    const onEvent = (e: { kind: string; round?: number }): void => {
      if (e.kind === 'round-committed' && e.round !== undefined) o.onRound?.(e.round, o.job.rounds);
    };
    coordinator.events.on(`job:${job.jobId}`, onEvent);
    const onAbort = (): void => void coordinator.stop(100);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await coordinator.waitForJob(job.jobId);
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      coordinator.events.off(`job:${job.jobId}`, onEvent);
    }
    o.signal?.throwIfAborted();
    const rec = (await store.getJob(job.jobId))!;
    const rounds = await store.listRounds(job.jobId);
    const checkpoints: Weights[] = [];
    for (const r of rounds) checkpoints.push((await store.checkpoint(job.jobId, r.round))!.weights);
    return {
      jobId: job.jobId,
      status: rec.status,
      reason: rec.reason,
      encodingStatsJson: rec.encodingStatsJson ?? '{}',
      rounds,
      checkpoints,
      ledger: await store.ledger({ jobId: job.jobId }),
      wallMs: performance.now() - t0,
    };
  } finally {
    await Promise.all(daemons.map((d) => d.stop()));
    await Promise.all(runs);
    await coordinator.stop(200);
    await store.close();
  }
}

/** The job spec a simulation submits: the user's settings over simulation defaults (no timeouts a busy machine could hit). */
export function simulationJob(input: Record<string, unknown>, data: SimulationData, task: string): JobSpec {
  return simulationJobFor(input, { banks: data.banks.length, schemaRef: data.schemaRef }, task);
}

/**
 * `simulationJob` before the data is split (a sweep checks every cell's job up front).
 * @throws ConfigError naming `source` and the offending keys.
 */
export function simulationJobFor(input: Record<string, unknown>, at: { readonly banks: number; readonly schemaRef: string }, task: string, source = 'simulation job spec'): JobSpec {
  return parseJobSpec(
    {
      name: 'simulation',
      model: { type: 'mlp', hidden: [16] },
      learningRate: 0.1,
      localEpochs: 2,
      batchSize: 32,
      minBanks: Math.min(2, at.banks),
      timeouts: { fitMs: 3_600_000, evaluateMs: 3_600_000 },
      ...input,
      task,
      schema: at.schemaRef,
    },
    source,
  );
}
