/**
 * The fit part of a secure-aggregation round: advertise → share-keys → masked-input → unmask, each a
 * persisted stage (runStage) around the SecAgg+ server state machine. The coordinator only ever holds
 * public keys, ciphertexts, masked vectors and, at the end, the survivors' sum — never one bank's update.
 */
import type { Logger } from '../common/log.js';
import { cryptoRandom } from '../common/random.js';
import { numParameters, unflatten, type Weights } from '../common/weights.js';
import { createSecAggServer, restoreSecAggServer, type SecAggResult, type SecAggServer, type SecAggStage as ProtocolStage } from '../privacy/secagg/protocol/index.js';
import { secaggNumericId, type ResultInfo, type SecAggStage } from '../schema/fleet.js';
import type { JobSpec } from '../schema/job-spec.js';
import { secAggJobConfigOf } from '../schema/secure-aggregation-spec.js';
import { fitConfigFor } from './job-config.js';
import type { JobRunnerDeps } from './job-runner.js';
import { runStage } from './stage-runner.js';
import type { StagePlan } from './store/store.js';
import type { ClientFailure } from './strategy/strategy.js';

const PROTOCOL_STAGES: readonly ProtocolStage[] = ['advertise', 'share-keys', 'masked-input', 'unmask'];
const fleetStage = (s: ProtocolStage): SecAggStage => `secagg-${s}`;

/** What one attempt needs from the job runner. */
export interface SecAggFitRequest {
  readonly jobId: string;
  readonly spec: JobSpec;
  readonly specJson: string;
  readonly statsJson: string;
  readonly round: number;
  readonly attempt: number;
  /** The global model the banks train from. */
  readonly global: Weights;
  /** The cohort for a new attempt (ignored when the attempt resumes from a persisted stage). */
  readonly cohort: readonly string[];
  /** Stop after collecting stored results (the round finished its fit part before a crash). */
  readonly collectOnly: boolean;
}

/** A dropout with the SecAgg stage it happened at. */
export type SecAggDropout = ClientFailure & { readonly stage: ProtocolStage };

export type SecAggFitOutcome =
  | { readonly kind: 'done'; readonly result: SecAggResult; readonly dropped: readonly SecAggDropout[]; readonly replies: ReadonlyMap<string, ResultInfo>; readonly trainMs: number }
  | { readonly kind: 'aborted'; readonly reason: string; readonly dropped: readonly SecAggDropout[] }
  | { readonly kind: 'stopped' };

/** The latest persisted SecAgg stage plan of the round, if any (a resumed attempt). */
export async function resumedSecAggPlan(deps: JobRunnerDeps, jobId: string, round: number): Promise<StagePlan | undefined> {
  for (const s of [...PROTOCOL_STAGES].reverse()) {
    const p = await deps.store.getStagePlan(jobId, round, fleetStage(s));
    if (p?.secaggState) return p;
  }
  return undefined;
}

/** Members of a cohort with their numeric ids and the identity keys they announced at Join. */
function membersOf(deps: JobRunnerDeps, cohort: readonly string[]) {
  const members = cohort.flatMap((memberId) => {
    const key = deps.registry.session(memberId)?.identityPublicKey;
    return key ? [{ memberId, numericId: secaggNumericId(memberId), identityPublicKey: key }] : [];
  });
  if (new Set(members.map((m) => m.numericId)).size !== members.length) throw new Error('two members share a SecAgg numeric id (SHA-256 prefix collision); rename one');
  return members;
}

/** Banks that announced an identity key at Join (only they can sign advertisements). */
export function withIdentity(deps: JobRunnerDeps, memberIds: readonly string[]): string[] {
  return memberIds.filter((m) => deps.registry.session(m)?.identityPublicKey !== undefined);
}

/**
 * Runs (or resumes) one attempt of the SecAgg stages. Each stage's plan is saved together with the
 * server state at its start (one row, one transaction); a restart restores the server from the newest
 * plan and re-offers the same instruction ids, so banks that kept their in-memory state carry on.
 */
export async function runSecAggFit(deps: JobRunnerDeps, req: SecAggFitRequest, signal: AbortSignal, log: Logger): Promise<SecAggFitOutcome> {
  const started = Date.now();
  const sa = req.spec.secureAggregation!;
  const dimension = numParameters(req.global);
  const roundConfig = { ...fitConfigFor(req.spec), secaggDimension: dimension };
  const resumed = await resumedSecAggPlan(deps, req.jobId, req.round);
  let server: SecAggServer;
  let stage: ProtocolStage;
  let assignments: { memberId: string; config: typeof roundConfig; payload?: Uint8Array }[] = [];
  if (resumed && resumed.attempt === req.attempt) {
    server = restoreSecAggServer(resumed.secaggState!, cryptoRandom());
    stage = resumed.stage.slice('secagg-'.length) as ProtocolStage;
    log.info('resuming a secure-aggregation stage from its persisted state', { round: req.round, attempt: req.attempt, stage });
  } else {
    server = createSecAggServer({ jobId: req.jobId, round: req.round, attempt: req.attempt, members: membersOf(deps, req.cohort), dimension, config: secAggJobConfigOf(sa), rng: cryptoRandom() });
    stage = 'advertise';
    assignments = req.cohort.map((memberId) => ({ memberId, config: roundConfig }));
  }
  const dropped: SecAggDropout[] = [];
  const replies = new Map<string, ResultInfo>();
  let trainMs = 0;
  for (;;) {
    const out = await runStage(deps, {
      jobId: req.jobId,
      round: req.round,
      attempt: req.attempt,
      stage: fleetStage(stage),
      assignments,
      weights: stage === 'masked-input' ? req.global : undefined,
      timeoutMs: stage === 'masked-input' ? req.spec.timeouts.fitMs : req.spec.timeouts.evaluateMs,
      jobSpecJson: req.specJson,
      encodingStatsJson: req.statsJson,
      secaggState: server.toState(),
      collectOnly: req.collectOnly,
    }, signal);
    if (signal.aborted) return { kind: 'stopped' };
    if (stage === 'masked-input') trainMs = out.elapsedMs;
    for (const r of out.replies) {
      if (stage === 'masked-input') replies.set(r.memberId, r.result);
      const got = server.receive(stage, r.memberId, r.payload ?? new Uint8Array(0));
      if (got.status === 'rejected') {
        log.warn('secure-aggregation message rejected', { round: req.round, stage, member: r.memberId, offender: got.offender, code: got.code, reason: got.reason });
        await deps.store.appendAudit({ type: 'secagg-offence', jobId: req.jobId, memberId: got.offender, detail: { round: req.round, attempt: req.attempt, stage, code: got.code, reason: got.reason } });
        dropped.push({ memberId: got.offender, kind: 'invalid', reason: `${got.code}: ${got.reason}`, stage });
      }
    }
    for (const f of out.failures) dropped.push({ ...f, stage });
    const closed = server.close(stage);
    if (closed.status === 'aborted') return { kind: 'aborted', reason: closed.reason, dropped };
    if (closed.status === 'done') break;
    stage = closed.stage;
    assignments = [...closed.payloads].map(([memberId, payload]) => ({ memberId, config: roundConfig, payload }));
  }
  const result = server.finish();
  // Offences the server found while closing stages (e.g. a share box its recipient could not open) are audited too.
  const audited = new Set(dropped.filter((d) => d.kind === 'invalid').map((d) => d.memberId));
  for (const o of result.offences) {
    if (audited.has(o.memberId)) continue;
    await deps.store.appendAudit({ type: 'secagg-offence', jobId: req.jobId, memberId: o.memberId, detail: { round: req.round, attempt: req.attempt, stage: o.stage, code: o.code, reason: o.reason } });
    dropped.push({ memberId: o.memberId, kind: 'invalid', reason: `${o.code}: ${o.reason}`, stage: o.stage });
  }
  // One entry per excluded bank, with the stage it dropped at (the server's view) and why (the runner's).
  const why = new Map(dropped.map((d) => [d.memberId, d]));
  const finalDropped = result.dropped.map((d) => ({ memberId: d.memberId, stage: d.stage, kind: why.get(d.memberId)?.kind ?? 'invalid', reason: why.get(d.memberId)?.reason ?? 'excluded by the protocol' }));
  return { kind: 'done', result, dropped: finalDropped, replies, trainMs: trainMs || Date.now() - started };
}

/**
 * The strategy's input from the unmasked weighted mean: one reply per survivor, each carrying the same
 * mean model (global + mean update) with equal weight. The weighted mean of identical models is that
 * model, so FedAvg/FedProx take it as is and server optimisers (FedAvgM, FedAdam …) see the mean delta;
 * the strategy's min-replies gate counts survivors. No reply holds an individual update.
 */
export function meanReplies(global: Weights, result: SecAggResult): { memberId: string; weights: Weights; numExamples: number; metrics: Record<string, number> }[] {
  const flatGlobal = new Float32Array(result.mean.length);
  let o = 0;
  for (const t of global) {
    flatGlobal.set(t.values, o);
    o += t.values.length;
  }
  for (let i = 0; i < flatGlobal.length; i++) flatGlobal[i] = flatGlobal[i]! + result.mean[i]!;
  const weights = unflatten(flatGlobal, global);
  return result.survivors.map((memberId) => ({ memberId, weights, numExamples: 1, metrics: {} }));
}
