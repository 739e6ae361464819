/**
 * Drives one job from its last committed round to the end: the stats stage once, then per round
 * fit → aggregate → evaluate → commit (one transaction). Resumes after a crash from the store alone:
 * persisted stage plans re-issue the same instruction ids, so banks answer from their result cache and
 * no round or ε is counted twice.
 */
import type { Logger } from '../common/log.js';
import { cryptoRandom, type RandomSource } from '../common/random.js';
import type { Weights } from '../common/weights.js';
import { parseJobSpec, type JobSpec } from '../schema/job-spec.js';
import type { HistogramData } from '../schema/fleet.js';
import { fitConfigFor, overBudgetMembers, strategyFor } from './job-config.js';
import { runStage, type StageDeps, type StageOutcome } from './stage-runner.js';
import { runSecureRound } from './secagg-job-round.js';
import { combineStats } from './stats-stage.js';
import type { LedgerEntry, RoundCommit } from './store/store.js';
import type { ClientFailure, Strategy } from './strategy/strategy.js';

/** Job lifecycle events for WatchJob and logs. */
export type JobEventKind = 'round-started' | 'round-committed' | 'job-finished' | 'round-retry';
export type JobEventListener = (jobId: string, kind: JobEventKind, detail: { round?: number; reason?: string }) => void;

export interface JobRunnerDeps extends StageDeps {
  readonly onEvent: JobEventListener;
  /** Log "waiting for banks" at most this often. @default 10000 */
  readonly waitLogMs?: number;
  /** Initial weights and client sampling. @default cryptoRandom() (simulations pass a seeded source) */
  readonly random?: RandomSource;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Runs the job until it completes, fails, is aborted (`signal`), or the coordinator stops. */
export async function runJob(deps: JobRunnerDeps, jobId: string, signal: AbortSignal): Promise<void> {
  const { store, logger } = deps;
  const job = await store.getJob(jobId);
  if (!job || job.status !== 'running') return;
  const spec = parseJobSpec(job.specJson, `job ${jobId}`);
  const log = logger.child({ job: jobId });
  try {
    let init = job.encodingStatsJson !== undefined ? { statsJson: job.encodingStatsJson, members: job.members } : undefined;
    if (!init) init = await statsStage(deps, jobId, spec, job.specJson, signal, log);
    if (!init || signal.aborted) return;
    const strategy = strategyFor(spec);
    // Server optimisers (FedAdam …) continue from the moments saved with the last committed round.
    const resumeFrom = await store.latestCheckpoint(jobId);
    if (resumeFrom?.strategyStateJson !== undefined) strategy.loadState?.(JSON.parse(resumeFrom.strategyStateJson));
    const committed: CommittedModel = {};
    for (let round = job.roundsDone + 1; round <= spec.rounds && !signal.aborted; round++) {
      // Only banks whose feature schema matched the federation's take part (others would average in a different encoding).
      const admitted = init.members ? new Set(init.members) : undefined;
      const ok = await runRound(deps, jobId, spec, job.specJson, init.statsJson, admitted, strategy, round, signal, log, committed);
      if (!ok) return;
    }
    if (signal.aborted) return;
    await store.setJobStatus(jobId, 'completed');
    await store.appendAudit({ type: 'job-completed', jobId, detail: { rounds: spec.rounds } });
    deps.onEvent(jobId, 'job-finished', {});
    log.info('job completed', { rounds: spec.rounds });
  } catch (err) {
    if (signal.aborted) return;
    const reason = err instanceof Error ? err.message : String(err);
    log.error('job failed', { reason });
    await store.setJobStatus(jobId, 'failed', reason);
    await store.appendAudit({ type: 'job-failed', jobId, detail: { reason } });
    deps.onEvent(jobId, 'job-finished', { reason });
  }
}

async function fail(deps: JobRunnerDeps, jobId: string, reason: string, status: 'failed' | 'completed' = 'failed'): Promise<false> {
  await deps.store.setJobStatus(jobId, status, reason);
  await deps.store.appendAudit({ type: status === 'failed' ? 'job-failed' : 'job-completed', jobId, detail: { reason } });
  deps.onEvent(jobId, 'job-finished', { reason });
  deps.logger.warn(`job ${status}`, { job: jobId, reason });
  return false;
}

/** Waits until at least `min` members accepting the task (and admitted, when given) are online; undefined if aborted. */
async function waitForBanks(deps: JobRunnerDeps, task: string, min: number, signal: AbortSignal, log: Logger, admitted?: ReadonlySet<string>): Promise<string[] | undefined> {
  let lastLog = 0;
  for (;;) {
    const online = deps.registry.online(task).filter((m) => !admitted || admitted.has(m));
    if (online.length >= min) return online;
    if (signal.aborted) return undefined;
    if (Date.now() - lastLog >= (deps.waitLogMs ?? 10_000)) {
      log.info('waiting for banks', { online: online.length, needed: min });
      lastLog = Date.now();
    }
    await sleep(200, signal);
  }
}

async function statsStage(deps: JobRunnerDeps, jobId: string, spec: JobSpec, specJson: string, signal: AbortSignal, log: Logger) {
  for (let attempt = 1; attempt <= spec.maxRoundAttempts; attempt++) {
    const existing = await deps.store.getStagePlan(jobId, 0, 'stats');
    const online = existing ? [] : await waitForBanks(deps, spec.task, spec.minBanks, signal, log);
    if (!online) return undefined;
    const out = await runStage(deps, { jobId, round: 0, attempt: existing?.attempt ?? attempt, stage: 'stats', assignments: online.map((memberId) => ({ memberId, config: {} })), weights: undefined, timeoutMs: spec.timeouts.evaluateMs, jobSpecJson: specJson, encodingStatsJson: '' }, signal);
    if (signal.aborted) return undefined;
    const combined = combineStats(spec, out.replies, deps.random);
    if (combined) {
      await deps.store.initializeJob(jobId, combined.statsJson, combined.featureHash, combined.initial, combined.members);
      await deps.store.clearRound(jobId, 0);
      await deps.store.appendAudit({ type: 'job-initialized', jobId, detail: { numFeatures: combined.numFeatures, featureHash: combined.featureHash, banks: [...combined.members], excluded: [...out.failures, ...combined.mismatched].map((f) => `${f.memberId}: ${f.reason}`) } });
      log.info('feature statistics fixed', { banks: combined.members.length, numFeatures: combined.numFeatures });
      return { statsJson: combined.statsJson, members: combined.members };
    }
    await deps.store.clearRound(jobId, 0);
    log.warn('stats stage could not agree; retrying', { attempt, replies: out.replies.length, failures: out.failures.map((f) => `${f.memberId}: ${f.reason}`) });
  }
  await fail(deps, jobId, `fewer than ${spec.minBanks} banks agreed on one feature schema after ${spec.maxRoundAttempts} attempts`);
  return undefined;
}

/** Members over their job budget by the ledger so far (overBudgetMembers, job-config.ts). */
async function overBudget(deps: JobRunnerDeps, jobId: string, spec: JobSpec): Promise<Set<string>> {
  return spec.privacy.mode === 'dp-sgd' ? overBudgetMembers(await deps.store.ledger({ jobId }), spec.privacy.maxEpsilon) : new Set();
}

/** The model this runner committed last. It is its job's only checkpoint writer, and the row holds exactly these float32 values. */
type CommittedModel = { current?: { readonly round: number; readonly weights: Weights } };

/** The checkpoint round `round` trains from: the model this runner just committed, else (start, resume) the store's latest. */
async function checkpointFor(deps: JobRunnerDeps, jobId: string, round: number, committed: CommittedModel): Promise<{ readonly weights: Weights }> {
  if (committed.current?.round === round - 1) return committed.current;
  const cp = await deps.store.latestCheckpoint(jobId);
  if (!cp) throw new Error(`job ${jobId} has no checkpoint to train from`);
  return cp;
}

async function runRound(deps: JobRunnerDeps, jobId: string, spec: JobSpec, specJson: string, statsJson: string, admitted: ReadonlySet<string> | undefined, strategy: Strategy, round: number, signal: AbortSignal, log: Logger, committed: CommittedModel): Promise<boolean> {
  const { store } = deps;
  if (spec.secureAggregation?.enabled) {
    return runSecureRound(deps, { jobId, spec, specJson, statsJson, strategy, round }, {
      waitForBanks: () => waitForBanks(deps, spec.task, spec.minBanks, signal, log, admitted),
      overBudget: () => overBudget(deps, jobId, spec),
      evaluate: (attempt, weights) => evaluateStage(deps, jobId, spec, specJson, statsJson, admitted, round, attempt, weights, signal, log),
      commit: (c) => commitWithRetry(deps, c, signal, log),
      fail: (reason, status) => fail(deps, jobId, reason, status),
      sleep: (ms) => sleep(ms, signal),
    }, signal, log);
  }
  const resumedFit = await store.getStagePlan(jobId, round, 'fit');
  const resumedEval = await store.getStagePlan(jobId, round, 'evaluate');
  for (let attempt = resumedFit?.attempt ?? 1; attempt <= spec.maxRoundAttempts; attempt++) {
    const cp = await checkpointFor(deps, jobId, round, committed);
    let assignments: readonly { memberId: string; config: Record<string, number | string | boolean> }[] = [];
    const resuming = resumedFit?.attempt === attempt;
    if (!resuming) {
      const excluded = await overBudget(deps, jobId, spec);
      const online = await waitForBanks(deps, spec.task, spec.minBanks, signal, log, admitted);
      if (!online) return false;
      const eligible = online.filter((m) => !excluded.has(m));
      if (eligible.length < spec.minBanks) return fail(deps, jobId, `privacy budget: only ${eligible.length} banks can take another round within maxEpsilon ${spec.privacy.mode === 'dp-sgd' ? spec.privacy.maxEpsilon : ''}`, 'completed');
      assignments = strategy.configureFit(round, cp.weights, eligible, deps.random ?? cryptoRandom()).map((a) => ({ memberId: a.memberId, config: { ...fitConfigFor(spec), ...a.config } }));
      if (assignments.length === 0) {
        await sleep(1000, signal);
        attempt--;
        continue;
      }
    }
    deps.onEvent(jobId, 'round-started', { round });
    const fit = await runStage(deps, { jobId, round, attempt, stage: 'fit', assignments, weights: cp.weights, timeoutMs: spec.timeouts.fitMs, jobSpecJson: specJson, encodingStatsJson: statsJson, collectOnly: resuming && resumedEval?.attempt === attempt }, signal);
    if (signal.aborted) return false;
    const replies = fit.replies.map((r) => ({ memberId: r.memberId, weights: r.weights!, numExamples: r.result.numExamples, metrics: r.result.metrics }));
    const agg = strategy.aggregateFit(round, cp.weights, replies, fit.failures);
    if (!agg.weights) {
      await store.clearRound(jobId, round);
      const reason = agg.reason ?? `${replies.length} usable replies`;
      await store.appendAudit({ type: 'round-retry', jobId, detail: { round, attempt, reason, replies: replies.length, failures: fit.failures.map((f) => `${f.memberId}: ${f.kind}: ${f.reason}`) } });
      deps.onEvent(jobId, 'round-retry', { round, reason });
      log.warn('round failed; retrying', { round, attempt, replies: replies.length, failures: fit.failures.map((f) => `${f.memberId}: ${f.reason}`) });
      continue;
    }
    const ev = await evaluateStage(deps, jobId, spec, specJson, statsJson, admitted, round, attempt, resumedEval?.attempt === attempt ? resumedEval.weights! : agg.weights, signal, log);
    if (signal.aborted || !ev) return false;
    const state = strategy.saveState?.();
    const commit = { ...roundCommit(jobId, spec, round, attempt, agg.weights, fit, ev, { ...agg.metrics, ...strategy.aggregateEvaluate(round, ev.evalReplies, ev.failures).metrics }), strategyStateJson: state === undefined ? undefined : JSON.stringify(state) };
    if (!(await commitWithRetry(deps, commit, signal, log))) return false;
    committed.current = { round, weights: agg.weights };
    deps.onEvent(jobId, 'round-committed', { round });
    return true;
  }
  return fail(deps, jobId, `round ${round} failed ${spec.maxRoundAttempts} times: fewer than ${spec.minBanks} banks returned a usable update`);
}

async function evaluateStage(deps: JobRunnerDeps, jobId: string, spec: JobSpec, specJson: string, statsJson: string, admitted: ReadonlySet<string> | undefined, round: number, attempt: number, weights: Weights, signal: AbortSignal, log: Logger) {
  const online = deps.registry.online(spec.task).filter((m) => !admitted || admitted.has(m));
  const out = await runStage(deps, { jobId, round, attempt, stage: 'evaluate', assignments: online.map((memberId) => ({ memberId, config: {} })), weights, timeoutMs: spec.timeouts.evaluateMs, jobSpecJson: specJson, encodingStatsJson: statsJson }, signal);
  if (signal.aborted) return undefined;
  if (out.replies.length === 0) log.warn('no bank evaluated the round', { round, failures: out.failures.map((f) => `${f.memberId}: ${f.reason}`) });
  const evalReplies = out.replies.map((r) => ({ memberId: r.memberId, numExamples: r.result.numExamples, histogram: r.result.histogram as HistogramData, metrics: r.result.metrics, regression: r.result.regression }));
  return { ...out, evalReplies };
}

/**
 * Commits a round, retrying storage errors (a full disk, a locked file) with capped backoff: the
 * round's results stay in memory and in their persisted stage rows, so nothing is lost while waiting.
 * Returns false only when aborted. The commit is one transaction: a failed try leaves no trace.
 */
export async function commitWithRetry(deps: JobRunnerDeps, commit: RoundCommit, signal: AbortSignal, log: Logger): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.store.commitRound(commit);
      return true;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
      const waitMs = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      log.error('could not write the round checkpoint; retrying', { round: commit.round, code, attempt, retryInMs: waitMs });
      await sleep(waitMs, signal);
      if (signal.aborted) return false;
    }
  }
}

function roundCommit(jobId: string, spec: JobSpec, round: number, attempt: number, weights: Weights, fit: StageOutcome, ev: StageOutcome, metrics: Record<string, number>): RoundCommit {
  const ledger: LedgerEntry[] = fit.replies.flatMap((r) => {
    const p = r.result.privacy;
    return p ? [{ jobId, memberId: r.memberId, round, epsilonRound: p.epsilonRound, epsilonTotal: p.epsilonTotal, delta: p.delta, noiseMultiplier: p.noiseMultiplier, sampleRate: p.sampleRate, steps: p.steps, accountant: p.accountant, unit: p.unit }] : [];
  });
  const dropped: ClientFailure[] = [...fit.failures];
  return {
    jobId,
    round,
    attempt,
    weights,
    strategyStateJson: undefined,
    participants: fit.replies.map((r) => r.memberId),
    dropped: dropped.map((d) => ({ memberId: d.memberId, kind: d.kind, reason: d.reason })),
    metrics,
    ledger,
    epsilon: ledger.length > 0 ? Math.max(...ledger.map((l) => l.epsilonTotal)) : undefined,
    delta: spec.privacy.mode === 'dp-sgd' ? spec.privacy.delta : undefined,
    trainMs: fit.elapsedMs,
    evaluateMs: ev.elapsedMs,
    completedAt: new Date().toISOString(),
  };
}
