/** Integration: a coordinator stopped mid-round and a new one on the same data dir resume the round with the same instruction ids. */
import { describe, expect, it } from 'vitest';
import type { PrivacySpend } from '../../proto/generated/fedfin/v1/PrivacySpend.js';
import { holdUntilReoffered, type FakeBank, type Script } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, waitFor, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

const spend = (round: number): PrivacySpend => ({ accountant: 'rdp', epsilon_round: 0.5, epsilon_total: 0.5 * round, delta: 1e-5, noise_multiplier: 1, sample_rate: 0.01, steps: 10, unit: 'record' });

describe('coordinator over gRPC, resume after stop', () => {
  const fx = useCoordinatorFixture();

  it('re-offers only the unanswered round-2 instruction under the same id and commits each round once, when a new coordinator starts on the same data dir', async () => {
    const first = await fx.start();
    // bank-c holds its round-2 fit while the first coordinator lives, and answers when a new session is offered the same id.
    const banks = await fx.startBanks({ 'bank-a': { privacy: spend }, 'bank-b': { privacy: spend }, 'bank-c': { privacy: spend, script: holdUntilReoffered('fit', 2) } });
    const spec = jobSpec({ rounds: 3, minBanks: 3, timeouts: { fitMs: 30_000, evaluateMs: 30_000 }, privacy: { mode: 'dp-sgd', noiseMultiplier: 1, maxEpsilon: 100 } });
    const job = await submitJob(first.admin, spec);
    const r2 = (m: string) => `${job.job_id}/r2/a1/fit/${m}`;
    await waitFor(() => banks.slice(0, 2).every((b) => b.pushes.some((p) => p.instructionId === r2(b.memberId) && p.code === 0)) && banks[2]!.offers.some((o) => o.instructionId === r2('bank-c')), 10_000, 'round-2 fit results from bank-a and bank-b');

    const second = await fx.restart();
    const final = await waitForJobEnd(second.store, job.job_id, 20_000);
    expect(final.status).toBe('completed');

    const fitOffers = (b: FakeBank, round: number) => b.offers.filter((o) => o.stage === 'fit' && o.round === round);
    // bank-c saw the same id in both sessions; bank-a and bank-b were not asked again.
    expect(fitOffers(banks[2]!, 2).map((o) => o.instructionId)).toEqual([r2('bank-c'), r2('bank-c')]);
    expect(new Set(fitOffers(banks[2]!, 2).map((o) => o.sessionId)).size).toBe(2);
    for (const b of banks.slice(0, 2)) expect(fitOffers(b, 2).map((o) => o.instructionId)).toEqual([r2(b.memberId)]);

    const rounds = await second.store.listRounds(job.job_id);
    expect(rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    expect([...rounds[1]!.participants].sort()).toEqual(['bank-a', 'bank-b', 'bank-c']);
    const ledger = await second.store.ledger({ jobId: job.job_id });
    expect(ledger.map((l) => `${l.memberId}:${l.round}`)).toEqual(['bank-a:1', 'bank-a:2', 'bank-a:3', 'bank-b:1', 'bank-b:2', 'bank-b:3', 'bank-c:1', 'bank-c:2', 'bank-c:3']);
    expect((await second.store.listAudit()).filter((e) => e.type === 'round-committed').map((e) => e.detail['round'])).toEqual([1, 2, 3]);
  });

  it('collects the finished fit from the store and re-offers only the missing evaluation, when the coordinator stops during evaluate', async () => {
    const first = await fx.start();
    const banks = await fx.startBanks({ 'bank-a': {}, 'bank-b': holdUntilReoffered('evaluate', 1) });
    const job = await submitJob(first.admin, jobSpec({ rounds: 2, minBanks: 2, timeouts: { fitMs: 30_000, evaluateMs: 30_000 } }));
    const ev = (m: string) => `${job.job_id}/r1/a1/evaluate/${m}`;
    await waitFor(() => banks[0]!.pushes.some((p) => p.instructionId === ev('bank-a')) && banks[1]!.offers.some((o) => o.instructionId === ev('bank-b')), 10_000, 'round-1 evaluation under way');

    const second = await fx.restart();
    const final = await waitForJobEnd(second.store, job.job_id, 20_000);
    expect(final.status).toBe('completed');
    for (const b of banks) expect(b.offers.filter((o) => o.round === 1 && o.stage === 'fit')).toHaveLength(1);
    expect(banks[0]!.offers.filter((o) => o.instructionId === ev('bank-a'))).toHaveLength(1);
    expect(banks[1]!.offers.filter((o) => o.instructionId === ev('bank-b'))).toHaveLength(2);
    const rounds = await second.store.listRounds(job.job_id);
    expect(rounds.map((r) => [r.round, r.participants.length, r.metrics['evalBanks']])).toEqual([[1, 2, 2], [2, 2, 2]]);
  });

  it('re-offers the same instruction to a new session, when a bank restarts mid-stage and joins again', async () => {
    const c = await fx.start();
    const restartOnFit: Script = (ins, sessions) =>
      ins.stage === 'fit' && sessions === 1 ? { kind: 'custom', run: async (bank) => void (await bank.join()) } : { kind: 'ok' };
    const banks = await fx.startBanks({ 'bank-a': {}, 'bank-b': restartOnFit });
    const job = await submitJob(c.admin, jobSpec({ rounds: 1, minBanks: 2, timeouts: { fitMs: 30_000, evaluateMs: 30_000 } }));
    const final = await waitForJobEnd(c.store, job.job_id);
    expect(final.status).toBe('completed');
    const fits = banks[1]!.offers.filter((o) => o.stage === 'fit');
    expect(fits.map((o) => o.instructionId)).toEqual([`${job.job_id}/r1/a1/fit/bank-b`, `${job.job_id}/r1/a1/fit/bank-b`]);
    expect(fits[0]!.sessionId).not.toBe(fits[1]!.sessionId);
    expect((await c.store.listRounds(job.job_id))[0]!.participants).toEqual(['bank-a', 'bank-b']);
  });
});
