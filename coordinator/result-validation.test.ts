/** Tests of the evaluate-result binning check: a histogram must be binned as the job's task bins (fraud: logit edges; others: equal width). */
import { describe, expect, it } from 'vitest';
import type { ResultInfo } from '../schema/fleet.js';
import { evaluationBinning } from '../tasks/fraud-detection.js';
import { buildHistogram } from '../tasks/metrics/score-histogram.js';
import type { OpenInstruction } from './fleet/dispatcher.js';
import { validateResult } from './result-validation.js';

const open = (task: string): OpenInstruction => ({
  memberId: 'bank-2',
  headers: [],
  modelBytes: new Uint8Array(0),
  info: { instructionId: 'i', jobId: 'j', round: 1, stage: 'evaluate', jobSpecJson: JSON.stringify({ task }), roundConfig: {}, modelBytes: 0, numBanks: 3, deadlineUnixMs: 0, encodingStatsJson: '{}' },
});
const result = (binning: number | { edges: readonly number[] }): ResultInfo => {
  const histogram = buildHistogram([0.001, 0.2, 0.9], [0, 0, 1], binning);
  return { instructionId: 'i', status: 'ok', reason: '', numExamples: 3, metrics: {}, headers: [], histogram, privacy: undefined, encodingHash: '', numFeatures: 0, momentsJson: '' };
};

describe('validateResult: evaluation binning', () => {
  it('accepts the task\'s own binning: logit edges for fraud-detection, equal width for credit-scoring', () => {
    expect(() => validateResult(open('fraud-detection'), result(evaluationBinning('fraud-detection')), undefined, false)).not.toThrow();
    expect(() => validateResult(open('credit-scoring'), result(1000), undefined, false)).not.toThrow();
  });

  it('refuses a fraud histogram in equal-width bins, and edges on a credit job, naming the bank', () => {
    expect(() => validateResult(open('fraud-detection'), result(1000), undefined, false)).toThrow('result from bank-2: histogram must use the 1000 logit-spaced bins of task fraud-detection');
    expect(() => validateResult(open('credit-scoring'), result(evaluationBinning('fraud-detection')), undefined, false)).toThrow('histogram must use equal-width bins for task credit-scoring');
  });
});
