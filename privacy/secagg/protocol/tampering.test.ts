/** Tampering: bad signatures, corrupted share boxes, wrong-length vectors, replays and impersonation are detected, the offender named and excluded, the round safe. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FedfinError } from '../../../common/errors.js';
import { decodeAdvertise, decodeMaskedInput, decodeShareKeys, decodeUnmaskRequest, encodeAdvertise, encodeMaskedInput, encodeShareKeys, encodeUnmaskRequest } from './messages.js';
import { makeCohort, plainSum, resolvedFor, runRound, type Cohort, type RunResult } from './testing/harness.js';
import { seededRandom } from '../../../common/seeded-random.js';
import { createSecAggClient } from './client.js';
import { createSecAggServer } from './server.js';
import { SECAGG_STAGES } from './types.js';

const cohort = makeCohort(10, 32, { neighbours: 5 }, 'tamper');
const ctx = { jobId: cohort.jobId, round: cohort.round, attempt: cohort.attempt };
const idOf = (c: Cohort, m: string): bigint => BigInt(c.banks.find((b) => b.member.memberId === m)!.member.numericId);
const up = (stage: (typeof SECAGG_STAGES)[number], m: string) => ({ ctx, stage, direction: 'up' as const, numericId: idOf(cohort, m) });
const down = (stage: (typeof SECAGG_STAGES)[number], m: string) => ({ ctx, stage, direction: 'down' as const, numericId: idOf(cohort, m) });

function expectSafe(run: RunResult, offender: string, code: string): void {
  const offence = run.result!.offences.find((o) => o.memberId === offender);
  expect(offence, `offence by ${offender}`).toMatchObject({ memberId: offender, code });
  expect(run.result!.survivors).not.toContain(offender);
  expect(Array.from(run.result!.sum)).toEqual(Array.from(plainSum(cohort, run.result!.survivors, resolvedFor(cohort, run.result!.survivors.length + run.result!.dropped.filter((d) => d.stage !== 'advertise').length))));
}

describe('tampering by a bank', () => {
  it('a swapped public key fails the signature check: signature-invalid, offender named, round completes without it', () => {
    const run = runRound(cohort, {
      tamperUp: (stage, m, bytes) => {
        if (stage !== 'advertise' || m !== 'bank-003') return undefined;
        const a = decodeAdvertise(bytes, up('advertise', m), m);
        return encodeAdvertise(ctx, { ...a, cPk: new Uint8Array(32).fill(9) });
      },
    });
    expect(run.receipts.find((r) => r.memberId === 'bank-003')!.outcome).toMatchObject({ status: 'rejected', code: 'signature-invalid', offender: 'bank-003' });
    expect(run.result!.dropped).toContainEqual({ memberId: 'bank-003', stage: 'advertise' });
    expectSafe(run, 'bank-003', 'signature-invalid');
  });

  it('a corrupted share ciphertext draws a complaint: the sender is named and excluded, its masks recovered', () => {
    const run = runRound(cohort, {
      tamperUp: (stage, m, bytes) => {
        if (stage !== 'share-keys' || m !== 'bank-004') return undefined;
        const boxes = decodeShareKeys(bytes, up('share-keys', m), m);
        const box = boxes[0]!.box.slice();
        box[30] ^= 0x01;
        return encodeShareKeys(ctx, idOf(cohort, m), [{ ...boxes[0]!, box }, ...boxes.slice(1)]);
      },
    });
    expect(run.status).toBe('done');
    expect(run.result!.dropped).toContainEqual({ memberId: 'bank-004', stage: 'masked-input' });
    expectSafe(run, 'bank-004', 'decryption-failed');
  });

  it('a vector of the wrong length is refused, offender named; the round completes with its pairwise masks recovered', () => {
    const run = runRound(cohort, {
      tamperUp: (stage, m, bytes) => {
        if (stage !== 'masked-input' || m !== 'bank-005') return undefined;
        const msg = decodeMaskedInput(bytes, up('masked-input', m), m, 33, 2 ** 32);
        return encodeMaskedInput(ctx, idOf(cohort, m), { ...msg, vector: msg.vector.subarray(0, 32) }, 2 ** 32);
      },
    });
    expect(run.receipts.find((r) => r.memberId === 'bank-005' && r.stage === 'masked-input')!.outcome).toMatchObject({ status: 'rejected', code: 'protocol-violation', reason: expect.stringContaining('expected 33 entries') });
    expectSafe(run, 'bank-005', 'protocol-violation');
  });

  it('a message replayed from another stage, round or attempt is refused as a replay', () => {
    const other = runRound({ ...cohort, attempt: 1 });
    const nextRound = runRound({ ...cohort, round: cohort.round + 1 });
    const cases = [
      ['bank-006', 'share-keys', (captured: Map<string, Uint8Array>) => captured.get('bank-006')!], // its own advertisement again
      ['bank-007', 'masked-input', () => other.receipts.find((r) => r.stage === 'masked-input' && r.memberId === 'bank-007')!.bytes],
      ['bank-008', 'masked-input', () => nextRound.receipts.find((r) => r.stage === 'masked-input' && r.memberId === 'bank-008')!.bytes],
    ] as const;
    for (const [member, atStage, replay] of cases) {
      const captured = new Map<string, Uint8Array>();
      const run = runRound(cohort, {
        tamperUp: (stage, m, bytes) => {
          if (stage === 'advertise') captured.set(m, bytes);
          return stage === atStage && m === member ? replay(captured) : undefined;
        },
      });
      expect(run.receipts.find((r) => r.memberId === member && r.stage === atStage)!.outcome).toMatchObject({ status: 'rejected', offender: member, reason: expect.stringContaining('replayed') });
      expectSafe(run, member, 'protocol-violation');
    }
  });

  it('a member sending another member’s message is refused as acting as another', () => {
    const captured = new Map<string, Uint8Array>();
    const run = runRound(cohort, {
      tamperUp: (stage, m, bytes) => {
        if (stage === 'advertise') captured.set(m, bytes);
        return stage === 'advertise' && m === 'bank-008' ? captured.get('bank-007') : undefined;
      },
    });
    expect(run.receipts.find((r) => r.memberId === 'bank-008')!.outcome).toMatchObject({ status: 'rejected', offender: 'bank-008', reason: expect.stringContaining('acting as another') });
    expect(run.result!.survivors).toContain('bank-007');
    expectSafe(run, 'bank-008', 'protocol-violation');
  });

  it('a retry with the same bytes is accepted as a duplicate; different bytes for the same stage are equivocation; late bytes are ignored', () => {
    const c = makeCohort(3, 8, {}, 'equiv');
    const opts = (b: (typeof c.banks)[number], seed: string) => ({ ...ctx, jobId: c.jobId, round: c.round, attempt: c.attempt, memberId: b.member.memberId, numericId: b.member.numericId, signingKey: b.signing.secretKey, dimension: 8, config: {}, rng: seededRandom(seed) });
    const server = createSecAggServer({ jobId: c.jobId, round: c.round, attempt: c.attempt, members: c.banks.map((b) => b.member), dimension: 8, config: {}, rng: seededRandom('s') });
    const [b1, b2] = c.banks;
    const first = createSecAggClient(opts(b1!, 'a')).advertise();
    expect(server.receive('advertise', 'bank-001', first)).toEqual({ status: 'accepted', duplicate: false });
    expect(server.receive('advertise', 'bank-001', first)).toEqual({ status: 'accepted', duplicate: true });
    const second = createSecAggClient(opts(b1!, 'b')).advertise();
    expect(server.receive('advertise', 'bank-001', second)).toMatchObject({ status: 'rejected', offender: 'bank-001', reason: expect.stringContaining('equivocation') });
    expect(server.receive('advertise', 'bank-001', first)).toMatchObject({ status: 'ignored' });
    expect(server.receive('advertise', 'nobody', first)).toMatchObject({ status: 'rejected', offender: 'nobody' });
    server.receive('advertise', 'bank-002', createSecAggClient(opts(b2!, 'c')).advertise());
    expect(server.pending()).toEqual(['bank-003']);
    expect(server.close('advertise')).toMatchObject({ status: 'aborted' }); // bank-001 refused, bank-003 silent: 1 left
    expect(server.receive('share-keys', 'bank-002', first)).toMatchObject({ status: 'ignored' });
    expect(() => server.close('share-keys')).toThrow(expect.objectContaining({ code: 'protocol-violation' }));
  });

  it('hostile bytes never make the coordinator throw, and banks throw only FedfinErrors', () => {
    const run = runRound(makeCohort(4, 8, {}, 'fuzz'));
    const samples = run.receipts.map((r) => r.bytes);
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.uint8Array({ maxLength: 64 }), fc.constantFrom(...SECAGG_STAGES), (base, cut, junk, stage) => {
        const fresh = makeCohort(4, 8, {}, 'fuzz');
        const r = runRound(fresh, {
          tamperUp: (s, m) => (s === stage && m === 'bank-002' ? new Uint8Array([...base.subarray(0, cut % (base.length + 1)), ...junk]) : undefined),
          tamperDown: (s, m, bytes) => (s === stage && m === 'bank-003' && s !== 'advertise' ? new Uint8Array([...bytes.subarray(0, cut % (bytes.length + 1)), ...junk]) : undefined),
        });
        for (const e of r.clientErrors.values()) expect(e).toBeInstanceOf(FedfinError);
        if (r.status === 'done') expect(Array.from(r.result!.sum)).toEqual(Array.from(plainSum(fresh, r.result!.survivors, resolvedFor(fresh, r.result!.survivors.length + r.result!.dropped.filter((d) => d.stage !== 'advertise').length))));
      }),
      { numRuns: 12, seed: 7 },
    );
  });
});

describe('tampering by the coordinator (the bank refuses)', () => {
  it('a roster with a swapped neighbour key fails that neighbour’s signature', () => {
    const run = runRound(cohort, {
      tamperDown: (stage, m, bytes) => {
        if (stage !== 'share-keys' || m !== 'bank-001') return undefined;
        const b = Buffer.from(bytes);
        b[b.length - 64 - 32 - 1] ^= 0x40; // last entry's s_pk
        return new Uint8Array(b);
      },
    });
    expect(run.clientErrors.get('bank-001')).toMatchObject({ code: 'signature-invalid' });
  });

  it('an unmask request naming a bank as both survivor and dropped, or the bank itself as dropped, is refused', () => {
    for (const rewrite of ['both', 'self'] as const) {
      const run = runRound(cohort, {
        drop: { 'masked-input': new Set(['bank-009']) },
        tamperDown: (stage, m, bytes) => {
          if (stage !== 'unmask' || m !== 'bank-002') return undefined;
          const req = decodeUnmaskRequest(bytes, down('unmask', m));
          const me = idOf(cohort, m);
          const other = req.survivors.find((v) => v !== me)!;
          return encodeUnmaskRequest(ctx, me, rewrite === 'both' ? { survivors: req.survivors, dropped: [...req.dropped, other] } : { survivors: req.survivors.filter((v) => v !== me), dropped: [...req.dropped, me] });
        },
      });
      expect(run.clientErrors.get('bank-002')).toMatchObject({ code: 'protocol-violation', message: expect.stringMatching(rewrite === 'both' ? /both survivor and dropped/ : /this bank as dropped/) });
    }
  });

  it('answers a repeated identical payload with identical bytes (no fresh noise), refuses a different one', () => {
    const c = makeCohort(4, 8, { distributedDp: { mechanism: 'discrete-gaussian', noiseMultiplier: 1, minSurvivors: 2 }, bits: 8 }, 'idem');
    const run = runRound(c);
    expect(run.status).toBe('done');
    const client = run.clients.get('bank-001')!;
    const bank = c.banks[0]!;
    const sent = (stage: (typeof SECAGG_STAGES)[number]) => run.receipts.find((r) => r.stage === stage && r.memberId === 'bank-001')!.bytes;
    const got = (stage: (typeof SECAGG_STAGES)[number]) => run.delivered.get(stage)!.get('bank-001')!;
    expect(client.advertise()).toEqual(sent('advertise'));
    expect(client.shareKeys(got('share-keys'))).toEqual(sent('share-keys'));
    expect(client.maskedInput(got('masked-input'), bank.update, bank.numExamples)).toEqual(sent('masked-input'));
    expect(client.unmask(got('unmask'))).toEqual(sent('unmask'));
    const other = got('unmask').slice();
    other[other.length - 1] ^= 1;
    expect(() => client.unmask(other)).toThrow(expect.objectContaining({ code: 'protocol-violation', message: expect.stringContaining('equivocation') }));
  });
});
