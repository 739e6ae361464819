/** Smoke tests of the federation benchmark parts: each completes through the real paths and reports sane, non-timing facts. */
import { describe, expect, it } from 'vitest';
import { benchAggregate } from './federation-aggregate.js';
import { benchRound } from './federation-round.js';
import { benchUpload } from './federation-upload.js';

describe('benchUpload', () => {
  it('pushes the 4 MB update through all three endpoints and reports positive throughputs, when run once per set-up', async () => {
    const r = await benchUpload(1);
    expect(r.bytes).toBe(4_000_004);
    for (const u of [r.coordinator, r.transportOnly, r.grpcCeiling]) {
      expect(u.timing.runs).toBe(1);
      expect(u.grpcMBps).toBeGreaterThan(0);
      expect(u.rawTcpMBps).toBeGreaterThan(0);
      expect(Number.isFinite(u.ratio)).toBe(true);
    }
  });
});

describe('benchAggregate', () => {
  it('keeps weightedMean within one float32 ulp of a float64 mean, when aggregating 20 × 1M parameters', async () => {
    const r = await benchAggregate(1);
    expect(r.updates).toBe(20);
    expect(r.parameters).toBe(1_000_000);
    expect(r.maxErrorUlps).toBeLessThanOrEqual(1);
  });
});

describe('benchRound', () => {
  it('runs real rounds with the production daemon and fills every stage of the split, when 2 banks train 1 measured round', async () => {
    const r = await benchRound(2, 1, 400);
    expect(r).toMatchObject({ banks: 2, rounds: 1, rowsPerBank: 400 });
    for (const k of ['trainMs', 'transferMs', 'fitStageMs', 'aggregateMs', 'evaluateMs', 'commitMs', 'roundMs', 'storeTrainMs'] as const) {
      expect(Number.isFinite(r[k]), k).toBe(true);
      expect(r[k], k).toBeGreaterThanOrEqual(0);
    }
    expect(r.roundMs).toBeGreaterThanOrEqual(r.fitStageMs);
    expect(r.trainMs).toBeGreaterThan(0);
  });
});
