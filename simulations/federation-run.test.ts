/** Simulated dropouts hit the stage where a bank trains: `fit`, or `secagg-masked-input` under secure aggregation. */
import { describe, expect, it } from 'vitest';
import type { HandlerContext, Outcome } from '../client/handlers/types.js';
import { bareResult } from '../client/handlers/types.js';
import type { FleetStage, InstructionInfo } from '../schema/fleet.js';
import { dropoutMiddleware } from './federation-run.js';

const ins = (stage: FleetStage, round = 1): InstructionInfo => ({
  instructionId: `job-1/r${round}/a1/${stage}/bank-1`,
  jobId: 'job-1',
  round,
  stage,
  jobSpecJson: '{}',
  roundConfig: {},
  modelBytes: 0,
  numBanks: 3,
  deadlineUnixMs: 0,
  encodingStatsJson: '{}',
});
const ctx = {} as HandlerContext;
const ran = async (mw: ReturnType<typeof dropoutMiddleware>, i: InstructionInfo): Promise<string> => {
  const out: Outcome = await mw(i, ctx, async () => ({ result: bareResult(i.instructionId, 'ok'), bytes: undefined }));
  return out.result.status === 'failed' ? `failed: ${out.result.reason}` : out.result.status;
};

describe('dropoutMiddleware', () => {
  it('drops the training stage only (fit, or SecAgg+ masked input), never the others', async () => {
    const always = dropoutMiddleware(1, 7, 'bank-1');
    expect(await ran(always, ins('fit'))).toBe('failed: simulated dropout');
    expect(await ran(always, ins('secagg-masked-input'))).toBe('failed: simulated dropout');
    for (const stage of ['stats', 'evaluate', 'secagg-advertise', 'secagg-share-keys', 'secagg-unmask'] as const) expect(await ran(always, ins(stage))).toBe('ok');
    expect(await ran(dropoutMiddleware(0, 7, 'bank-1'), ins('fit'))).toBe('ok');
  });

  it('draws from the seed per bank and round: the same seed repeats, and about `rate` of the rounds drop', async () => {
    const draws = async (seed: number) => Promise.all(Array.from({ length: 200 }, (_, r) => ran(dropoutMiddleware(0.3, seed, 'bank-1'), ins('fit', r + 1))));
    const a = await draws(1);
    expect(await draws(1)).toEqual(a);
    // Another job (its id carries the submission time) under the same seed draws the same dropouts.
    const other = await Promise.all(Array.from({ length: 200 }, (_, r) => { const i = ins('fit', r + 1); return ran(dropoutMiddleware(0.3, 1, 'bank-1'), { ...i, jobId: 'job-2', instructionId: i.instructionId.replace('job-1', 'job-2') }); }));
    expect(other).toEqual(a);
    expect(await draws(2)).not.toEqual(a);
    const dropped = a.filter((s) => s !== 'ok').length;
    expect(dropped).toBeGreaterThan(35);
    expect(dropped).toBeLessThan(85);
  });
});
