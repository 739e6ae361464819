/** Integration: three scripted banks over real gRPC run a 3-round job end to end (stats → fit → evaluate → commit). */
import { describe, expect, it } from 'vitest';
import type { Weights } from '../../common/weights.js';
import { auditHash, GENESIS_HASH } from '../../coordinator/store/audit-chain.js';
import type { FakeBank } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

/** Example-weighted mean computed in float64 in member order, rounded once to float32. */
function expectedMean(updates: readonly Weights[], ns: readonly number[]): Float32Array[] {
  const total = ns.reduce((a, b) => a + b, 0);
  return updates[0]!.map((t, ti) => {
    const acc = new Float64Array(t.values.length);
    updates.forEach((u, k) => u[ti]!.values.forEach((v, j) => (acc[j]! += (ns[k]! / total) * v)));
    return Float32Array.from(acc);
  });
}

/** AUC of pooled binned scores by counting pairs: a positive in a higher bin wins, same bin ties. */
function aucByHand(pos: number[], neg: number[]): number {
  let wins = 0;
  for (let i = 0; i < pos.length; i++) for (let j = 0; j < neg.length; j++) wins += pos[i]! * neg[j]! * (i > j ? 1 : i === j ? 0.5 : 0);
  return wins / (pos.reduce((a, b) => a + b, 0) * neg.reduce((a, b) => a + b, 0));
}

const HISTS = {
  'bank-a': { num_bins: 4, counts_pos: [0, 1, 2, 7], counts_neg: [6, 2, 1, 1], sum_log_loss: 5, sum_brier: 2, num_correct: 15, num_examples: 20 },
  'bank-b': { num_bins: 4, counts_pos: [1, 1, 3, 5], counts_neg: [3, 4, 2, 1], sum_log_loss: 7, sum_brier: 3, num_correct: 12, num_examples: 20 },
  'bank-c': { num_bins: 4, counts_pos: [2, 0, 0, 3], counts_neg: [1, 1, 2, 1], sum_log_loss: 4, sum_brier: 1, num_correct: 6, num_examples: 10 },
};
const NS = { 'bank-a': 100, 'bank-b': 300, 'bank-c': 50 };
const DELTAS = { 'bank-a': 0.01, 'bank-b': -0.02, 'bank-c': 0.03 };

describe('coordinator over gRPC, happy path', () => {
  const fx = useCoordinatorFixture();

  it('completes 3 rounds with exact FedAvg checkpoints, pooled-histogram AUC and a hash-chained audit log, when 3 banks answer everything', async () => {
    const ids = ['bank-a', 'bank-b', 'bank-c'] as const;
    const { coord, banks } = await fx.federation(Object.fromEntries(ids.map((m) => [m, { numExamples: NS[m], delta: DELTAS[m], histogram: HISTS[m], numFeatures: 5 }])));
    const job = await submitJob(coord.admin, jobSpec({ minBanks: 3, rounds: 3 }));
    const final = await waitForJobEnd(coord.store, job.job_id);
    expect(final.status).toBe('completed');
    expect(final.roundsDone).toBe(3);

    const rounds = await coord.store.listRounds(job.job_id);
    expect(rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    const pooledPos = [0, 1, 2, 3].map((i) => ids.reduce((a, m) => a + HISTS[m].counts_pos[i]!, 0));
    const pooledNeg = [0, 1, 2, 3].map((i) => ids.reduce((a, m) => a + HISTS[m].counts_neg[i]!, 0));
    for (const r of rounds) {
      expect([...r.participants].sort()).toEqual([...ids]);
      expect(r.dropped).toEqual([]);
      expect(r.metrics['auc']).toBeCloseTo(aucByHand(pooledPos, pooledNeg), 12);
      expect(r.metrics['accuracy']).toBeCloseTo((15 + 12 + 6) / 50, 12);
      expect(r.metrics['fitExamples']).toBe(450);
    }

    // Every bank saw stats once, then fit and evaluate per round, in that order.
    for (const b of banks) expect(b.offers.map((o) => `${o.round}:${o.stage}`)).toEqual(['0:stats', '1:fit', '1:evaluate', '2:fit', '2:evaluate', '3:fit', '3:evaluate']);

    // The checkpoint of round r is what every bank downloaded for round r + 1; the last is in the store.
    const fitId = (b: FakeBank, round: number) => b.offers.find((o) => o.round === round && o.stage === 'fit')!.instructionId;
    for (let round = 1; round <= 3; round++) {
      const want = expectedMean(banks.map((b) => b.sentUpdates.get(fitId(b, round))!), ids.map((m) => NS[m]));
      const got = round < 3 ? banks.map((b) => b.downloads.get(fitId(b, round + 1))!) : [(await coord.store.latestCheckpoint(job.job_id))!.weights];
      for (const w of got) w.forEach((t, ti) => expect(Array.from(t.values)).toEqual(Array.from(want[ti]!)));
    }
    expect((await coord.store.latestCheckpoint(job.job_id))!.weights.map((t) => t.shape)).toEqual([[5, 1], [1]]);

    const audit = await coord.store.listAudit();
    const types = audit.map((e) => e.type);
    expect(types.filter((t) => t === 'member-joined')).toHaveLength(3);
    for (const t of ['job-submitted', 'job-initialized', 'job-completed']) expect(types).toContain(t);
    expect(types.filter((t) => t === 'round-committed')).toHaveLength(3);
    audit.forEach((e, i) => {
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : audit[i - 1]!.hash);
      expect(e.hash).toBe(auditHash(e.prevHash, e));
    });
  });
});
