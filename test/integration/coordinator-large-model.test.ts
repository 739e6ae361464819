/** Integration: a model far above gRPC's 4 MiB message cap travels down and up in ≤ 1 MiB chunks and averages exactly. */
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../schema/fleet.js';
import type { FakeBank } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

describe('coordinator over gRPC, large model', () => {
  const fx = useCoordinatorFixture();

  it('downloads and uploads a 6.4 MB model in chunks and commits the exact weighted mean, when banks report 200,000 features', async () => {
    const numFeatures = 200_000;
    const { coord, banks } = await fx.federation({ 'bank-a': { numFeatures, numExamples: 1, delta: 0.5 }, 'bank-b': { numFeatures, numExamples: 3, delta: -0.25 } });
    const job = await submitJob(coord.admin, jobSpec({ rounds: 1, minBanks: 2, model: { type: 'mlp', hidden: [8] }, timeouts: { fitMs: 20_000, evaluateMs: 20_000 } }));
    const final = await waitForJobEnd(coord.store, job.job_id, 30_000);
    expect(final.status).toBe('completed');

    const fitId = (b: FakeBank) => b.offers.find((o) => o.stage === 'fit')!.instructionId;
    const modelBytes = 4 * (numFeatures * 8 + 8 + 8 + 1);
    expect(modelBytes).toBeGreaterThan(4 * 1024 * 1024);
    for (const b of banks) {
      expect(b.downloadChunks.get(fitId(b))).toBe(Math.ceil(modelBytes / CHUNK_BYTES));
      expect(b.pushes.find((p) => p.instructionId === fitId(b))!.code).toBe(0);
    }
    const [ua, ub] = banks.map((b) => b.sentUpdates.get(fitId(b))!);
    const cp = (await coord.store.latestCheckpoint(job.job_id))!.weights;
    expect(cp.map((t) => t.shape)).toEqual([[numFeatures, 8], [8], [8, 1], [1]]);
    let mismatches = 0;
    cp.forEach((t, ti) => t.values.forEach((v, j) => (mismatches += v === Math.fround(0.25 * ua![ti]!.values[j]! + 0.75 * ub![ti]!.values[j]!) ? 0 : 1)));
    expect(mismatches).toBe(0);
  });
});
