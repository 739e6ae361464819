/**
 * Slicing a pooled score histogram into groups by rank (deciles) or by score (reliability bins),
 * splitting a bin proportionally where a group boundary falls inside it.
 */
import { binsOf, edgesOf, type BinnedCounts } from './binning.js';

/**
 * One group of examples cut from a histogram. Counts are fractional when a boundary fell inside a
 * bin: scores within a bin are indistinguishable, so a bin is assumed to hold its scores uniformly
 * over [lo, hi) and its positives and negatives in the same mix throughout. A boundary that falls on
 * a bin edge splits nothing, and the group is then exact.
 */
export interface Slice {
  readonly count: number;
  readonly pos: number;
  readonly neg: number;
  /** Score interval covered, [scoreLo, scoreHi]. */
  readonly scoreLo: number;
  readonly scoreHi: number;
  /** Σ count × midpoint of each piece taken: the mean predicted score is `sumMid / count`. */
  readonly sumMid: number;
}

interface MutableSlice {
  count: number;
  pos: number;
  neg: number;
  scoreLo: number;
  scoreHi: number;
  sumMid: number;
}

function emptySlice(score: number): MutableSlice {
  return { count: 0, pos: 0, neg: 0, scoreLo: score, scoreHi: score, sumMid: 0 };
}

/**
 * Cuts the population ranked from the highest score down into `groups` groups of equal count
 * (deciles for 10). Group 0 holds the highest scores.
 */
export function sliceByRank(h: BinnedCounts, groups: number): Slice[] {
  const bins = binsOf(h).reverse();
  const total = bins.reduce((a, b) => a + b.pos + b.neg, 0);
  const out: MutableSlice[] = [];
  let b = 0;
  let usedFrac = 0; // fraction of bins[b] already taken, from its top
  for (let g = 0; g < groups; g++) {
    const slice = emptySlice(b < bins.length ? bins[b]!.hi : 0);
    let need = total / groups;
    // The last group takes whatever rounding left over.
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
      if (slice.count === 0) slice.scoreHi = top;
      slice.scoreLo = bottom;
      slice.count += take;
      slice.pos += f * bin.pos;
      slice.neg += f * bin.neg;
      slice.sumMid += take * ((top + bottom) / 2);
      need -= take;
      usedFrac += f;
      if (usedFrac >= 1 - 1e-12) {
        b++;
        usedFrac = 0;
      }
    }
    out.push(slice);
  }
  return out;
}

/**
 * Cuts the histogram at ascending score `cuts` inside (0, 1) into `cuts.length + 1` groups:
 * [0, c0), [c0, c1), …, [c_last, 1]. A bin straddling a cut is split by the overlap length.
 * Group 0 holds the lowest scores.
 */
export function sliceByScore(h: BinnedCounts, cuts: readonly number[]): Slice[] {
  const bounds = [0, ...cuts, 1];
  const out: MutableSlice[] = [];
  for (let g = 0; g + 1 < bounds.length; g++) out.push({ ...emptySlice(bounds[g]!), scoreHi: bounds[g + 1]! });
  let g = 0;
  // Called per bank (PSI): read the edges and counts in place rather than building a Bin per bin.
  const edges = edgesOf(h);
  for (let i = 0; i < h.numBins; i++) {
    const pos = h.countsPos[i]!;
    const neg = h.countsNeg[i]!;
    const c = pos + neg;
    if (c === 0) continue;
    const binLo = edges[i]!;
    const binHi = edges[i + 1]!;
    while (g + 1 < out.length && bounds[g + 1]! <= binLo) g++;
    // A bin may straddle several cuts; walk the groups it overlaps.
    for (let k = g; k < out.length && bounds[k]! < binHi; k++) {
      const lo = Math.max(binLo, bounds[k]!);
      const hi = Math.min(binHi, bounds[k + 1]!);
      if (hi <= lo) continue;
      const f = (hi - lo) / (binHi - binLo);
      const s = out[k]!;
      s.count += f * c;
      s.pos += f * pos;
      s.neg += f * neg;
      s.sumMid += f * c * ((lo + hi) / 2);
    }
  }
  return out;
}

/**
 * The score below which a fraction `q` of the examples lies (linear inside a bin).
 * @returns NaN for an empty histogram.
 */
export function scoreQuantile(h: BinnedCounts, q: number): number {
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

/**
 * Score cuts giving `groups` equal-count groups of the histogram's own distribution (strictly
 * increasing; coinciding cuts, possible when mass sits in one bin, are dropped).
 */
export function quantileCuts(h: BinnedCounts, groups: number): number[] {
  const cuts: number[] = [];
  for (let g = 1; g < groups; g++) {
    const c = scoreQuantile(h, g / groups);
    if (c > 0 && c < 1 && (cuts.length === 0 || c > cuts[cuts.length - 1]!)) cuts.push(c);
  }
  return cuts;
}
