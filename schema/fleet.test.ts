/** Tests for the stored form of results: run-length histogram counts, rows written before it. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packCounts, parseStoredResult, storedResultJson, unpackCounts, type ResultInfo } from './fleet.js';

const counts = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 50 }) }, { weight: 1, arbitrary: fc.maxSafeNat() }), { maxLength: 300 });

function evaluateResult(countsPos: number[], countsNeg: number[], edges?: number[]): ResultInfo {
  return {
    instructionId: 'job-1/r2/a0/evaluate/bank-a', status: 'ok', reason: '', numExamples: 7, metrics: { loss: 0.3 }, headers: [],
    histogram: { numBins: countsPos.length, countsPos, countsNeg, sumLogLoss: 1.25, sumBrier: 0.5, numCorrect: 5, numExamples: 7, ...(edges ? { edges } : {}) },
    privacy: undefined, encodingHash: 'e'.repeat(64), numFeatures: 12, momentsJson: '',
  };
}

describe('packCounts', () => {
  it('unpacks to the same counts, for any non-negative integer counts', () => {
    fc.assert(
      fc.property(counts, (c) => {
        expect(unpackCounts(packCounts(c))).toEqual(c);
      }),
    );
  });

  it('writes runs of zeros as one negative entry', () => {
    expect(packCounts([0, 0, 0, 4, 0, 1, 0, 0])).toEqual({ z: [-3, 4, -1, 1, -2] });
    expect(packCounts([])).toEqual({ z: [] });
  });

  it('keeps an array it cannot pack exactly (fractions, negatives) as it is', () => {
    const odd = [0, 1.5, 0];
    expect(packCounts(odd)).toBe(odd);
    expect(packCounts([2, -1])).toEqual([2, -1]);
  });
});

describe('storedResultJson / parseStoredResult', () => {
  it('reads back the result it stored, key order included, and stores far fewer characters for sparse counts', () => {
    fc.assert(
      fc.property(counts, fc.boolean(), (c, withEdges) => {
        const r = evaluateResult(c, [...c].reverse(), withEdges ? [0, 0.5, 1] : undefined);
        const back = parseStoredResult(storedResultJson(r));
        expect(back).toEqual(r);
        expect(JSON.stringify(back)).toBe(JSON.stringify(r));
      }),
    );
    const sparse = new Array<number>(1000).fill(0);
    sparse[10] = 3;
    sparse[900] = 1;
    const r = evaluateResult(sparse, sparse);
    expect(storedResultJson(r).length).toBeLessThan(JSON.stringify(r).length / 10);
  });

  it('reads rows written before the run-length form (plain JSON) unchanged, and results without a histogram', () => {
    const r = evaluateResult([0, 2, 0, 0], [1, 0, 0, 3]);
    expect(parseStoredResult(JSON.stringify(r))).toEqual(r);
    const fit = { ...r, histogram: undefined };
    expect(storedResultJson(fit)).toBe(JSON.stringify(fit));
    expect(parseStoredResult('{"status":"ok","histogram":null}')).toEqual({ status: 'ok', histogram: null });
  });
});
