/**
 * Krum and Multi-Krum (Blanchard et al. 2017, https://papers.nips.cc/paper/6617): keep the update(s)
 * closest to their n − f − 2 nearest neighbours. Needs individual updates, so never with secure aggregation.
 */
import { assertInt } from '../../common/assert.js';
import { STRATEGY_DEFAULTS } from '../../schema/job-spec.js';
import type { Metrics, Weights } from '../../common/weights.js';
import { createStrategy, type FedAvgOptions } from './fedavg.js';
import { multiKrum } from './robust-aggregate.js';
import type { Strategy } from './strategy.js';

export interface KrumOptions extends FedAvgOptions {
  /** f: how many banks may send arbitrary updates. Rounds need at least 2f + 3 replies. @default 1 */
  readonly byzantine?: number;
  /**
   * m: how many best-scored updates to average. 1 is Krum; m > 1 is Multi-Krum (clamped to n − f
   * when fewer replies arrive). @default 1
   */
  readonly select?: number;
}

/** Defaults of Krum (Flower's default f is 0, which defends against nobody; we take 1). */
export const KRUM_DEFAULTS = STRATEGY_DEFAULTS.krum;

/**
 * Creates a Krum (m = 1, name 'krum') or Multi-Krum (m > 1, name 'multikrum') strategy. With fewer
 * than 2f + 3 replies the round keeps the previous model, with `reason` and the metric `krumNeeded`.
 * Metrics: `krumSelected` (how many updates were averaged) and `krumBestScore`.
 * @throws RangeError when f or m is not a valid integer.
 */
export function krum(options: KrumOptions = {}): Strategy {
  const f = options.byzantine ?? KRUM_DEFAULTS.byzantine;
  const m = options.select ?? KRUM_DEFAULTS.select;
  assertInt('krum', 'byzantine', f, 0, 10_000);
  assertInt('krum', 'select', m, 1, 10_000);
  const needed = 2 * f + 3;
  return createStrategy(m === 1 ? 'krum' : 'multikrum', options, {}, (_round, _current, replies): { weights: Weights | undefined; metrics: Metrics; reason?: string } => {
    if (replies.length < needed) {
      return { weights: undefined, metrics: { krumNeeded: needed }, reason: `${replies.length} replies, Krum with f = ${f} needs 2f + 3 = ${needed}` };
    }
    const out = multiKrum(replies.map((r) => r.weights), f, Math.min(m, replies.length - f));
    return { weights: out.weights, metrics: { krumSelected: out.selected.length, krumBestScore: Math.min(...out.scores) } };
  });
}
