/** The fit handler's privacy pre-check reads: fresh from the ledger for a DP job, none for a job without DP. */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import type { InstructionInfo } from '../../schema/fleet.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import { fitHandler } from './fit.js';
import type { HandlerContext } from './types.js';

const DP = { mode: 'dp-sgd', noiseMultiplier: 1.0, clippingNorm: 1, delta: 1e-5, maxEpsilon: 50 };

function instruction(privacy: unknown): InstructionInfo {
  const job = { name: 'pd', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 3, batchSize: 32, localEpochs: 1, learningRate: 0.1, ...(privacy ? { privacy } : {}) };
  return { instructionId: 'job-1/r1/a1/fit/bank-a', jobId: 'job-1', round: 1, stage: 'fit', jobSpecJson: JSON.stringify(job), roundConfig: {}, modelBytes: 0, numBanks: 3, deadlineUnixMs: Date.now() + 60_000, encodingStatsJson: '' };
}

/** A ledger that counts its privacy-state reads. */
function countingLedger(): { ledger: Ledger; reads: string[] } {
  const real = openLedger(':memory:');
  const reads: string[] = [];
  const ledger: Ledger = { ...real, jobNoise: (j, d) => (reads.push('jobNoise'), real.jobNoise(j, d)), accountantState: (s) => (reads.push(`accountantState ${s}`), real.accountantState(s)) };
  return { ledger, reads };
}

// The bank accepts no task, so the handler refuses right after its pre-check: nothing is downloaded or trained.
function ctx(ledger: Ledger): HandlerContext {
  return {
    memberId: 'bank-a', data: { datasetId: 'ds-1', train: [], holdout: [] }, ledger, logger: silentLogger, signal: new AbortController().signal,
    policy: { acceptedTasks: [], maxEpsilon: 50, delta: 1e-5, minBanksPerRound: 2, requireDp: false },
    downloadModel: () => Promise.reject(new Error('not expected')), createTrainer: () => { throw new Error('not expected'); },
  } as unknown as HandlerContext;
}

describe('fitHandler privacy pre-check', () => {
  it('reads the remembered noise and both accountants from the ledger, when the job uses DP-SGD', async () => {
    const { ledger, reads } = countingLedger();
    const out = await fitHandler(instruction(DP), ctx(ledger));
    expect(out.result.status).toBe('refused');
    expect(reads).toEqual(['jobNoise', 'accountantState dataset:ds-1', 'accountantState job:job-1:ds-1']);
  });

  it('reads no privacy state, when the job has no record-level DP', async () => {
    const { ledger, reads } = countingLedger();
    const out = await fitHandler(instruction(undefined), ctx(ledger));
    expect(out.result.status).toBe('refused');
    expect(out.result.reason).toContain('acceptedTasks');
    expect(reads).toEqual([]);
  });
});
