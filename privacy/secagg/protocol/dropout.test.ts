/** Dropout rules at every stage, aborts below t or minSurvivors, stragglers, and resuming the coordinator from its saved state at every stage. */
import { describe, it, expect } from 'vitest';
import { seededRandom } from '../../../common/seeded-random.js';
import { createSecAggServer, restoreSecAggServer } from './server.js';
import { makeCohort, plainSum, resolvedFor, runRound } from './testing/harness.js';

const exact = (c: ReturnType<typeof makeCohort>, r: ReturnType<typeof runRound>, numAdvertised: number) => expect(Array.from(r.result!.sum)).toEqual(Array.from(plainSum(c, r.result!.survivors, resolvedFor(c, numAdvertised))));

describe('dropouts', () => {
  const cohort = makeCohort(12, 24, { neighbours: 7 }, 'drop');

  it('before share keys: excluded, nobody holds its shares, nothing to recover', () => {
    const r = runRound(cohort, { drop: { 'share-keys': new Set(['bank-003']) } });
    expect(r.result!.dropped).toEqual([{ memberId: 'bank-003', stage: 'share-keys' }]);
    expect(r.result!.survivors).not.toContain('bank-003');
    exact(cohort, r, 12);
  });

  it('after share keys: its pairwise masks are recovered from its mask-key shares', () => {
    const r = runRound(cohort, { drop: { 'masked-input': new Set(['bank-003', 'bank-009']) } });
    expect(r.result!.dropped.map((d) => d.stage)).toEqual(['masked-input', 'masked-input']);
    exact(cohort, r, 12);
  });

  it('after masked input: its input counts, its self mask is recovered from the others’ shares', () => {
    const r = runRound(cohort, { drop: { unmask: new Set(['bank-003']) } });
    expect(r.result!.survivors).toContain('bank-003');
    expect(r.result!.silentAtUnmask).toEqual(['bank-003']);
    exact(cohort, r, 12);
  });

  it('a neighbourhood with fewer than t survivors aborts the attempt cleanly', () => {
    // n = 10 with the default degree is the complete graph: k = 9, t = 7; four silent banks leave 6.
    const c = makeCohort(10, 8, {}, 'abort');
    const r = runRound(c, { drop: { 'masked-input': new Set(['bank-001', 'bank-002', 'bank-003', 'bank-004']) } });
    expect(r.status).toBe('aborted');
    expect(r.reason).toMatch(/fewer than t = 7/);
    expect(r.server.stage).toBe('aborted');
    expect(() => r.server.finish()).toThrow(expect.objectContaining({ code: 'protocol-violation' }));
  });

  it('fewer survivors than distributedDp.minSurvivors aborts: the noise would fall short', () => {
    const c = makeCohort(8, 8, { distributedDp: { mechanism: 'skellam', noiseMultiplier: 1, minSurvivors: 7 }, bits: 12 }, 'min');
    const r = runRound(c, { drop: { 'share-keys': new Set(['bank-001', 'bank-002']) } });
    expect(r.status).toBe('aborted');
    expect(r.reason).toMatch(/at least 7/);
  });

  it('a straggler answering after its stage closed is ignored and does not change the sum', () => {
    const late = new Map<string, Uint8Array>();
    const r = runRound(cohort, {
      drop: { 'masked-input': new Set(['bank-005']) },
      afterClose: (stage, server, sent) => {
        if (stage === 'share-keys') late.set('bank-005', sent.get('bank-005')!);
        if (stage === 'masked-input') {
          expect(server.receive('share-keys', 'bank-005', late.get('bank-005')!)).toMatchObject({ status: 'ignored', reason: expect.stringContaining('straggler') });
          expect(server.receive('masked-input', 'bank-006', sent.get('bank-006')!)).toMatchObject({ status: 'ignored' });
        }
      },
    });
    expect(r.result!.survivors).not.toContain('bank-005');
    exact(cohort, r, 12);
  });
});

describe('coordinator state', () => {
  const cohort = makeCohort(9, 16, {}, 'state');
  const drop = { 'share-keys': new Set(['bank-002']), 'masked-input': new Set(['bank-004']), unmask: new Set(['bank-006']) };

  it('serialise and resume before and after every close gives the same exact sum', () => {
    const plain = runRound(cohort, { drop });
    const resumed = runRound(cohort, { drop, persist: true });
    expect(resumed.status).toBe('done');
    expect(Array.from(resumed.result!.sum)).toEqual(Array.from(plain.result!.sum));
    expect(resumed.result!.dropped).toEqual(plain.result!.dropped);
    exact(cohort, resumed, 9);
  });

  it('a resumed state answers retries as duplicates and keeps what it had accepted mid-stage', () => {
    const run = runRound(cohort, {
      afterClose: (stage, server, sent) => {
        if (stage !== 'advertise') return;
        const again = restoreSecAggServer(server.toState(), seededRandom('x'));
        expect(again.stage).toBe('share-keys');
        expect(again.pending()).toHaveLength(9);
        expect(again.receive('advertise', 'bank-001', sent.get('bank-001')!)).toMatchObject({ status: 'ignored' });
      },
    });
    expect(run.status).toBe('done');
  });

  it('refuses corrupted or foreign state bytes with protocol-violation', () => {
    const s = createSecAggServer({ jobId: 'j', round: 0, attempt: 0, members: cohort.banks.map((b) => b.member), dimension: 16, config: {}, rng: seededRandom('s') }).toState();
    const bad = s.slice();
    bad[20] ^= 1;
    for (const bytes of [bad, s.subarray(0, 40), new Uint8Array(100)]) expect(() => restoreSecAggServer(bytes, seededRandom('r'))).toThrow(expect.objectContaining({ code: 'protocol-violation' }));
  });

  it('keeps no masked vector once the survivors’ sum is formed', () => {
    const r = runRound(cohort, { drop });
    const state = Buffer.from(r.server.toState());
    // 9 banks × 17 entries × 4 bytes would be 612 bytes of vectors; only the unmasked sum (68 bytes) remains.
    expect(state.includes(Buffer.from('"masked"'))).toBe(false);
    expect(state.includes(Buffer.from('"maskedSum"'))).toBe(false);
    expect(state.includes(Buffer.from('"unmaskedSum"'))).toBe(true);
  });
});
