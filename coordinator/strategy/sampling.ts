/** Bank selection shared by the built-in strategies: all, a uniform subset, or Poisson with rate q. */
import { RandomReader, type RandomSource } from '../../common/random.js';
import type { SamplingOptions } from './strategy.js';

/**
 * Selects members for a round. Deterministic for a given RandomSource stream; returns [] when fewer than
 * `minFitClients` are available (or sampled).
 */
export function selectMembers(available: readonly string[], options: SamplingOptions, rng: RandomSource): string[] {
  const min = options.minFitClients ?? 2;
  if (available.length < min) return [];
  const pool = [...available].sort();
  const reader = new RandomReader(rng, 64);
  let chosen: string[];
  if (options.sampleRate !== undefined) {
    chosen = pool.filter(() => reader.uniform() < options.sampleRate!);
  } else if (options.targetFitClients !== undefined && options.targetFitClients < pool.length) {
    chosen = reader.shuffle(pool).slice(0, Math.max(min, options.targetFitClients)).sort();
  } else {
    chosen = pool;
  }
  return chosen.length >= min ? chosen : [];
}
