/** From a validated job spec to the strategy and the per-round settings banks receive. */
import type { JobSpec } from '../schema/job-spec.js';
import type { RoundConfigValues } from '../schema/fleet.js';
import { fedAvg } from './strategy/fedavg.js';
import { fedProx } from './strategy/fedprox.js';
import type { Strategy } from './strategy/strategy.js';

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

/** The strategy a job spec names, with the job's sampling settings. */
export function strategyFor(spec: JobSpec): Strategy {
  const sampling = {
    minFitClients: spec.minBanks,
    ...(spec.targetBanks !== undefined ? { targetFitClients: spec.targetBanks } : {}),
    ...(spec.sampleRate !== undefined ? { sampleRate: spec.sampleRate } : {}),
    fitConfig: fitConfigFor(spec),
  };
  switch (spec.strategy.name) {
    case 'fedavg':
      return fedAvg(sampling);
    case 'fedprox':
      return fedProx({ ...sampling, proximalMu: spec.strategy.proximalMu });
  }
}
