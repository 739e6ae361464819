/** The in-place metric walks (no Bin objects, one-pass quantiles, PSI by a bin layout) against the per-bin originals, bit for bit. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binsOf, labelTotals, logitEdges, type BinnedCounts } from './binning.js';
import { ksCurve, ksStatistic } from './finance-metrics.js';
import { quantileCuts, scoreQuantile, sliceByRank, sliceByScore } from './histogram-slices.js';
import { psi } from './psi.js';
import { precisionAtK, recallAtFpr } from './rare-event.js';

// The implementations these replaced (as of the commit before), kept as oracles.
function oldSliceByRank(h: BinnedCounts, groups: number): { count: number; pos: number; neg: number; scoreLo: number; scoreHi: number; sumMid: number }[] {
  const bins = binsOf(h).reverse();
  const total = bins.reduce((a, b) => a + b.pos + b.neg, 0);
  const out = [];
  let b = 0;
  let usedFrac = 0;
  for (let g = 0; g < groups; g++) {
    const s = { count: 0, pos: 0, neg: 0, scoreLo: b < bins.length ? bins[b]!.hi : 0, scoreHi: b < bins.length ? bins[b]!.hi : 0, sumMid: 0 };
    let need = total / groups;
    while (b < bins.length && (need > total * 1e-12 || g === groups - 1)) {
      const bin = bins[b]!;
      const c = bin.pos + bin.neg;
      const left = c * (1 - usedFrac);
      if (left <= 0) {
        b++;
        usedFrac = 0;
        continue;
      }
      const take = g === groups - 1 ? left : Math.min(need, left);
      const f = take / c;
      const w = bin.hi - bin.lo;
      const top = bin.hi - usedFrac * w;
      const bottom = bin.hi - (usedFrac + f) * w;
      if (s.count === 0) s.scoreHi = top;
      s.scoreLo = bottom;
      s.count += take;
      s.pos += f * bin.pos;
      s.neg += f * bin.neg;
      s.sumMid += take * ((top + bottom) / 2);
      need -= take;
      usedFrac += f;
      if (usedFrac >= 1 - 1e-12) {
        b++;
        usedFrac = 0;
      }
    }
    out.push(s);
  }
  return out;
}

function oldScoreQuantile(h: BinnedCounts, q: number): number {
  const bins = binsOf(h);
  const total = bins.reduce((a, b) => a + b.pos + b.neg, 0);
  if (total === 0) return Number.NaN;
  const target = q * total;
  let below = 0;
  for (const bin of bins) {
    const c = bin.pos + bin.neg;
    if (c > 0 && below + c >= target) return bin.lo + ((target - below) / c) * (bin.hi - bin.lo);
    below += c;
  }
  return 1;
}

function oldKs(h: BinnedCounts): { ks: number; threshold: number; curve: { threshold: number; tpr: number; fpr: number }[] } {
  const { pos: totalPos, neg: totalNeg } = labelTotals(h);
  const bins = binsOf(h);
  const curve = [{ threshold: 1, tpr: 0, fpr: 0 }];
  if (totalPos === 0 || totalNeg === 0) return { ks: Number.NaN, threshold: Number.NaN, curve };
  let [cumPos, cumNeg, ks, threshold] = [0, 0, 0, 1];
  for (let i = bins.length - 1; i >= 0; i--) {
    cumPos += bins[i]!.pos;
    cumNeg += bins[i]!.neg;
    const p = { threshold: bins[i]!.lo, tpr: cumPos / totalPos, fpr: cumNeg / totalNeg };
    curve.push(p);
    if (Math.abs(p.tpr - p.fpr) > ks) [ks, threshold] = [Math.abs(p.tpr - p.fpr), p.threshold];
  }
  return { ks, threshold, curve };
}

function oldRecallAtFpr(h: BinnedCounts, fpr: number): { recall: number; precision: number; threshold: number } {
  const { pos: totalPos, neg: totalNeg } = labelTotals(h);
  if (totalPos === 0 || totalNeg === 0) return { recall: Number.NaN, precision: Number.NaN, threshold: Number.NaN };
  const target = fpr * totalNeg;
  const bins = binsOf(h);
  let [cumPos, cumNeg] = [0, 0];
  for (let i = bins.length - 1; i >= 0; i--) {
    const b = bins[i]!;
    if (b.neg > 0 && cumNeg + b.neg > target) {
      const f = Math.max(0, (target - cumNeg) / b.neg);
      const tp = cumPos + f * b.pos;
      const flagged = tp + target;
      return { recall: tp / totalPos, precision: flagged > 0 ? tp / flagged : Number.NaN, threshold: b.hi - f * (b.hi - b.lo) };
    }
    cumPos += b.pos;
    cumNeg += b.neg;
  }
  return { recall: 1, precision: totalPos / (totalPos + totalNeg), threshold: 0 };
}

function oldPrecisionAtK(h: BinnedCounts, k: number): number {
  const bins = binsOf(h);
  let [taken, tp] = [0, 0];
  for (let i = bins.length - 1; i >= 0; i--) {
    const c = bins[i]!.pos + bins[i]!.neg;
    if (c === 0) continue;
    if (taken + c >= k) return (tp + ((k - taken) / c) * bins[i]!.pos) / k;
    taken += c;
    tp += bins[i]!.pos;
  }
  return Number.NaN;
}

/** PSI as it was: the actual side's shares from sliceByScore at the expected side's quantile cuts. */
function oldPsi(expected: BinnedCounts, actual: BinnedCounts, epsilon = 1e-4): number {
  const cuts = quantileCuts(expected, 10);
  const shares = (h: BinnedCounts): number[] => {
    const slices = sliceByScore(h, cuts);
    const total = slices.reduce((s, x) => s + x.count, 0);
    return slices.map((s) => Math.max(epsilon, s.count / total));
  };
  const [e, a] = [shares(expected), shares(actual)];
  let value = 0;
  for (let g = 0; g < e.length; g++) value += (a[g]! - e[g]!) * Math.log(a[g]! / e[g]!);
  return Math.max(0, value);
}

const LOGIT = logitEdges(60);
/** Sparse histograms (most bins empty, as a bank's holdout leaves them), equal-width or logit-spaced. */
const histArb = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.nat(4)), { minLength: 60, maxLength: 60 }))
  .map(([logit, cells]): BinnedCounts => {
    const pos = cells.map(([p, , z]) => (z === 0 ? p : 0));
    const neg = cells.map(([, n, z]) => (z === 0 ? n : 0));
    return logit ? { numBins: 60, countsPos: pos, countsNeg: neg, edges: LOGIT } : { numBins: 60, countsPos: pos, countsNeg: neg };
  });

describe('in-place metric walks', () => {
  it('give the per-bin originals\' values exactly, for any sparse histogram', () => {
    fc.assert(
      fc.property(histArb, fc.integer({ min: 2, max: 25 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 400 }), (h, groups, q, k) => {
        expect(sliceByRank(h, groups)).toEqual(oldSliceByRank(h, groups));
        expect(Object.is(scoreQuantile(h, q), oldScoreQuantile(h, q))).toBe(true);
        const cuts = quantileCuts(h, groups);
        const want: number[] = [];
        for (let g = 1; g < groups; g++) {
          const c = oldScoreQuantile(h, g / groups);
          if (c > 0 && c < 1 && (want.length === 0 || c > want[want.length - 1]!)) want.push(c);
        }
        expect(cuts).toEqual(want);
        const ks = oldKs(h);
        expect(ksCurve(h)).toEqual(ks);
        expect(ksStatistic(h)).toEqual({ ks: ks.ks, threshold: ks.threshold });
        expect(recallAtFpr(h, q)).toEqual({ fpr: q, ...oldRecallAtFpr(h, q) });
        expect(Object.is(precisionAtK(h, k), oldPrecisionAtK(h, k))).toBe(true);
      }),
    );
  });

  it('PSI by the reference\'s bin layout equals PSI from sliceByScore, bit for bit', () => {
    fc.assert(
      fc.property(histArb, histArb, (a, b) => {
        fc.pre(labelTotals(a).pos + labelTotals(a).neg > 0 && labelTotals(b).pos + labelTotals(b).neg > 0);
        const other = a.edges ? { ...b, edges: a.edges } : { numBins: b.numBins, countsPos: b.countsPos, countsNeg: b.countsNeg };
        expect(Object.is(psi(a, other).psi, oldPsi(a, other))).toBe(true);
      }),
    );
  });
});
