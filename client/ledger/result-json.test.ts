/** Tests for the ledger's stored result JSON: base64 payloads next to run-length histogram counts. */
import { describe, expect, it } from 'vitest';
import type { ResultInfo } from '../../schema/fleet.js';
import { resultFromJson, resultToJson } from './result-json.js';

const BASE: ResultInfo = {
  instructionId: 'job-1/r2/a0/evaluate/bank-a', status: 'ok', reason: '', numExamples: 3, metrics: { loss: 0.3 }, headers: [],
  histogram: { numBins: 4, countsPos: [0, 0, 1, 0], countsNeg: [2, 0, 0, 0], sumLogLoss: 1.25, sumBrier: 0.5, numCorrect: 2, numExamples: 3 },
  privacy: undefined, encodingHash: 'e'.repeat(64), numFeatures: 12, momentsJson: '',
};

describe('ledger result JSON', () => {
  it('stores histogram counts run-length encoded and reads the same result back', () => {
    const json = resultToJson(BASE);
    expect(JSON.parse(json)).toMatchObject({ histogram: { countsPos: { z: [-2, 1, -1] }, countsNeg: { z: [2, -3] } } });
    expect(resultFromJson(json)).toEqual(BASE);
    expect(resultFromJson(JSON.stringify(BASE))).toEqual(BASE); // a row cached before
  });

  it('keeps a secure-aggregation payload as base64 and returns its bytes', () => {
    const r: ResultInfo = { ...BASE, histogram: undefined, secaggPayload: Uint8Array.of(0, 255, 7) };
    const json = resultToJson(r);
    expect(JSON.parse(json)).toMatchObject({ secaggPayloadB64: 'AP8H' });
    expect(resultFromJson(json)).toEqual(r);
  });
});
