/**
 * The job spec's `secureAggregation` section (SecAgg+ with optional distributed DP) and the checks that
 * refuse configurations which cannot be secure or cannot be correct, each with its path and the numbers.
 */
import { z } from 'zod';

/** Distributed DP inside the secure sum: each bank adds integer noise before masking. */
export const DistributedDpSchema = z
  .object({
    mechanism: z.enum(['skellam', 'discrete-gaussian']).describe('integer noise each bank adds before masking'),
    noiseMultiplier: z.number('noiseMultiplier must be a number in (0, 1000]').gt(0, 'noiseMultiplier must be > 0').max(1000, 'noiseMultiplier must be ≤ 1000').describe('z: the sum carries noise of std z·clippingRange (L2)'),
    minSurvivors: z.number().int('minSurvivors must be an integer').min(1, 'minSurvivors must be ≥ 1').max(100_000).describe('each bank sizes its noise so that this many survivors already give the target noise; rounds with fewer survivors abort'),
    delta: z.number().gt(0).lt(1).default(1e-5).describe('δ at which the distributed-DP ε is reported'),
  })
  .strict();

export const SecureAggregationSchema = z
  .object({
    enabled: z.boolean().describe('run fit rounds as SecAgg+: the coordinator only learns the sum of the updates'),
    neighbours: z.number().int('neighbours must be an integer').min(1, 'neighbours must be ≥ 1').max(10_000).optional().describe('k: neighbours per bank; default 4⌈log2 n⌉ (complete graph for small n)'),
    threshold: z.number().int('threshold must be an integer').min(2, 'threshold must be ≥ 2').max(10_001).optional().describe('t: shares needed to reconstruct, among k + 1 holders; default ⌊2k/3⌋ + 1'),
    bits: z.number().int('bits must be an integer').min(1, 'bits must be in [1, 24]').max(24, 'bits must be in [1, 24]').default(16).describe('b: quantisation to 2^b levels (T = 2^b − 1)'),
    modulusBits: z.number().int().min(8, 'modulusBits must be in [8, 32]').max(32, 'modulusBits must be in [8, 32]').default(32).describe('log2 of the masking modulus M'),
    clippingRange: z.number().gt(0, 'clippingRange must be > 0').max(1e6).default(1).describe('c: each coordinate of the update (new − global weights) is clipped to [−c, c]; with distributed DP the L2 norm is clipped to c'),
    maxWeight: z.number().int().min(1).max(1e9).default(10_000).describe('examples that earn a bank the full weight in the weighted mean'),
    maxBanks: z.number().int().min(2).max(100_000).default(1000).describe('largest cohort per round (the sum must not wrap: maxBanks · T < M)'),
    distributedDp: DistributedDpSchema.optional(),
  })
  .strict();

export type SecureAggregationSpec = z.output<typeof SecureAggregationSchema>;
export type DistributedDpSpec = z.output<typeof DistributedDpSchema>;

/** T = 2^b − 1: one quantised coordinate lies in [0, T]. */
export const targetRangeOf = (s: Pick<SecureAggregationSpec, 'bits'>): number => 2 ** s.bits - 1;
/** M = 2^modulusBits. */
export const modulusOf = (s: Pick<SecureAggregationSpec, 'modulusBits'>): number => 2 ** s.modulusBits;

/**
 * Cross-field rules of secure aggregation against the job (minBanks, targetBanks): insecure or
 * impossible settings become zod issues under `secureAggregation.*` with the reason and the numbers.
 */
export function secureAggregationIssues(j: { secureAggregation?: SecureAggregationSpec | undefined; minBanks: number; targetBanks?: number | undefined }, ctx: z.RefinementCtx): void {
  const s = j.secureAggregation;
  if (!s?.enabled) return;
  const at = (...p: string[]) => ['secureAggregation', ...p];
  if (j.minBanks < 2) ctx.addIssue({ code: 'custom', path: ['minBanks'], message: `secure aggregation needs minBanks ≥ 2 (a sum of one update is that update), got ${j.minBanks}` });
  if (j.targetBanks !== undefined && j.targetBanks > s.maxBanks) ctx.addIssue({ code: 'custom', path: at('maxBanks'), message: `targetBanks ${j.targetBanks} exceeds secureAggregation.maxBanks ${s.maxBanks}` });
  if (s.maxBanks < j.minBanks) ctx.addIssue({ code: 'custom', path: at('maxBanks'), message: `maxBanks ${s.maxBanks} is below minBanks ${j.minBanks}` });
  if (s.threshold !== undefined && s.neighbours === undefined) {
    ctx.addIssue({ code: 'custom', path: at('threshold'), message: 'a fixed threshold needs a fixed neighbours (k): the default k grows with the cohort, and a fixed t would fall to k/2 or below' });
  }
  if (s.neighbours !== undefined) {
    const k = s.neighbours;
    const t = s.threshold ?? Math.max(Math.floor((2 * k) / 3) + 1, Math.floor((k + 1) / 2) + 1);
    // The smallest cohort (minBanks) has the fewest share holders: k is capped at n − 1 there.
    const kMin = Math.min(k, j.minBanks - 1);
    if (2 * t <= k + 1) ctx.addIssue({ code: 'custom', path: at('threshold'), message: `t = ${t} ≤ (k + 1)/2 = ${(k + 1) / 2}: two disjoint groups of t holders could reveal both a bank's self-mask seed and its mask key (need 2t > k + 1)` });
    else if (t > kMin + 1) ctx.addIssue({ code: 'custom', path: at('threshold'), message: `t = ${t} > ${kMin + 1} share holders in a cohort of minBanks = ${j.minBanks}: no round could ever unmask; lower the threshold or raise minBanks` });
  }
  const T = targetRangeOf(s);
  const M = modulusOf(s);
  if (s.maxBanks * T >= M) {
    ctx.addIssue({ code: 'custom', path: at('bits'), message: `n·T = ${s.maxBanks} · ${T} = ${s.maxBanks * T} ≥ M = 2^${s.modulusBits}: the masked sum would wrap; lower bits or maxBanks, or raise modulusBits` });
  }
  if (s.bits >= s.modulusBits) ctx.addIssue({ code: 'custom', path: at('bits'), message: `bits ${s.bits} must be below modulusBits ${s.modulusBits}` });
  const dp = s.distributedDp;
  if (dp && dp.minSurvivors > j.minBanks) {
    ctx.addIssue({ code: 'custom', path: at('distributedDp', 'minSurvivors'), message: `minSurvivors ${dp.minSurvivors} > minBanks ${j.minBanks}: a round of minBanks banks could never reach the survivors its noise is sized for` });
  }
  if (dp && dp.minSurvivors < 2) ctx.addIssue({ code: 'custom', path: at('distributedDp', 'minSurvivors'), message: 'minSurvivors must be ≥ 2: one survivor would reveal its own (noised) update' });
}

/**
 * The protocol's job config (privacy/secagg/protocol `SecAggJobConfig`, structurally) from the spec, with
 * every default made explicit so the coordinator and every bank resolve exactly the same sizing.
 */
export function secAggJobConfigOf(s: SecureAggregationSpec) {
  return {
    ...(s.neighbours !== undefined ? { neighbours: s.neighbours } : {}),
    ...(s.threshold !== undefined ? { threshold: s.threshold } : {}),
    bits: s.bits,
    modulus: modulusOf(s),
    clippingRange: s.clippingRange,
    maxWeight: s.maxWeight,
    ...(s.distributedDp ? { distributedDp: { mechanism: s.distributedDp.mechanism, noiseMultiplier: s.distributedDp.noiseMultiplier, minSurvivors: s.distributedDp.minSurvivors } } : {}),
  };
}
