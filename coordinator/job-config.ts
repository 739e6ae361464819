/** From a validated job spec to the strategy, the per-round settings banks receive, and who is over the job's budget. */
import type { z } from 'zod';
import { ConfigError } from '../common/errors.js';
import { resolveSecAggConfig } from '../privacy/secagg/protocol/index.js';
import { assertStrategyCompatible, type JobSpec } from '../schema/job-spec.js';
import { secAggJobConfigOf } from '../schema/secure-aggregation-spec.js';
import type { RoundConfigValues } from '../schema/fleet.js';
import { fedAdagrad, fedAdam, fedYogi } from './strategy/adaptive.js';
import { fedAvg } from './strategy/fedavg.js';
import { fedAvgM } from './strategy/fedavgm.js';
import { fedMedian } from './strategy/fedmedian.js';
import { fedProx } from './strategy/fedprox.js';
import { krum } from './strategy/krum.js';
import type { LedgerEntry } from './store/store.js';
import type { Strategy } from './strategy/strategy.js';
import { trimmedMeanStrategy } from './strategy/trimmed-mean.js';

/** The fit settings every selected bank gets (the trainer validates them again: client/trainer/train-config.ts). */
export function fitConfigFor(spec: JobSpec): RoundConfigValues {
  const c: Record<string, number | string | boolean> = {
    learningRate: spec.learningRate,
    localEpochs: spec.localEpochs,
    batchSize: spec.batchSize,
    optimizer: spec.optimizer,
    l1: spec.model.l1,
    l2: spec.model.l2,
    earlyStoppingPatience: spec.earlyStoppingPatience,
    rounds: spec.rounds,
  };
  if (spec.privacy.mode === 'dp-sgd') {
    c['dpSgd'] = true;
    c['clippingNorm'] = spec.privacy.clippingNorm;
    c['delta'] = spec.privacy.delta;
    c['maxEpsilon'] = spec.privacy.maxEpsilon;
    if (spec.privacy.noiseMultiplier !== undefined) c['noiseMultiplier'] = spec.privacy.noiseMultiplier;
    if (spec.privacy.targetEpsilon !== undefined) c['targetEpsilon'] = spec.privacy.targetEpsilon;
  }
  return c;
}

/**
 * The strategy a job spec names, with the job's sampling settings and the strategy's parameters
 * (defaults already filled in by the schema).
 * @throws ConfigError when the strategy cannot run with the job's secure-aggregation setting.
 */
export function strategyFor(spec: JobSpec): Strategy {
  assertStrategyCompatible(spec);
  const sampling = {
    minFitClients: spec.minBanks,
    ...(spec.targetBanks !== undefined ? { targetFitClients: spec.targetBanks } : {}),
    ...(spec.sampleRate !== undefined ? { sampleRate: spec.sampleRate } : {}),
    fitConfig: fitConfigFor(spec),
  };
  const s = spec.strategy;
  switch (s.name) {
    case 'fedavg':
      return fedAvg(sampling);
    case 'fedprox':
      return fedProx({ ...sampling, proximalMu: s.proximalMu });
    case 'fedavgm':
      return fedAvgM({ ...sampling, serverLearningRate: s.serverLearningRate, serverMomentum: s.serverMomentum });
    case 'fedadagrad':
      return fedAdagrad({ ...sampling, eta: s.eta, tau: s.tau });
    case 'fedadam':
      return fedAdam({ ...sampling, eta: s.eta, betas: s.betas, tau: s.tau });
    case 'fedyogi':
      return fedYogi({ ...sampling, eta: s.eta, betas: s.betas, tau: s.tau });
    case 'fedmedian':
      return fedMedian(sampling);
    case 'trimmed-mean':
      return trimmedMeanStrategy({ ...sampling, beta: s.beta });
    case 'krum':
      return krum({ ...sampling, byzantine: s.byzantine, select: 1 });
    case 'multikrum':
      return krum({ ...sampling, byzantine: s.byzantine, select: s.select });
  }
}

/**
 * Refuses, at submission, a secure-aggregation config the protocol could not run securely or correctly
 * for some cohort the job may have (minBanks … maxBanks): t ≤ k/2, n·T ≥ M, no room for the DP noise …
 * The job spec's own zod rules catch most; this asks the protocol's sizing itself, so both always agree.
 * @throws ConfigError with path `secureAggregation` and every reason (with its cohort size).
 */
export function assertSecureAggregationSound(spec: JobSpec, source = 'job spec'): void {
  const sa = spec.secureAggregation;
  if (!sa?.enabled) return;
  const sizes = [...new Set([spec.minBanks, spec.targetBanks ?? sa.maxBanks, sa.maxBanks])];
  const reasons = sizes.flatMap((n) => {
    const r = resolveSecAggConfig(secAggJobConfigOf(sa), n);
    return r.ok ? [] : r.reasons.map((why) => `with ${n} banks: ${why}`);
  });
  if (reasons.length > 0) throw new ConfigError(source, [...new Set(reasons)].map((message) => ({ code: 'custom', path: ['secureAggregation'], message, input: sa }) as z.core.$ZodIssue));
}

/**
 * Members whose job ε would pass `maxEpsilon` if the next round cost what their last one added (fail
 * closed). The marginal cost of a round shrinks under RDP composition, so the last increase is an upper
 * estimate; each bank's own accountant makes the exact check before it trains.
 * @param entries the job's privacy ledger, each member's entries in ascending round order (as Store.ledger lists them).
 */
export function overBudgetMembers(entries: readonly LedgerEntry[], maxEpsilon: number): Set<string> {
  // Each member's last two entries, not a copy of its history per entry (that was quadratic in rounds).
  const lastTwo = new Map<string, { prev: LedgerEntry | undefined; last: LedgerEntry }>();
  for (const e of entries) lastTwo.set(e.memberId, { prev: lastTwo.get(e.memberId)?.last, last: e });
  const out = new Set<string>();
  for (const [m, { prev, last }] of lastTwo) {
    const marginal = Math.max(last.epsilonTotal - (prev?.epsilonTotal ?? 0), 0);
    if (last.epsilonTotal + marginal > maxEpsilon) out.add(m);
  }
  return out;
}
