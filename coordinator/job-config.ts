/** From a validated job spec to the strategy and the per-round settings banks receive. */
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
