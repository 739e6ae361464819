/**
 * Round 0 of every job: banks report the width and hash of their desensitised feature schema and the
 * moments of their numeric features; the coordinator keeps the majority schema, pools the moments into
 * federation-wide standardisation statistics and builds the initial model.
 */
import { cryptoRandom, type RandomSource } from '../common/random.js';
import type { Weights } from '../common/weights.js';
import { mergeMoments, momentsToStats, type Moments } from '../schema/encoding-stats.js';
import type { JobSpec } from '../schema/job-spec.js';
import { initModelWeights } from '../tasks/models/model-spec.js';
import { getTask } from '../tasks/registry.js';
import type { StageReply } from './stage-runner.js';
import type { ClientFailure } from './strategy/strategy.js';

export interface StatsOutcome {
  readonly featureHash: string;
  readonly numFeatures: number;
  readonly statsJson: string;
  readonly initial: Weights;
  readonly members: readonly string[];
  /** Banks whose feature schema differs from the majority's. */
  readonly mismatched: readonly ClientFailure[];
}

/**
 * Combines stats replies. Returns undefined when fewer than `spec.minBanks` banks share one feature schema.
 * Ties between schemas of equal support go to the smaller hash, so every coordinator decides alike.
 * @param random initial weights (simulations pass a seeded source).
 */
export function combineStats(spec: JobSpec, replies: readonly StageReply[], random: RandomSource = cryptoRandom()): StatsOutcome | undefined {
  const groups = new Map<string, StageReply[]>();
  for (const r of replies) groups.set(r.result.encodingHash, [...(groups.get(r.result.encodingHash) ?? []), r]);
  const ranked = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const best = ranked[0];
  if (!best || best[1].length < spec.minBanks) return undefined;
  const [featureHash, group] = best;
  const mismatched = ranked.slice(1).flatMap(([, rs]) => rs.map((r) => ({ memberId: r.memberId, kind: 'invalid' as const, reason: `its feature schema (${r.result.encodingHash.slice(0, 12)}…) differs from the federation's (${featureHash.slice(0, 12)}…): check its schema and desensitisation policy rules` })));
  let moments: Moments = {};
  for (const r of group) moments = mergeMoments(moments, JSON.parse(r.result.momentsJson) as Moments);
  // A field no bank ever fills gets neutral stats: its missing-indicator column still carries the signal.
  const present = Object.fromEntries(Object.entries(moments).filter(([, m]) => m.count > 0));
  const neutral = Object.fromEntries(Object.entries(moments).filter(([, m]) => m.count === 0).map(([k]) => [k, { mean: 0, std: 1 }]));
  const stats = spec.encoding.stats ?? { ...neutral, ...momentsToStats(present) };
  const numFeatures = group[0]!.result.numFeatures;
  const initial = initModelWeights(getTask(spec.task).modelSpec(spec, numFeatures), random);
  return { featureHash, numFeatures, statsJson: JSON.stringify(stats), initial, members: group.map((r) => r.memberId), mismatched };
}
