import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binsOf, logitEdges, type BinnedCounts } from './binning.js';
import { sliceByScore } from './histogram-slices.js';

/** sliceByScore as first written, over Bin objects: the in-place version must agree bit for bit. */
function referenceSlices(h: BinnedCounts, cuts: readonly number[]) {
  const bounds = [0, ...cuts, 1];
  const out = [];
  for (let g = 0; g + 1 < bounds.length; g++) out.push({ count: 0, pos: 0, neg: 0, scoreLo: bounds[g]!, scoreHi: bounds[g + 1]!, sumMid: 0 });
  let g = 0;
  for (const bin of binsOf(h)) {
    const c = bin.pos + bin.neg;
    if (c === 0) continue;
    while (g + 1 < out.length && bounds[g + 1]! <= bin.lo) g++;
    for (let k = g; k < out.length && bounds[k]! < bin.hi; k++) {
      const lo = Math.max(bin.lo, bounds[k]!);
      const hi = Math.min(bin.hi, bounds[k + 1]!);
      if (hi <= lo) continue;
      const f = (hi - lo) / (bin.hi - bin.lo);
      const s = out[k]!;
      s.count += f * c;
      s.pos += f * bin.pos;
      s.neg += f * bin.neg;
      s.sumMid += f * c * ((lo + hi) / 2);
    }
  }
  return out;
}

describe('sliceByScore', () => {
  it('equals the Bin-object reference exactly, for any counts, cuts and equal-width or logit bins', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 60 }),
        fc.boolean(),
        fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { maxLength: 9 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (numBins, logit, rawCuts, seed) => {
          const cuts = [...new Set(rawCuts)].sort((a, b) => a - b);
          let x = seed;
          const next = () => (x = (x * 1103515245 + 12345) % 2147483648) % 7;
          const h: BinnedCounts = {
            numBins,
            countsPos: Array.from({ length: numBins }, () => (next() > 4 ? next() : 0)),
            countsNeg: Array.from({ length: numBins }, () => (next() > 3 ? next() : 0)),
            ...(logit ? { edges: logitEdges(numBins) } : {}),
          };
          expect(sliceByScore(h, cuts)).toEqual(referenceSlices(h, cuts));
        },
      ),
      { numRuns: 150 },
    );
  });
});
