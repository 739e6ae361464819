/** SecAgg+ neighbourhoods (Bell et al. 2020): a k-regular Harary graph over a random relabelling, and parameter checks. */
import { assertInt } from '../../common/assert.js';
import { RandomReader, type RandomSource } from '../../common/random.js';
import { SecAggParamsError } from './errors.js';
import { toMemberId, type MemberIdInput } from './member-id.js';
import { assertRandomSource } from '../math/guard.js';

/** SecAgg / SecAgg+ sizing. k and t are filled with defaults when absent. */
export interface SecAggSizing {
  /** n: members in the cohort (U1). */
  readonly n: number;
  /** k: neighbours per member, self excluded; k = n − 1 is classic SecAgg. Shares go to the k neighbours and self. */
  readonly k?: number;
  /** t: Shamir threshold among the k + 1 share holders. */
  readonly t?: number;
  /** T: quantisation grid (one coordinate lies in [0, T]); with `modulus`, checks that the sum cannot wrap. */
  readonly targetRange?: number;
  /** M: masking modulus in [2, 2^32]. */
  readonly modulus?: number;
}

/** Sizing with k and t resolved. */
export interface ResolvedSizing {
  readonly n: number;
  readonly k: number;
  readonly t: number;
}

/**
 * Default degree: 2·⌈log2 n⌉ + 1 neighbours (logarithmic, as SecAgg+ prescribes), raised by one to an even
 * degree when n is odd (a k-regular graph needs n·k even), and n − 1 (complete graph) when that is reached.
 * @param n cohort size ≥ 2.
 * @returns k in [1, n − 1].
 * @example defaultDegree(100) // 15; defaultDegree(101) // 16; defaultDegree(8) // 7 (complete)
 */
export function defaultDegree(n: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2) throw new RangeError(`defaultDegree: "n" expected integer ≥ 2, got ${String(n)}`);
  let k = 2 * Math.ceil(Math.log2(n)) + 1;
  if (k >= n - 1) return n - 1;
  if (n % 2 === 1) k += 1;
  return Math.min(k, n - 1);
}

/**
 * Default threshold ⌊2k/3⌋ + 1 among the k + 1 holders (k = 1 needs both shares: t = 2).
 * @param k degree ≥ 1.
 * @returns t.
 * @example defaultThreshold(15) // 11
 */
export function defaultThreshold(k: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new RangeError(`defaultThreshold: "k" expected integer ≥ 1, got ${String(k)}`);
  return Math.max(Math.floor((2 * k) / 3) + 1, Math.floor((k + 1) / 2) + 1);
}

/**
 * Every reason a sizing is impossible or insecure (empty when it is fine). Defaults fill k and t first.
 * @param sizing the candidate.
 * @returns human-readable reasons, each with the numbers involved.
 */
export function secAggParamIssues(sizing: SecAggSizing): string[] {
  if (typeof sizing !== 'object' || sizing === null) throw new TypeError(`secAggParamIssues: "sizing" expected {n, k?, t?, targetRange?, modulus?}, got ${sizing === null ? 'null' : typeof sizing}`);
  const { n } = sizing;
  const issues: string[] = [];
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  if (!isInt(n) || n < 2) return [`n = ${String(n)}: secure aggregation needs an integer number of members ≥ 2`];
  const k = sizing.k ?? defaultDegree(n);
  if (!isInt(k) || k < 1 || k > n - 1) return [`k = ${String(k)}: the degree is expected to be an integer in [1, n − 1] = [1, ${n - 1}]`];
  if ((n * k) % 2 === 1) issues.push(`k = ${k} with n = ${n}: a k-regular graph needs n·k even; use k = ${k + 1 <= n - 1 ? k + 1 : k - 1}`);
  const t = sizing.t ?? defaultThreshold(k);
  if (!isInt(t) || t < 1) issues.push(`t = ${String(t)}: the threshold must be a positive integer`);
  else if (t > k + 1) issues.push(`t = ${t} > k + 1 = ${k + 1}: only k + 1 shares exist, reconstruction is impossible`);
  else if (2 * t <= k + 1) {
    issues.push(`t = ${t} ≤ (k + 1)/2 = ${(k + 1) / 2}: two disjoint groups of t share holders could reveal both a member's self seed and its mask key (need t > k/2 and 2t > k + 1)`);
  }
  const { targetRange: range, modulus } = sizing;
  if (modulus !== undefined && (!isInt(modulus) || modulus < 2 || modulus > 2 ** 32)) issues.push(`modulus = ${String(modulus)}: must be an integer in [2, 2^32]`);
  else if (range !== undefined && (!isInt(range) || range < 1)) issues.push(`targetRange = ${String(range)}: must be a positive integer`);
  else if (range !== undefined && modulus !== undefined && n * range >= modulus) {
    issues.push(`n·T = ${n} · ${range} = ${n * range} ≥ M = ${modulus}: the masked sum would wrap; use T ≤ ${Math.floor((modulus - 1) / n)}`);
  }
  return issues;
}

/**
 * Resolves defaults and refuses insecure or impossible sizings.
 * @param sizing n, optional k, t, targetRange, modulus.
 * @returns n, k, t.
 * @throws SecAggParamsError ('config-invalid') listing every reason.
 * @example checkSecAggParams({ n: 100 }) // { n: 100, k: 15, t: 11 }
 */
export function checkSecAggParams(sizing: SecAggSizing): ResolvedSizing {
  const issues = secAggParamIssues(sizing);
  if (issues.length > 0) throw new SecAggParamsError(issues);
  const k = sizing.k ?? defaultDegree(sizing.n);
  return { n: sizing.n, k, t: sizing.t ?? defaultThreshold(k) };
}

/**
 * Builds the Harary graph H(k, n) over a random relabelling of the members: position p is joined to p ± 1 …
 * p ± ⌊k/2⌋ (mod n) and, for odd k, to p + n/2. k = n − 1 gives the complete graph (plain SecAgg).
 * @param memberIds distinct member ids (U1).
 * @param k the degree (validated with checkSecAggParams rules for n = memberIds.length).
 * @param rng the relabelling permutation's randomness.
 * @returns each member's neighbours (self excluded), ascending.
 * @throws SecAggParamsError for an impossible k; RangeError for repeated ids.
 */
export function buildNeighbourhoods(memberIds: readonly MemberIdInput[], k: number, rng: RandomSource): Map<bigint, bigint[]> {
  assertRandomSource('buildNeighbourhoods', 'rng', rng);
  if (!Array.isArray(memberIds as unknown)) throw new TypeError(`buildNeighbourhoods: "memberIds" expected array of member ids, got ${typeof memberIds}`);
  const ids = memberIds.map((id, i) => toMemberId('buildNeighbourhoods', `memberIds[${i}]`, id));
  if (new Set(ids).size !== ids.length) throw new RangeError('buildNeighbourhoods: "memberIds" expected distinct ids, got a repeated one');
  const n = ids.length;
  assertInt('buildNeighbourhoods', 'k', k, 1, Math.max(1, n - 1));
  const issues = secAggParamIssues({ n, k, t: k + 1 });
  if (issues.length > 0) throw new SecAggParamsError(issues);
  const order = new RandomReader(rng, 256).shuffle(ids.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const out = new Map<bigint, bigint[]>();
  for (let p = 0; p < n; p++) {
    const nb: bigint[] = [];
    for (let d = 1; d <= Math.floor(k / 2); d++) nb.push(order[(p + d) % n]!, order[(p - d + n) % n]!);
    if (k % 2 === 1) nb.push(order[(p + n / 2) % n]!);
    out.set(order[p]!, nb.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return out;
}
