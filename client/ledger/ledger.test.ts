/** Tests for the bank ledger: spend and cached result in one transaction, the same bytes back, survival across reopen. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultInfo } from '../../schema/fleet.js';
import { datasetScope, jobScope, openLedger, type SpendRecord } from './ledger.js';

const RESULT: ResultInfo = {
  instructionId: 'job-1/r1/a1/fit/bank-a', status: 'ok', reason: '', numExamples: 300, metrics: { steps: 6 },
  headers: [{ name: 'dense_0/kernel', shape: [2, 1] }, { name: 'dense_0/bias', shape: [1] }], histogram: undefined,
  privacy: { accountant: 'rdp', epsilonRound: 0.4, epsilonTotal: 0.4, delta: 1e-5, noiseMultiplier: 1.1, sampleRate: 0.1, steps: 6, unit: 'record' },
  encodingHash: 'a'.repeat(64), numFeatures: 2, momentsJson: '',
};
const SPEND: SpendRecord = {
  instructionId: RESULT.instructionId, jobId: 'job-1', round: 1, datasetId: 'credit.v1:/data/bank.csv', accountant: 'rdp', epsilonRound: 0.4,
  epsilonJobTotal: 0.4, epsilonDatasetTotal: 0.41, delta: 1e-5, datasetDelta: 1e-5, noiseMultiplier: 1.1, sampleRate: 0.1, steps: 6,
};
const BYTES = new Uint8Array(new Float32Array([0.5, -1.25, 3]).buffer);
const STATE = { mechanism: 'rdp' as const, history: [[1.1, 0.1, 6] as const] };

describe('openLedger', () => {
  it('returns the same header and bytes and keeps the spend, when reopened after recordFit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-ledger-'));
    try {
      const file = join(dir, 'bank.db');
      const a = openLedger(file);
      expect(a.cachedResult(RESULT.instructionId)).toBeUndefined();
      a.recordFit({ spend: SPEND, datasetState: STATE, jobState: STATE, result: RESULT, jobId: 'job-1', bytes: BYTES });
      a.close();
      const b = openLedger(file);
      const cached = b.cachedResult(RESULT.instructionId)!;
      expect(cached.result).toEqual(RESULT);
      expect([...cached.bytes!]).toEqual([...BYTES]);
      expect(b.spends()).toEqual([SPEND]);
      expect(b.accountantState(datasetScope(SPEND.datasetId))).toEqual({ mechanism: 'rdp', history: [[1.1, 0.1, 6]] });
      expect(b.accountantState(jobScope('job-1', SPEND.datasetId))).toEqual({ mechanism: 'rdp', history: [[1.1, 0.1, 6]] });
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records neither the spend nor the states, when caching the result fails inside the transaction', () => {
    const l = openLedger(':memory:');
    l.recordFit({ spend: SPEND, datasetState: STATE, jobState: STATE, result: RESULT, jobId: 'job-1', bytes: BYTES });
    const second = { ...SPEND, instructionId: 'other', epsilonDatasetTotal: 9 };
    // Same result id again: the results insert violates its primary key, so the whole fit rolls back.
    expect(() => l.recordFit({ spend: second, datasetState: { mechanism: 'rdp', history: [[1, 1, 99]] }, jobState: STATE, result: RESULT, jobId: 'job-1', bytes: BYTES })).toThrow();
    expect(l.spends()).toHaveLength(1);
    expect(l.accountantState(datasetScope(SPEND.datasetId))).toEqual({ mechanism: 'rdp', history: [[1.1, 0.1, 6]] });
    l.close();
  });

  it('remembers a job σ once, when told twice', () => {
    const l = openLedger(':memory:');
    l.rememberJobNoise('job-1', 'd', { noiseMultiplier: 1.3, sampleRate: 0.1, stepsPerRound: 10 });
    l.rememberJobNoise('job-1', 'd', { noiseMultiplier: 9, sampleRate: 0.1, stepsPerRound: 10 });
    expect(l.jobNoise('job-1', 'd')?.noiseMultiplier).toBe(1.3);
    l.audit('refused', 'x', { reason: 'r' });
    expect(l.auditEvents()).toEqual([{ seq: 1, type: 'refused', instructionId: 'x', detail: { reason: 'r' } }]);
    l.close();
  });
});
