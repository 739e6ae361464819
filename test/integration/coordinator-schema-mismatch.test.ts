/** Integration: a bank whose feature schema differs from the federation's in the stats stage takes no part in the job's rounds. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBank } from '../helpers/fake-bank.js';
import { jobSpec, startCoordinator, submitJob, tempDir, waitForJobEnd, type RunningCoordinator } from '../helpers/coordinator-harness.js';

describe('coordinator over gRPC, feature-schema mismatch', () => {
  let coord: RunningCoordinator | undefined;
  let banks: FakeBank[] = [];
  let cleanup = () => {};
  afterEach(async () => {
    await Promise.all(banks.map((b) => b.stop()));
    await coord?.stop();
    cleanup();
    banks = [];
  });

  it('excludes the mismatched bank from fit and evaluate, when its stats reply reports another encoding hash', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    coord = await startCoordinator(tmp.dir);
    banks = [
      new FakeBank({ address: coord.address, memberId: 'bank-a' }),
      new FakeBank({ address: coord.address, memberId: 'bank-b' }),
      new FakeBank({ address: coord.address, memberId: 'bank-c', encodingHash: 'cd'.repeat(32) }),
    ];
    await Promise.all(banks.map((b) => b.start()));
    const job = await submitJob(coord.admin, jobSpec({ rounds: 2, minBanks: 2 }));
    const final = await waitForJobEnd(coord.store, job.job_id);
    expect(final.status).toBe('completed');
    const init = (await coord.store.listAudit()).find((e) => e.type === 'job-initialized')!;
    expect(init.detail['banks']).toEqual(['bank-a', 'bank-b']);
    expect((init.detail['excluded'] as string[])[0]).toMatch(/^bank-c: its feature schema/);
    expect(banks[2]!.offers.map((o) => o.stage)).toEqual(['stats']);
    for (const r of await coord.store.listRounds(job.job_id)) expect(r.participants).toEqual(['bank-a', 'bank-b']);
  });
});
