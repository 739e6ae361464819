/** Integration: the DP ledger commits with each round, and a bank whose next round would pass maxEpsilon is excluded (fail closed). */
import { describe, expect, it } from 'vitest';
import type { PrivacySpend } from '../../proto/generated/fedfin/v1/PrivacySpend.js';
import { jobSpec, submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

/** A bank spending `perRound` ε every round it trains (it trains every round it is asked, from round 1). */
const spend = (perRound: number) => (round: number): PrivacySpend => ({
  accountant: 'rdp',
  epsilon_round: perRound,
  epsilon_total: perRound * round,
  delta: 1e-5,
  noise_multiplier: 1,
  sample_rate: 0.01,
  steps: 100,
  unit: 'record',
});

describe('coordinator over gRPC, DP ledger', () => {
  const fx = useCoordinatorFixture();

  it('records one ledger row per bank per round, excludes a bank before it would pass maxEpsilon, and ends the job with the reason, when spends accumulate', async () => {
    const { coord, banks } = await fx.federation({ 'bank-a': { privacy: spend(1) }, 'bank-b': { privacy: spend(1) }, 'bank-c': { privacy: spend(1.5) } });
    const job = await submitJob(coord.admin, jobSpec({ rounds: 6, minBanks: 2, privacy: { mode: 'dp-sgd', noiseMultiplier: 1, maxEpsilon: 3, delta: 1e-5 } }));
    const final = await waitForJobEnd(coord.store, job.job_id);
    // bank-c: 1.5 + 1.5 = 3 fits round 2, 3 + 1.5 does not fit round 3; bank-a/b: 3 + 1 does not fit round 4.
    expect(final.roundsDone).toBe(3);
    expect(final.status).toBe('completed');
    expect(final.reason).toMatch(/^privacy budget: only 0 banks can take another round within maxEpsilon 3/);

    const rounds = await coord.store.listRounds(job.job_id);
    expect(rounds.map((r) => [...r.participants].sort().join(','))).toEqual(['bank-a,bank-b,bank-c', 'bank-a,bank-b,bank-c', 'bank-a,bank-b']);
    expect(rounds.map((r) => r.epsilon)).toEqual([1.5, 3, 3]);
    expect(rounds.every((r) => r.delta === 1e-5)).toBe(true);
    const ledger = await coord.store.ledger({ jobId: job.job_id });
    expect(ledger.map((l) => `${l.memberId}:${l.round}:${l.epsilonTotal}`)).toEqual(['bank-a:1:1', 'bank-a:2:2', 'bank-a:3:3', 'bank-b:1:1', 'bank-b:2:2', 'bank-b:3:3', 'bank-c:1:1.5', 'bank-c:2:3']);
    expect(banks[2]!.offers.filter((o) => o.stage === 'fit').map((o) => o.round)).toEqual([1, 2]);
    expect(banks[2]!.offers.filter((o) => o.stage === 'evaluate').map((o) => o.round)).toEqual([1, 2, 3]);
  });

  it('rejects a fit result without a privacy spend as INVALID_ARGUMENT, when the job runs DP-SGD', async () => {
    const { coord, banks } = await fx.federation({ 'bank-a': { privacy: spend(1) }, 'bank-b': { privacy: spend(1) }, 'bank-c': {} });
    const job = await submitJob(coord.admin, jobSpec({ rounds: 1, minBanks: 2, timeouts: { fitMs: 10_000, evaluateMs: 10_000 }, privacy: { mode: 'dp-sgd', noiseMultiplier: 1, maxEpsilon: 10 } }));
    await waitForJobEnd(coord.store, job.job_id);
    const fitPush = banks[2]!.pushes.find((p) => p.instructionId.includes('/fit/'))!;
    expect(fitPush.code).toBe(3);
    expect(fitPush.details).toContain('reports no privacy spend');
    expect((await coord.store.listRounds(job.job_id))[0]!.participants).toEqual(['bank-a', 'bank-b']);
  });
});
