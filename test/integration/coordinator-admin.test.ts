/** Integration: the Admin service's WatchJob streams a job to its end, and AbortJob stops a running job before another round starts. */
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { getJob, jobSpec, submitJob, waitFor, waitForJobEnd, watchJob } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';
import { unaryCall, type Script } from '../helpers/fake-bank.js';
import type { JobSummary__Output } from '../../proto/generated/fedfin/v1/JobSummary.js';

describe('coordinator over gRPC, Admin service', () => {
  const fx = useCoordinatorFixture();
  const fitDelay = (fitDelayMs: number): Script => (ins) => ({ kind: 'ok', delayMs: ins.stage === 'fit' ? fitDelayMs : 0 });
  const federation = (fitDelayMs = 0) => fx.federation({ 'bank-a': fitDelay(fitDelayMs), 'bank-b': fitDelay(fitDelayMs) });

  it('streams round-committed events for every round and ends the stream, when the job completes', async () => {
    const { coord: c } = await federation(100);
    const job = await submitJob(c.admin, jobSpec({ rounds: 3 }));
    const watch = watchJob(c.admin, job.job_id);
    expect(await watch.ended).toBe(grpc.status.OK);
    const committed = watch.events.filter((e) => e.kind === 'round-committed').map((e) => e.round!.round);
    expect([...new Set(committed)]).toEqual([1, 2, 3]);
    expect(watch.events.at(-1)!.summary!.status).toBe('completed');
    const detail = await getJob(c.admin, job.job_id);
    expect(detail.rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    expect(detail.rounds[0]!.participants).toEqual(['bank-a', 'bank-b']);
  });

  it('answers NOT_FOUND for an unknown job on GetJob, WatchJob and AbortJob', async () => {
    const { coord: c } = await federation();
    const code = (p: Promise<unknown>) => p.then(() => grpc.status.OK, (e: grpc.ServiceError) => e.code);
    expect(await code(getJob(c.admin, 'job-nope'))).toBe(grpc.status.NOT_FOUND);
    expect(await watchJob(c.admin, 'job-nope').ended).toBe(grpc.status.NOT_FOUND);
    expect(await code(unaryCall((cb) => c.admin.AbortJob({ job_id: 'job-nope' }, cb)))).toBe(grpc.status.NOT_FOUND);
  });

  it('stops the job, discards its current round and starts no new one, when AbortJob is called mid-job', async () => {
    const { coord: c, banks } = await federation(300);
    const job = await submitJob(c.admin, jobSpec({ rounds: 50, timeouts: { fitMs: 5000, evaluateMs: 5000 } }));
    await waitFor(async () => (await c.store.getJob(job.job_id))!.roundsDone >= 1, 10_000, 'round 1 committed');
    const watch = watchJob(c.admin, job.job_id);
    const aborted = await unaryCall<JobSummary__Output>((cb) => c.admin.AbortJob({ job_id: job.job_id }, cb));
    expect(aborted.status).toBe('aborted');
    expect(aborted.reason).toBe('aborted by admin');
    expect(await watch.ended).toBe(grpc.status.OK);
    const final = await waitForJobEnd(c.store, job.job_id);
    const fitsAtAbort = banks.map((b) => b.offers.filter((o) => o.stage === 'fit').length);
    // A further round would be offered within a few hundred ms; none may come.
    await new Promise((r) => setTimeout(r, 1000));
    expect(banks.map((b) => b.offers.filter((o) => o.stage === 'fit').length)).toEqual(fitsAtAbort);
    expect(Math.max(...banks.flatMap((b) => b.offers.map((o) => o.round)))).toBeLessThanOrEqual(final.roundsDone + 1);
    expect((await c.store.getJob(job.job_id))!.roundsDone).toBe(final.roundsDone);
    expect(await c.store.getStagePlan(job.job_id, final.roundsDone + 1, 'fit')).toBeUndefined();
    const second = await unaryCall((cb) => c.admin.AbortJob({ job_id: job.job_id }, cb)).then(() => grpc.status.OK, (e: grpc.ServiceError) => e.code);
    expect(second).toBe(grpc.status.FAILED_PRECONDITION);
    expect((await c.store.listAudit()).filter((e) => e.type === 'job-aborted').map((e) => e.actor)).toEqual(['admin']);
  });
});
