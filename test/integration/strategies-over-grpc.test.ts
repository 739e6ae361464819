/** Integration over real gRPC: FedAdam state survives a coordinator restart bit for bit; Krum ignores an adversarial bank. */
import { describe, expect, it } from 'vitest';
import type { Weights } from '../../common/weights.js';
import { holdUntilReoffered } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, waitFor, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';
import { fedAdam } from '../../coordinator/strategy/adaptive.js';
import type { Strategy } from '../../coordinator/strategy/strategy.js';

const flat = (w: Weights) => w.flatMap((t) => Array.from(t.values));
const shifted = (w: Weights, d: number): Weights => w.map((t) => ({ name: t.name, shape: [...t.shape], values: t.values.map((v) => v + d) }));

/** What the fake banks do (bank-a adds 0.02, bank-b 0.01, 100 examples each), folded by `strategies[r - 1]`. */
function offline(initial: Weights, strategies: readonly Strategy[]): number[] {
  let x = initial;
  strategies.forEach((s, i) => {
    const replies = [
      { memberId: 'bank-a', weights: shifted(x, 0.02), numExamples: 100, metrics: {} },
      { memberId: 'bank-b', weights: shifted(x, 0.01), numExamples: 100, metrics: {} },
    ];
    x = s.aggregateFit(i + 1, x, replies, []).weights!;
  });
  return flat(x);
}

describe('server-optimiser state across a coordinator restart', () => {
  const fx = useCoordinatorFixture();

  it('ends with the uninterrupted FedAdam model, when the coordinator restarts during round 2', async () => {
    // Prepare: bank-b holds its round-2 fit until a new coordinator session offers it again.
    const first = await fx.start();
    const banks = await fx.startBanks({ 'bank-a': { delta: 0.02 }, 'bank-b': holdUntilReoffered('fit', 2) });
    const job = await submitJob(first.admin, jobSpec({ rounds: 3, minBanks: 2, strategy: { name: 'fedadam' }, timeouts: { fitMs: 30_000, evaluateMs: 30_000 } }));

    // Execute
    await waitFor(() => banks[1]!.offers.some((o) => o.stage === 'fit' && o.round === 2), 15_000, 'round 2 under way');
    const second = await fx.restart();
    expect((await waitForJobEnd(second.store, job.job_id, 30_000)).status).toBe('completed');

    // Assert
    const cp = (await second.store.latestCheckpoint(job.job_id))!;
    expect(cp.round).toBe(3);
    expect(cp.strategyStateJson).toMatch(/"format":"fedfin.server-opt\/1"/);
    const initial = banks[0]!.downloads.values().next().value!;
    const one = fedAdam();
    const uninterrupted = offline(initial, [one, one, one]);
    const stateLost = offline(initial, [fedAdam(), fedAdam(), fedAdam()]);
    expect(stateLost).not.toEqual(uninterrupted);
    expect(flat(cp.weights)).toEqual(uninterrupted);
  });

  it('keeps the model near the honest banks, when one of five banks adds 1e6 to every weight under Krum', async () => {
    const members = ['bank-a', 'bank-b', 'bank-c', 'bank-d', 'bank-e'];
    const { coord, banks } = await fx.federation(Object.fromEntries(members.map((memberId) => [memberId, { delta: memberId === 'bank-e' ? 1e6 : 0.01 }])));
    const job = await submitJob(coord.admin, jobSpec({ rounds: 2, minBanks: 5, strategy: { name: 'krum', byzantine: 1 } }));
    expect((await waitForJobEnd(coord.store, job.job_id, 30_000)).status).toBe('completed');
    const initial = flat(banks[0]!.downloads.values().next().value!);
    const final = flat((await coord.store.latestCheckpoint(job.job_id))!.weights);
    // Two honest rounds of +0.01 (float32 rounding aside); FedAvg would have moved every weight by about 4e5.
    final.forEach((v, i) => expect(Math.abs(v - initial[i]! - 0.02)).toBeLessThan(1e-5));
  });
});
