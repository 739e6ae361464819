/**
 * Slicing a pooled score histogram into groups by rank (deciles) or by score (reliability bins),
 * splitting a bin proportionally where a group boundary falls inside it.
 */
import { edgesOf, type BinnedCounts } from './binning.js';

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
  // Reads the edges and counts in place, from the top bin down (the pooled report calls this every round).
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  const edges = edgesOf(h);
  let total = 0;
  for (let b = 0; b < nb; b++) total = total + cp[nb - 1 - b]! + cn[nb - 1 - b]!;
  const out: MutableSlice[] = [];
  let b = 0; // counted from the top: bin nb − 1 − b
  let usedFrac = 0; // fraction of that bin already taken, from its top
  for (let g = 0; g < groups; g++) {
    const slice = emptySlice(b < nb ? edges[nb - b]! : 0);
    let need = total / groups;
    // The last group takes whatever rounding left over.
    while (b < nb && (need > total * 1e-12 || g === groups - 1)) {
      const i = nb - 1 - b;
      const pos = cp[i]!;
      const neg = cn[i]!;
      const c = pos + neg;
      const left = c * (1 - usedFrac);
      if (left <= 0) {
        b++;
        usedFrac = 0;
        continue;
      }
      const take = g === groups - 1 ? left : Math.min(need, left);
      const f = take / c;
      const hi = edges[i + 1]!;
      const w = hi - edges[i]!;
      const top = hi - usedFrac * w;
      const bottom = hi - (usedFrac + f) * w;
      if (slice.count === 0) slice.scoreHi = top;
      slice.scoreLo = bottom;
      slice.count += take;
      slice.pos += f * pos;
      slice.neg += f * neg;
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
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const bounds = [0, ...cuts, 1];
  const out: MutableSlice[] = [];
  for (let g = 0; g + 1 < bounds.length; g++) out.push({ ...emptySlice(bounds[g]!), scoreHi: bounds[g + 1]! });
  let g = 0;
  // Called per bank (PSI): read the edges and counts in place rather than building a Bin per bin.
  const edges = edgesOf(h);
  for (let i = 0, nb = h.numBins; i < nb; i++) {
    const pos = cp[i]!;
    const neg = cn[i]!;
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
  return scoreQuantiles(h, [q])[0]!;
}

/**
 * `scoreQuantile` at each of the ascending fractions `qs` in one pass over the bins, in place (the PSI
 * reference asks for nine deciles of a 1,000-bin pool every round). The same sums in the same order, so
 * the same values.
 */
function scoreQuantiles(h: BinnedCounts, qs: readonly number[]): number[] {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  const edges = edgesOf(h);
  let total = 0;
  for (let i = 0; i < nb; i++) total = total + cp[i]! + cn[i]!;
  if (total === 0) return qs.map(() => Number.NaN);
  const out: number[] = [];
  let i = 0;
  let below = 0;
  for (const q of qs) {
    const target = q * total;
    // The bin holding this quantile may hold the next one too: the walk never moves back.
    while (i < nb) {
      const c = cp[i]! + cn[i]!;
      if (c > 0 && below + c >= target) break;
      below += c;
      i++;
    }
    if (i === nb) {
      out.push(1);
      continue;
    }
    const c = cp[i]! + cn[i]!;
    out.push(edges[i]! + ((target - below) / c) * (edges[i + 1]! - edges[i]!));
  }
  return out;
}

/**
 * Score cuts giving `groups` equal-count groups of the histogram's own distribution (strictly
 * increasing; coinciding cuts, possible when mass sits in one bin, are dropped).
 */
export function quantileCuts(h: BinnedCounts, groups: number): number[] {
  const cuts: number[] = [];
  for (const c of scoreQuantiles(h, Array.from({ length: groups - 1 }, (_, g) => (g + 1) / groups))) {
    if (c > 0 && c < 1 && (cuts.length === 0 || c > cuts[cuts.length - 1]!)) cuts.push(c);
  }
  return cuts;
}
