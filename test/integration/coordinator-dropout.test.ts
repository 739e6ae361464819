/** Integration: banks that time out, disconnect or fail — rounds close at the deadline, early on disconnect, or are retried then fail the job. */
import { describe, expect, it } from 'vitest';
import type { Script } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

describe('coordinator over gRPC, dropouts', () => {
  const fx = useCoordinatorFixture();

  it('completes round 2 at the deadline with the other two and names the silent bank as a timeout, when one bank never answers fit in round 2', async () => {
    const { coord: c } = await fx.federation({
      'bank-a': undefined,
      'bank-b': undefined,
      'bank-c': (ins) => (ins.stage === 'fit' && ins.round === 2 ? { kind: 'ignore' } : { kind: 'ok' }),
    });
    const job = await submitJob(c.admin, jobSpec({ rounds: 3, minBanks: 2, timeouts: { fitMs: 3000, evaluateMs: 10_000 } }));
    const final = await waitForJobEnd(c.store, job.job_id);
    expect(final.status).toBe('completed');
    const rounds = await c.store.listRounds(job.job_id);
    expect(rounds.map((r) => [...r.participants].sort())).toEqual([['bank-a', 'bank-b', 'bank-c'], ['bank-a', 'bank-b'], ['bank-a', 'bank-b', 'bank-c']]);
    expect(rounds[1]!.dropped).toEqual([{ memberId: 'bank-c', kind: 'timeout', reason: 'no result within 3000 ms' }]);
    expect(rounds[0]!.dropped).toEqual([]);
  });

  it('declares a bank dropped as disconnected before the deadline, when it stops pulling and heartbeating mid-round', async () => {
    const { coord: c } = await fx.federation({
      'bank-a': undefined,
      'bank-b': undefined,
      'bank-c': (ins) => (ins.stage === 'fit' ? { kind: 'vanish' } : { kind: 'ok' }),
    });
    // The fit deadline is far away: only liveness (2.5 s) can end round 1 in time for the job's overall wait.
    const job = await submitJob(c.admin, jobSpec({ rounds: 2, minBanks: 2, timeouts: { fitMs: 60_000, evaluateMs: 60_000 } }));
    const final = await waitForJobEnd(c.store, job.job_id, 20_000);
    expect(final.status).toBe('completed');
    const rounds = await c.store.listRounds(job.job_id);
    expect(rounds[0]!.participants).toEqual(['bank-a', 'bank-b']);
    expect(rounds[0]!.dropped).toEqual([{ memberId: 'bank-c', kind: 'timeout', reason: 'disconnected during the stage' }]);
    // Offline banks are not selected again.
    expect(rounds[1]!.participants).toEqual(['bank-a', 'bank-b']);
    expect(rounds[1]!.dropped).toEqual([]);
  });

  it('retries the round with new instruction ids and then fails the job with a reason, when 2 of 3 banks fail fit and minBanks is 3', async () => {
    const failing: Script = (ins) => (ins.stage === 'fit' ? { kind: 'fail', reason: 'out of memory' } : { kind: 'ok' });
    const { coord: c, banks } = await fx.federation({ 'bank-a': undefined, 'bank-b': failing, 'bank-c': failing });
    const job = await submitJob(c.admin, jobSpec({ rounds: 2, minBanks: 3, maxRoundAttempts: 2 }));
    const final = await waitForJobEnd(c.store, job.job_id);
    expect(final.status).toBe('failed');
    expect(final.reason).toBe('round 1 failed 2 times: fewer than 3 banks returned a usable update');
    expect(await c.store.listRounds(job.job_id)).toEqual([]);
    for (const b of banks) {
      const fits = b.offers.filter((o) => o.stage === 'fit').map((o) => o.instructionId);
      expect(fits).toEqual([`${job.job_id}/r1/a1/fit/${b.memberId}`, `${job.job_id}/r1/a2/fit/${b.memberId}`]);
    }
    const audit = await c.store.listAudit();
    expect(audit.filter((e) => e.type === 'round-retry')).toHaveLength(2);
    expect(audit.filter((e) => e.type === 'bank-failed' && e.memberId === 'bank-b').map((e) => e.detail['reason'])).toEqual(['out of memory', 'out of memory']);
    expect(audit.at(-1)!.type).toBe('job-failed');
  });
});
