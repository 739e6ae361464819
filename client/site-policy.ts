/** The bank's site policy: which fit instructions it accepts, with the privacy budget projected before any training. */
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import { noiseMultiplierFor } from '../privacy/accounting/calibrate.js';
import type { AccountantState } from '../privacy/accounting/accountant.js';
import type { JobSpec } from '../schema/job-spec.js';
import type { SitePolicy } from '../schema/node-config.js';
import { planPoisson } from './trainer/poisson-batches.js';
import type { JobNoise } from './ledger/ledger.js';

/** The DP part of an accepted fit: what will be spent, computed before training. */
export interface DpPlan {
  readonly noiseMultiplier: number;
  readonly clippingNorm: number;
  readonly sampleRate: number;
  readonly steps: number;
  /** The job's δ (ε per job is reported at it). */
  readonly delta: number;
  readonly epsilonRound: number;
  /** The job's ε on this dataset after this round, at the job's δ. */
  readonly projectedJobEpsilon: number;
  /** The dataset's ε over all jobs after this round, at the site policy's δ. */
  readonly projectedDatasetEpsilon: number;
  /** Set when σ was calibrated now from targetEpsilon: the caller remembers it for the job's later rounds. */
  readonly calibrated: JobNoise | undefined;
}

/** What the site policy decided. `dp` is undefined for a job without record-level DP. */
export type FitDecision = { readonly accept: true; readonly dp: DpPlan | undefined } | { readonly accept: false; readonly reason: string };

/** Everything the decision depends on; the ledger supplies the states. */
export interface FitCheckInput {
  readonly policy: SitePolicy;
  readonly job: JobSpec;
  /** Banks selected for this round (from the instruction). */
  readonly numBanks: number;
  /** Rows in the bank's training split. */
  readonly numTrain: number;
  /** σ remembered for this job, if it was calibrated in an earlier round. */
  readonly rememberedNoise: JobNoise | undefined;
  readonly datasetState: AccountantState | undefined;
  readonly jobState: AccountantState | undefined;
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : String(x));

function projected(state: AccountantState | undefined, noiseMultiplier: number, sampleRate: number, steps: number, delta: number): number {
  const acc = state ? RdpAccountant.fromState(state) : new RdpAccountant();
  acc.step({ noiseMultiplier, sampleRate }, steps);
  return acc.epsilon(delta).epsilon;
}

/**
 * Decides whether to run a fit, in this order: task accepted; cohort large enough; DP required but
 * absent; job δ above the policy's; then, for DP jobs, the projected ε of this round against the
 * dataset's budget (sitePolicy.maxEpsilon at sitePolicy.delta, over all jobs) and the job's own
 * maxEpsilon. With `targetEpsilon`, σ is calibrated once per job for `rounds × stepsPerRound` steps:
 * noiseMultiplierFor({ targetEpsilon, delta, sampleRate: q, steps: rounds·stepsPerRound }).
 * Pure apart from accountant arithmetic: no I/O.
 * @throws UnreachableEpsilonError when targetEpsilon cannot be met (the caller reports a failure).
 */
export function checkFit(input: FitCheckInput): FitDecision {
  const { policy, job } = input;
  if (!policy.acceptedTasks.includes(job.task)) return { accept: false, reason: `task "${job.task}" is not in this bank's acceptedTasks (${policy.acceptedTasks.join(', ')})` };
  if (input.numBanks < policy.minBanksPerRound) return { accept: false, reason: `the round has ${input.numBanks} banks; this bank requires at least ${policy.minBanksPerRound}` };
  const privacy = job.privacy;
  if (privacy.mode === 'none') {
    if (policy.requireDp) return { accept: false, reason: 'this bank requires record-level DP (privacy mode dp-sgd); the job has none' };
    return { accept: true, dp: undefined };
  }
  if (privacy.delta > policy.delta) return { accept: false, reason: `job delta ${privacy.delta} is above this bank's delta ${policy.delta}` };
  if (input.numTrain < 1) return { accept: false, reason: 'the bank has no training rows' };
  const plan = planPoisson(input.numTrain, job.batchSize, job.localEpochs);
  let noiseMultiplier: number;
  let calibrated: JobNoise | undefined;
  if (privacy.noiseMultiplier !== undefined) noiseMultiplier = privacy.noiseMultiplier;
  else if (input.rememberedNoise) noiseMultiplier = input.rememberedNoise.noiseMultiplier;
  else {
    noiseMultiplier = noiseMultiplierFor({ targetEpsilon: privacy.targetEpsilon as number, delta: privacy.delta, sampleRate: plan.sampleRate, steps: job.rounds * plan.steps });
    calibrated = { noiseMultiplier, sampleRate: plan.sampleRate, stepsPerRound: plan.steps };
  }
  const epsilonRound = projected(undefined, noiseMultiplier, plan.sampleRate, plan.steps, privacy.delta);
  const projectedDatasetEpsilon = projected(input.datasetState, noiseMultiplier, plan.sampleRate, plan.steps, policy.delta);
  const projectedJobEpsilon = projected(input.jobState, noiseMultiplier, plan.sampleRate, plan.steps, privacy.delta);
  if (projectedDatasetEpsilon > policy.maxEpsilon) {
    return { accept: false, reason: `privacy budget: this round would take the dataset to epsilon ${fmt(projectedDatasetEpsilon)} > this bank's maxEpsilon ${policy.maxEpsilon} at delta ${policy.delta}` };
  }
  if (projectedJobEpsilon > privacy.maxEpsilon) {
    return { accept: false, reason: `privacy budget: this round would take the job to epsilon ${fmt(projectedJobEpsilon)} > the job's maxEpsilon ${privacy.maxEpsilon} at delta ${privacy.delta}` };
  }
  return {
    accept: true,
    dp: { noiseMultiplier, clippingNorm: privacy.clippingNorm, sampleRate: plan.sampleRate, steps: plan.steps, delta: privacy.delta, epsilonRound, projectedJobEpsilon, projectedDatasetEpsilon, calibrated },
  };
}
