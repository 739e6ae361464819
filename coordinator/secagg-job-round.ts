/**
 * One round of a secure-aggregation job: cohort selection (members with an identity key), the SecAgg
 * stages, the strategy on the unmasked mean, evaluation and the commit. An attempt that cannot finish
 * securely is abandoned (nothing charged) and retried with a new attempt number, hence fresh keys.
 */
import type { Logger } from '../common/log.js';
import { cryptoRandom } from '../common/random.js';
import type { Weights } from '../common/weights.js';
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import type { JobSpec } from '../schema/job-spec.js';
import type { JobRunnerDeps } from './job-runner.js';
import { meanReplies, resumedSecAggPlan, runSecAggFit, withIdentity, type SecAggDropout } from './secagg-round.js';
import type { EvaluateReply, ClientFailure, Strategy } from './strategy/strategy.js';
import type { LedgerEntry, RoundCommit } from './store/store.js';

/** What the job runner lends a secure round (its own stage helpers, so both paths behave alike). */
export interface SecureRoundHelpers {
  waitForBanks(): Promise<string[] | undefined>;
  overBudget(): Promise<Set<string>>;
  evaluate(attempt: number, weights: Weights): Promise<{ readonly evalReplies: readonly EvaluateReply[]; readonly failures: readonly ClientFailure[]; readonly elapsedMs: number } | undefined>;
  commit(commit: RoundCommit): Promise<boolean>;
  fail(reason: string, status?: 'failed' | 'completed'): Promise<false>;
  sleep(ms: number): Promise<void>;
}

export interface SecureRoundContext {
  readonly jobId: string;
  readonly spec: JobSpec;
  readonly specJson: string;
  readonly statsJson: string;
  readonly strategy: Strategy;
  readonly round: number;
}

const describeDropouts = (d: readonly SecAggDropout[]) => d.map((f) => `${f.memberId}@${f.stage}: ${f.kind}: ${f.reason}`);

/**
 * The job's distributed-DP ε after this round: RDP of the realised noise of every committed round plus
 * this one (each a Gaussian-equivalent full-participation step), at the spec's δ.
 */
async function distributedEpsilon(deps: JobRunnerDeps, jobId: string, noiseMultiplier: number, delta: number): Promise<number> {
  const acc = new RdpAccountant();
  for (const r of await deps.store.listRounds(jobId)) {
    const z = r.metrics['ddpNoiseMultiplier'];
    if (typeof z === 'number' && z > 0) acc.step({ noiseMultiplier: z, sampleRate: 1 }, 1);
  }
  acc.step({ noiseMultiplier, sampleRate: 1 }, 1);
  return acc.epsilon(delta).epsilon;
}

/** Runs the round to its commit; false when the job stopped, failed or was aborted. */
export async function runSecureRound(deps: JobRunnerDeps, ctx: SecureRoundContext, h: SecureRoundHelpers, signal: AbortSignal, log: Logger): Promise<boolean> {
  const { store } = deps;
  const { jobId, spec, round, strategy } = ctx;
  const sa = spec.secureAggregation!;
  const resumed = await resumedSecAggPlan(deps, jobId, round);
  const resumedEval = await store.getStagePlan(jobId, round, 'evaluate');
  // Attempt numbers are never reused, also across restarts (an abandoned attempt left a round-retry event):
  // a bank keys its SecAgg state and its result cache by attempt, so a reused number could reuse keys.
  const retries = (await store.listAudit()).filter((e) => e.type === 'round-retry' && e.jobId === jobId && e.detail['round'] === round).length;
  for (let attempt = resumed?.attempt ?? retries + 1; attempt <= spec.maxRoundAttempts; attempt++) {
    const cp = await store.latestCheckpoint(jobId);
    if (!cp) throw new Error(`job ${jobId} has no checkpoint to train from`);
    const resuming = resumed?.attempt === attempt;
    let cohort: string[] = [];
    if (!resuming) {
      const excluded = await h.overBudget();
      const online = await h.waitForBanks();
      if (!online) return false;
      const eligible = withIdentity(deps, online.filter((m) => !excluded.has(m)));
      if (eligible.length < spec.minBanks && excluded.size > 0) return h.fail(`privacy budget: only ${eligible.length} banks can take another round within maxEpsilon ${spec.privacy.mode === 'dp-sgd' ? spec.privacy.maxEpsilon : ''}`, 'completed');
      cohort = strategy.configureFit(round, cp.weights, eligible, cryptoRandom()).map((a) => a.memberId).slice(0, sa.maxBanks);
      if (cohort.length < spec.minBanks) {
        await h.sleep(1000);
        if (signal.aborted) return false;
        attempt--;
        continue;
      }
    }
    deps.onEvent(jobId, 'round-started', { round });
    const fit = await runSecAggFit(deps, { ...ctx, attempt, global: cp.weights, cohort, collectOnly: resuming && resumedEval?.attempt === attempt }, signal, log);
    if (fit.kind === 'stopped') return false;
    let reason = fit.kind === 'aborted' ? `secure aggregation aborted: ${fit.reason}` : undefined;
    const agg = fit.kind === 'done' ? strategy.aggregateFit(round, cp.weights, meanReplies(cp.weights, fit.result), fit.dropped) : undefined;
    if (agg && !agg.weights) reason = agg.reason ?? 'the strategy kept the model';
    if (fit.kind === 'aborted' || !agg?.weights) {
      // Nothing of this attempt is kept or charged; the next attempt starts from advertise with fresh keys.
      await store.clearRound(jobId, round);
      await store.appendAudit({ type: 'round-retry', jobId, detail: { round, attempt, reason: reason!, secureAggregation: true, failures: describeDropouts(fit.dropped) } });
      deps.onEvent(jobId, 'round-retry', { round, reason: reason! });
      log.warn('secure round failed; retrying with fresh keys', { round, attempt, reason, failures: describeDropouts(fit.dropped) });
      continue;
    }
    const { result } = fit;
    const ev = await h.evaluate(attempt, resumedEval?.attempt === attempt ? resumedEval.weights! : agg.weights);
    if (signal.aborted || !ev) return false;
    // The ledger holds the spends the survivors reported: only their (noised) inputs are in the released sum.
    const ledger: LedgerEntry[] = result.survivors.flatMap((memberId) => {
      const p = fit.replies.get(memberId)?.privacy;
      return p ? [{ jobId, memberId, round, epsilonRound: p.epsilonRound, epsilonTotal: p.epsilonTotal, delta: p.delta, noiseMultiplier: p.noiseMultiplier, sampleRate: p.sampleRate, steps: p.steps, accountant: p.accountant, unit: p.unit }] : [];
    });
    const ddp = sa.distributedDp;
    const metrics: Record<string, number> = { ...agg.metrics, ...strategy.aggregateEvaluate(round, ev.evalReplies, ev.failures).metrics, secaggSurvivors: result.numSurvivors };
    // The survivors' total example count, as far as the sum carries it: Σ q = Σ min(n/maxWeight, 1)·T (exact up to
    // rounding while no bank passes maxWeight). With distributed DP every bank weighs the same and no count is released.
    if (sa.distributedDp) delete metrics['fitExamples'];
    else metrics['fitExamples'] = Math.round((result.totalWeight * sa.maxWeight) / (2 ** sa.bits - 1));
    let epsilon = ledger.length > 0 ? Math.max(...ledger.map((l) => l.epsilonTotal)) : undefined;
    let delta = spec.privacy.mode === 'dp-sgd' ? spec.privacy.delta : undefined;
    if (ddp && result.noise) {
      metrics['ddpNoiseMultiplier'] = result.noise.noiseMultiplier;
      metrics['ddpSumStd'] = result.noise.sumStd;
      if (epsilon !== undefined) metrics['dpSgdEpsilon'] = epsilon;
      epsilon = await distributedEpsilon(deps, jobId, result.noise.noiseMultiplier, ddp.delta);
      delta = ddp.delta;
    }
    const state = strategy.saveState?.();
    const ok = await h.commit({
      jobId,
      round,
      attempt,
      weights: agg.weights,
      strategyStateJson: state === undefined ? undefined : JSON.stringify(state),
      participants: [...result.survivors],
      dropped: fit.dropped.map((d) => ({ memberId: d.memberId, kind: d.kind, reason: d.reason, stage: d.stage })),
      metrics,
      ledger,
      epsilon,
      delta,
      trainMs: fit.trainMs,
      evaluateMs: ev.elapsedMs,
      completedAt: new Date().toISOString(),
    });
    if (!ok) return false;
    deps.onEvent(jobId, 'round-committed', { round });
    return true;
  }
  return h.fail(`round ${round} failed ${spec.maxRoundAttempts} times: secure aggregation could not complete (too few banks survived in a neighbourhood)`);
}
