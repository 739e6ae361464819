/** A real federated round split into train / transfer / aggregate / evaluate / commit, for 3 and 10 in-process bank daemons. */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDaemon, type Daemon } from '../client/daemon.js';
import { makeBankFixture, type BankFixture } from '../client/testing/bank-fixture.js';
import { createTfjsTrainer } from '../client/trainer/tfjs-trainer.js';
import type { Trainer } from '../client/trainer/trainer.js';
import { silentLogger } from '../common/log.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { openSqliteStore } from '../coordinator/store/sqlite-store.js';
import type { Store } from '../coordinator/store/store.js';
import { loadProtos } from '../proto/loader.js';
import { loadNodeConfig } from '../schema/node-config.js';
import type { ModelSpec } from '../tasks/models/model-spec.js';
import { median } from './federation-timing.js';

/** Per-stage medians over the measured rounds, in ms. */
export interface RoundSplit {
  readonly banks: number;
  readonly rounds: number;
  readonly rowsPerBank: number;
  /** Per bank: Trainer.fit time (banks share one thread here, so it includes other banks' interleaved work). */
  readonly trainMs: number;
  /** Per bank: fit plan stored → Trainer.fit starts (long-poll wake-up, model download, local encoding) plus Trainer.fit ends → result stored (upload, validation, insert). */
  readonly transferMs: number;
  /** Fit stage wall time: fit plan stored → last fit result stored. */
  readonly fitStageMs: number;
  /** Last fit result stored → evaluate plan stored: results read back, FedAvg, new model encoded and saved. */
  readonly aggregateMs: number;
  /** Evaluate stage wall time (the store's evaluate_ms). */
  readonly evaluateMs: number;
  /** The round's commit transaction (round row, checkpoint, plans/results cleared). */
  readonly commitMs: number;
  /** Fit plan stored → commit done. */
  readonly roundMs: number;
  /** The store's train_ms (fit stage wall time as the stage runner records it). */
  readonly storeTrainMs: number;
}

interface RoundMarks {
  fitPlan?: number;
  lastFitResult?: number;
  evalPlan?: number;
  commitStart?: number;
  commitEnd?: number;
  readonly fits: Map<number, { start: number; end: number }>;
  readonly results: Map<string, number>;
}

/** Wraps a Store so that the stage plans, result inserts and commits of each round are time-stamped. */
function recordingStore(inner: Store, marks: Map<number, RoundMarks>): Store {
  const at = (round: number): RoundMarks => {
    let m = marks.get(round);
    if (!m) marks.set(round, (m = { fits: new Map(), results: new Map() }));
    return m;
  };
  return Object.assign(Object.create(inner) as Store, {
    saveStagePlan: async (plan: Parameters<Store['saveStagePlan']>[0]) => {
      const t = performance.now();
      await inner.saveStagePlan(plan);
      if (plan.stage === 'fit') at(plan.round).fitPlan ??= t;
      if (plan.stage === 'evaluate') at(plan.round).evalPlan ??= performance.now();
    },
    saveResult: async (r: Parameters<Store['saveResult']>[0]) => {
      const stored = await inner.saveResult(r);
      if (r.stage === 'fit') {
        const t = performance.now();
        at(r.round).lastFitResult = t;
        at(r.round).results.set(r.memberId, t);
      }
      return stored;
    },
    commitRound: async (c: Parameters<Store['commitRound']>[0]) => {
      at(c.round).commitStart = performance.now();
      await inner.commitRound(c);
      at(c.round).commitEnd = performance.now();
    },
  });
}

/** A trainer that records when bank `bank` starts and ends each fit of the round being trained. */
function timedTrainer(inner: Trainer, bank: number, marks: Map<number, RoundMarks>, currentRound: () => number): Trainer {
  return {
    fit: async (weights, data, config, signal) => {
      const start = performance.now();
      const out = await inner.fit(weights, data, config, signal);
      marks.get(currentRound())?.fits.set(bank, { start, end: performance.now() });
      return out;
    },
    evaluate: (weights, data, config, signal) => inner.evaluate(weights, data, config, signal),
  };
}

/** Submits a job through the Admin service, as `fedfin admin jobs submit` does; returns its id. */
function submitJob(address: string, specJson: string): Promise<string> {
  const client = new (loadProtos().admin.fedfin.v1.Admin)(address, grpc.credentials.createInsecure());
  return new Promise<string>((resolve, reject) => {
    client.SubmitJob({ spec_json: specJson }, { deadline: Date.now() + 10_000 }, (err, res) => {
      client.close();
      if (err || !res) reject(err ?? new Error('bench round: SubmitJob returned nothing'));
      else resolve(res.job_id);
    });
  });
}

/**
 * Runs a logistic credit-scoring job (no DP, 1 local epoch) for `rounds` rounds with `banks` daemons
 * (createDaemon, the production daemon, in this process) on synthetic credit banks of `rows` rows,
 * against an in-process Coordinator with its SQLite store on 127.0.0.1:0. The first round is a warm-up
 * (tfjs kernels, JIT) and is not counted.
 */
export async function benchRound(banks: number, rounds: number, rows: number): Promise<RoundSplit> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bench-round-'));
  const marks = new Map<number, RoundMarks>();
  const store = recordingStore(openSqliteStore(join(dir, 'coordinator')), marks);
  const coordinator = new Coordinator({ store, logger: silentLogger, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), heartbeatIntervalMs: 500, maxWaitMs: 1000 });
  const fixtures: BankFixture[] = [];
  const daemons: Daemon[] = [];
  const runs: Promise<void>[] = [];
  const failures: unknown[] = [];
  let onFailure = (): void => {};
  const firstFailure = new Promise<void>((resolve) => (onFailure = resolve));
  let round = 0;
  try {
    const port = await coordinator.start();
    for (let i = 0; i < banks; i++) {
      const f = makeBankFixture(rows, 1 + i);
      fixtures.push(f);
      f.writeConfig({ memberId: `bank-${i}`, coordinator: `127.0.0.1:${port}`, pullWaitMs: 1000, sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 10, delta: 1e-5, minBanksPerRound: 2, requireDp: false } });
      const d = createDaemon({
        options: loadNodeConfig(f.configFile),
        logger: silentLogger,
        createTrainer: (model: ModelSpec) => timedTrainer(createTfjsTrainer({ model, logger: silentLogger }), i, marks, () => round),
      });
      daemons.push(d);
      runs.push(
        d.run().catch((err: unknown) => {
          failures.push(err);
          onFailure();
        }),
      );
    }
    const spec = { name: `bench-${banks}`, task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: rounds + 1, minBanks: banks, localEpochs: 1, batchSize: 32, timeouts: { fitMs: 120_000, evaluateMs: 120_000 } };
    const jobId = await submitJob(`127.0.0.1:${port}`, JSON.stringify(spec));
    coordinator.events.on(`job:${jobId}`, (e: { kind: string; round?: number }) => {
      if (e.kind === 'round-started' && e.round !== undefined) round = e.round;
    });
    // A daemon that dies leaves the job waiting for banks forever: stop at the first failure.
    await Promise.race([coordinator.waitForJob(jobId), firstFailure]);
    if (failures.length > 0) throw new Error(`bench round: a daemon stopped: ${(failures[0] as Error).message}`);
    const final = await store.getJob(jobId);
    if (final?.status !== 'completed') throw new Error(`bench round: job ended ${final?.status ?? 'missing'}: ${final?.reason ?? ''}`);
    const records = await store.listRounds(jobId);
    const counted = records.filter((r) => r.round > 1);
    const per = counted.map((r) => {
      const m = marks.get(r.round)!;
      const fits = [...m.fits.entries()];
      return {
        train: median(fits.map(([, f]) => f.end - f.start)),
        transfer: median(fits.map(([bank, f]) => f.start - m.fitPlan! + (m.results.get(`bank-${bank}`)! - f.end))),
        fitStage: m.lastFitResult! - m.fitPlan!,
        aggregate: m.evalPlan! - m.lastFitResult!,
        evaluate: r.evaluateMs,
        commit: m.commitEnd! - m.commitStart!,
        round: m.commitEnd! - m.fitPlan!,
        storeTrain: r.trainMs,
      };
    });
    const med = (k: keyof (typeof per)[number]): number => median(per.map((p) => p[k]));
    return {
      banks,
      rounds: counted.length,
      rowsPerBank: rows,
      trainMs: med('train'),
      transferMs: med('transfer'),
      fitStageMs: med('fitStage'),
      aggregateMs: med('aggregate'),
      evaluateMs: med('evaluate'),
      commitMs: med('commit'),
      roundMs: med('round'),
      storeTrainMs: med('storeTrain'),
    };
  } finally {
    await Promise.all(daemons.map((d) => d.stop()));
    await Promise.allSettled(runs);
    await coordinator.stop(500);
    await store.close();
    for (const f of fixtures) f.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
