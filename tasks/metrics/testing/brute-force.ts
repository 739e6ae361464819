/** Brute-force metrics on raw scores, for tests to check the histogram versions against. */
import { RandomReader, type RandomSource } from '../../../common/random.js';

/** Groups of tied scores, highest score first. */
function tieGroups(scores: readonly number[], labels: readonly number[]): { score: number; pos: number; neg: number }[] {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const out: { score: number; pos: number; neg: number }[] = [];
  for (const i of idx) {
    const last = out[out.length - 1];
    const g = last && last.score === scores[i] ? last : (out[out.length] = { score: scores[i]!, pos: 0, neg: 0 });
    if (labels[i] === 1) g.pos++;
    else g.neg++;
  }
  return out;
}

/** KS over every distinct threshold of the raw scores. */
export function rawKs(scores: readonly number[], labels: readonly number[]): number {
  const groups = tieGroups(scores, labels);
  const P = groups.reduce((a, g) => a + g.pos, 0);
  const N = groups.reduce((a, g) => a + g.neg, 0);
  let tp = 0;
  let fp = 0;
  let ks = 0;
  for (const g of groups) {
    tp += g.pos;
    fp += g.neg;
    ks = Math.max(ks, Math.abs(tp / P - fp / N));
  }
  return ks;
}

/** scikit-learn's average_precision_score (ties form one threshold). */
export function rawAveragePrecision(scores: readonly number[], labels: readonly number[]): number {
  const groups = tieGroups(scores, labels);
  const P = groups.reduce((a, g) => a + g.pos, 0);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (const g of groups) {
    tp += g.pos;
    fp += g.neg;
    ap += (g.pos / P) * (tp / (tp + fp));
  }
  return ap;
}

/** Recall at a false-positive rate on the raw ROC curve, linear between its points. */
export function rawRecallAtFpr(scores: readonly number[], labels: readonly number[], fpr: number): number {
  const groups = tieGroups(scores, labels);
  const P = groups.reduce((a, g) => a + g.pos, 0);
  const N = groups.reduce((a, g) => a + g.neg, 0);
  let tp = 0;
  let fp = 0;
  for (const g of groups) {
    if (g.neg > 0 && fp + g.neg >= fpr * N) return (tp + ((fpr * N - fp) / g.neg) * g.pos) / P;
    tp += g.pos;
    fp += g.neg;
  }
  return 1;
}

/** Positives among the top `r` ranks (fractional r takes that share of the next example). */
export function rawTopPositives(scores: readonly number[], labels: readonly number[], r: number): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let tp = 0;
  for (let j = 0; j < Math.floor(r); j++) tp += labels[idx[j]!]!;
  if (r % 1 > 0 && Math.floor(r) < idx.length) tp += (r % 1) * labels[idx[Math.floor(r)]!]!;
  return tp;
}

/** Count, positives and mean score per group [c_{g−1}, c_g) of the raw scores (last group closed). */
export function rawGroups(scores: readonly number[], labels: readonly number[], cuts: readonly number[]): { count: number; pos: number; meanScore: number }[] {
  const out = Array.from({ length: cuts.length + 1 }, () => ({ count: 0, pos: 0, meanScore: 0 }));
  scores.forEach((s, i) => {
    let g = 0;
    while (g < cuts.length && s >= cuts[g]!) g++;
    const o = out[g]!;
    o.count++;
    o.pos += labels[i]!;
    o.meanScore += s;
  });
  for (const o of out) o.meanScore = o.count > 0 ? o.meanScore / o.count : Number.NaN;
  return out;
}

/** A simulated scored population: labels with `positiveRate`, scores σ(N(mean, sd)) per class. */
export function simulateScores(
  rng: RandomSource,
  n: number,
  positiveRate: number,
  neg: { mean: number; sd: number },
  pos: { mean: number; sd: number },
): { scores: number[]; labels: number[] } {
  const r = new RandomReader(rng);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = r.uniform() < positiveRate ? 1 : 0;
    const z = Math.sqrt(-2 * Math.log(r.uniformPositive())) * Math.cos(2 * Math.PI * r.uniform());
    const c = y === 1 ? pos : neg;
    scores.push(1 / (1 + Math.exp(-(c.mean + c.sd * z))));
    labels.push(y);
  }
  return { scores, labels };
}
