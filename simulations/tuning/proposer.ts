/** The next trial's point for each search method: the grid in order, uniform draws, or TPE over the trials so far (seeded per trial index). */
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { applyParams, gridPoints, gridSize, sampleSpace, type Params, type SearchSpec } from './search-space.js';
import { defaultStartupTrials, tpePropose, type Observation } from './tpe.js';

/** How many trials a search runs: the grid's size for grid, else `trials`. */
export function trialCount(s: SearchSpec): number {
  return s.method === 'grid' ? gridSize(s.space) : s.trials!;
}

/**
 * The point of trial `index` (0-based). Each trial draws from its own stream `SEED:tune:METHOD:INDEX`, so a
 * resumed search proposes exactly what the interrupted one did (TPE also needs the same history, which the
 * cache restores).
 */
export function proposeTrial(s: SearchSpec, index: number, history: readonly Observation[], seed: number): Params {
  const rng = new RandomReader(seededRandom(`${seed}:tune:${s.method}:${index}`));
  if (s.method === 'grid') return gridPoints(s.space)[index]!;
  if (s.method === 'random') return sampleSpace(s.space, rng);
  const activeOf = (p: Params): Params => applyParams({}, p, s.space).active;
  return tpePropose(s.space, history, rng, { gamma: s.gamma, candidates: s.candidates, startupTrials: s.startupTrials ?? defaultStartupTrials(s.trials!), activeOf });
}

/** A trial's metric as a loss for TPE (lower is better); null when the trial failed or the metric is missing. */
export function lossOf(value: number | null, direction: 'max' | 'min'): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return direction === 'max' ? -value : value;
}
