/** Ground-truth figures of a synthetic run: the exact Bayes AUC of the true probabilities and the truth.json document. */
import { assertSameLength } from '../../common/assert.js';

/**
 * ROC-AUC of `scores` against 0/1 `labels` (Mann–Whitney U with mid-ranks for ties), computed exactly.
 * @returns the AUC, or null when only one class is present.
 * @example aucExact([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.75
 */
export function aucExact(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  assertSameLength('aucExact', scores, labels);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        rankSumPos += midRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * The population AUC of the true probabilities without label noise: the probability that a random
 * positive outranks a random negative when each row i is positive with probability p_i, over distinct
 * pairs of rows (ties count ½). This is the expected value of `aucExact(p, labels)` over label draws.
 */
export function expectedAuc(p: ArrayLike<number>): number | null {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let totalNeg = 0;
  for (let i = 0; i < n; i++) totalNeg += 1 - p[i]!;
  let below = 0;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    let groupNeg = 0;
    while (j + 1 < n && p[order[j + 1]!] === p[order[i]!]) j++;
    for (let k = i; k <= j; k++) groupNeg += 1 - p[order[k]!]!;
    for (let k = i; k <= j; k++) {
      const pi = p[order[k]!]!;
      num += pi * (below + 0.5 * (groupNeg - (1 - pi)));
      den += pi * (totalNeg - (1 - pi));
    }
    below += groupNeg;
    i = j + 1;
  }
  return den > 0 ? num / den : null;
}

/** Per-bank facts recorded in truth.json. */
export interface BankTruth {
  readonly bank: string;
  readonly file: string;
  readonly mapping: string;
  readonly locale: string;
  readonly rows: number;
  /** Share of rows with label 1 (credit: default, transaction: fraud); null for market data. */
  readonly labelRate: number | null;
  readonly [key: string]: unknown;
}

/** The truth.json document: enough to reproduce the run and to judge a model trained on it. */
export interface TruthDocument {
  readonly schema: string;
  readonly seed: number | string;
  readonly skew: number;
  readonly banks: number;
  readonly rowsPerBank: number;
  readonly generator: string;
  readonly perBank: readonly BankTruth[];
  readonly [key: string]: unknown;
}

/**
 * Share of `realised` values whose direction `predicted` got right, "up" meaning > 0 on both sides
 * (the market-forecast task's `directionalAccuracy`).
 * @returns the hit rate, or null for no values.
 * @example directionalHitRate([0.1, -0.2, 0.3], [0.05, 0.01, 0.2]) // 2/3
 */
export function directionalHitRate(predicted: ArrayLike<number>, realised: ArrayLike<number>): number | null {
  assertSameLength('directionalHitRate', predicted, realised);
  if (predicted.length === 0) return null;
  let hits = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i]! > 0 === realised[i]! > 0) hits++;
  return hits / predicted.length;
}
