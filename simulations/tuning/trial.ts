/**
 * One trial of a search: the same federation `simulate` runs (data layout, job, real coordinator and bank daemons),
 * scored only by the coordinator's federated evaluation on the banks' own holdouts — the validation metric. The
 * common test set is laid out (the split must match the final run's) but never read.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { runFederation, simulationJob } from '../federation-run.js';
import { prepareSimulationData } from '../sim-data.js';
import type { SimulateOptions } from '../simulate.js';
import { trialEpsilon, trialMechanism } from './tuning-privacy.js';

const Metrics = z.record(z.string(), z.number());

/** A trial's record, as cached in OUT/cache/<hash>.json. */
export const TrialRunSchema = z.object({
  kind: z.literal('fedfin-tune-trial'),
  version: z.literal(1),
  /** The job keys the trial ran with (the spec's job with the trial's parameters applied). */
  job: z.record(z.string(), z.unknown()),
  status: z.string(),
  reason: z.string(),
  rounds: z.number().int(),
  /** The pooled federated evaluation of the final model on the banks' holdouts (auc, ks, logLoss …); {} when no round committed. */
  validation: Metrics,
  validationByRound: z.array(Metrics),
  /** The largest job ε any bank recorded, at `delta`; null without DP. */
  epsilon: z.number().nullable(),
  delta: z.number().nullable(),
  /** Per bank, the (σ, q, steps) of every DP-SGD round: what the tuning total composes. */
  mechanism: z.record(z.string(), z.array(z.tuple([z.number(), z.number(), z.number().int()]))),
  wallTimeMs: z.number(),
});
export type TrialRun = z.infer<typeof TrialRunSchema>;

const r5 = (x: number): number => Math.round(x * 100_000) / 100_000;
const round5 = (m: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, r5(v)]));

/**
 * Runs one trial in `o.outDir/work` (removed afterwards).
 * @throws FedfinError when the data layout refuses the split or a daemon fails to start; a job that fails is a record with that status.
 */
export async function runTrial(o: SimulateOptions): Promise<TrialRun> {
  const t0 = performance.now();
  const workDir = join(o.outDir, 'work');
  rmSync(workDir, { recursive: true, force: true });
  try {
    const data = await prepareSimulationData({ dataFile: o.dataFile, schema: o.schema, mappingFile: o.mappingFile, policyFile: o.policyFile, task: o.task, banks: o.banks, partition: o.partition, testFraction: o.testFraction, seed: o.seed, maxReject: o.maxReject, minRowsPerBank: o.minRowsPerBank, workDir });
    const job = simulationJob(o.job, data, o.task);
    const outcome = await runFederation({ data, job, seed: o.seed, transport: o.transport, holdoutFraction: o.holdoutFraction, dropoutRate: o.dropoutRate, trainers: o.trainers, onRound: o.onRound, signal: o.signal, logger: o.logger });
    const delta = job.privacy.mode === 'dp-sgd' ? job.privacy.delta : null;
    const mechanism = trialMechanism(outcome.ledger);
    return {
      kind: 'fedfin-tune-trial',
      version: 1,
      job: o.job,
      status: outcome.status,
      reason: outcome.reason,
      rounds: outcome.rounds.length,
      validation: round5(outcome.rounds.at(-1)?.metrics ?? {}),
      validationByRound: outcome.rounds.map((r) => round5(r.metrics)),
      epsilon: delta !== null ? r5(outcome.ledger.reduce((m, l) => Math.max(m, l.epsilonTotal), 0)) : null,
      delta,
      mechanism: mechanism as TrialRun['mechanism'],
      wallTimeMs: Math.round(performance.now() - t0),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The ε of a trial recomputed from its mechanism (equals `epsilon` up to rounding: a check on the record). */
export function recomputedEpsilon(t: TrialRun): number | null {
  return t.delta === null ? null : trialEpsilon(t.mechanism, t.delta);
}
