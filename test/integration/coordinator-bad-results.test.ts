/** Integration: malformed, duplicate, stale, foreign and refused results get the documented gRPC status and the round completes with the others. */
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { instructionIdFor } from '../../schema/fleet.js';
import { unaryCall, type FakeResult } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, waitFor, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

const withValues = (r: FakeResult, f: (v: Float32Array) => void): FakeResult => ({
  ...r,
  weights: r.weights!.map((t) => {
    const values = t.values.slice();
    f(values);
    return { ...t, values };
  }),
});

describe('coordinator over gRPC, bad results', () => {
  const fx = useCoordinatorFixture();

  it('answers each bad push with its status and completes every round with the others, when one bank misbehaves in a different way each round', async () => {
    const coord = await fx.start();
    const seen: Record<string, number> = {};
    const note = (label: string, code: number) => (seen[label] = code);
    let jobId = '';
    const bankA = fx.bank('bank-a');
    const bankB = fx.bank('bank-b', (ins) => (ins.stage === 'fit' && ins.round === 1 ? { kind: 'ok', delayMs: 400 } : { kind: 'ok' }));
    const bankC = fx.bank('bank-c', (ins) => {
      if (ins.stage !== 'fit') return { kind: 'ok' };
      const mine = ins.instruction_id;
      return {
        kind: 'custom',
        run: async (c) => {
          const good = await c.answer(ins);
          switch (ins.round) {
            case 1: {
              const transposed = { ...good, header: { ...good.header, headers: good.weights!.map((t) => ({ name: t.name, shape: [...t.shape].reverse() })) } };
              note('transposed shape', (await c.push(transposed)).code);
              note('good after rejection', (await c.push(good)).code);
              const foreign = { ...good, header: { ...good.header, instruction_id: instructionIdFor(jobId, 1, 1, 'fit', 'bank-b') } };
              note('foreign while open', (await c.push(foreign)).code);
              await waitFor(() => bankB.pushes.length >= 2, 5000, 'bank-b to answer fit');
              note('foreign after answered', (await c.push(foreign)).code);
              return;
            }
            case 2: {
              note('NaN', (await c.push(withValues(good, (v) => (v[0] = Number.NaN)))).code);
              const late = { ...good, header: { ...good.header, instruction_id: instructionIdFor(jobId, 1, 1, 'fit', 'bank-c') } };
              note('closed stage', (await c.push(late)).code);
              note('download closed', await c.download(late.header.instruction_id).then(() => 0, (e: grpc.ServiceError) => e.code));
              return;
            }
            case 3:
              note('truncated', (await c.push(good, { truncateAt: 8 })).code);
              return;
            case 4:
              note('first', (await c.push(good)).code);
              note('duplicate', (await c.push(good)).code);
              return;
            case 5:
              note('refusal', (await c.push({ header: { instruction_id: mine, status: 'refused', reason: 'site policy: minimum cohort is 5 banks' } })).code);
              return;
            case 6:
              note('Infinity', (await c.push(withValues(good, (v) => (v[v.length - 1] = Number.POSITIVE_INFINITY)))).code);
              return;
            default: {
              const wider = { ...good, header: { ...good.header, headers: good.weights!.map((t) => ({ name: t.name, shape: t.shape.map((d) => d + 1) })) } };
              note('wider shape', (await c.push(wider)).code);
            }
          }
        },
      };
    });
    await Promise.all([bankA, bankB, bankC].map((b) => b.start()));
    const job = await submitJob(coord.admin, jobSpec({ rounds: 7, minBanks: 2, timeouts: { fitMs: 10_000, evaluateMs: 10_000 } }));
    jobId = job.job_id;
    const final = await waitForJobEnd(coord.store, jobId, 30_000);
    expect(final.status).toBe('completed');
    expect(seen).toEqual({
      'transposed shape': grpc.status.INVALID_ARGUMENT,
      'good after rejection': grpc.status.FAILED_PRECONDITION,
      'foreign while open': grpc.status.PERMISSION_DENIED,
      'foreign after answered': grpc.status.PERMISSION_DENIED,
      NaN: grpc.status.INVALID_ARGUMENT,
      'closed stage': grpc.status.FAILED_PRECONDITION,
      'download closed': grpc.status.NOT_FOUND,
      truncated: grpc.status.INVALID_ARGUMENT,
      first: grpc.status.OK,
      duplicate: grpc.status.ALREADY_EXISTS,
      refusal: grpc.status.OK,
      Infinity: grpc.status.INVALID_ARGUMENT,
      'wider shape': grpc.status.INVALID_ARGUMENT,
    });
    const rounds = await coord.store.listRounds(jobId);
    const ab = 'bank-a,bank-b';
    expect(rounds.map((r) => [...r.participants].sort().join(','))).toEqual([ab, ab, ab, 'bank-a,bank-b,bank-c', ab, ab, ab]);
    const droppedC = (round: number) => rounds[round - 1]!.dropped.map((d) => `${d.memberId} ${d.kind}: ${d.reason}`);
    expect(droppedC(1)).toEqual(["bank-c invalid: result from bank-c: the update does not have the model's tensor names and shapes"]);
    expect(droppedC(2)).toEqual(['bank-c invalid: result from bank-c: the update contains NaN or infinite values']);
    expect(droppedC(3)).toEqual(['bank-c invalid: truncated update: 8 of 20 bytes']);
    expect(droppedC(4)).toEqual([]);
    expect(droppedC(5)).toEqual(['bank-c refused: site policy: minimum cohort is 5 banks']);
    expect(droppedC(6)).toEqual(['bank-c invalid: result from bank-c: the update contains NaN or infinite values']);
    expect(droppedC(7)[0]).toMatch(/^bank-c invalid: decodeWeights: expected 48 bytes for 2 tensors, got 20$/);
    const refusals = (await coord.store.listAudit()).filter((e) => e.type === 'bank-refused');
    expect(refusals.map((e) => [e.memberId, e.detail['round'], e.detail['reason']])).toEqual([['bank-c', 5, 'site policy: minimum cohort is 5 banks']]);
  });

  it('rejects unknown sessions with UNAUTHENTICATED and malformed member ids with INVALID_ARGUMENT, when a client skips or botches Join', async () => {
    const coord = await fx.start();
    const bank = fx.bank('bank-a');
    const code = (p: Promise<unknown>) => p.then(() => grpc.status.OK, (e: grpc.ServiceError) => e.code);
    expect(await code(bank.pull(10, 'no-such-session'))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await code(bank.download('x', 'no-such-session'))).toBe(grpc.status.UNAUTHENTICATED);
    expect((await bank.push({ header: { instruction_id: 'x', status: 'ok' } }, { sessionId: 'no-such-session' })).code).toBe(grpc.status.UNAUTHENTICATED);
    expect(await code(unaryCall((cb) => bank.client.Heartbeat({ session_id: 'no-such-session' }, cb)))).toBe(grpc.status.UNAUTHENTICATED);
    for (const bad of ['', '../etc/passwd', 'a b', 'x'.repeat(65), '-leading-dash']) expect(await code(bank.join(bad))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(bank.join('bank-a'))).toBe(grpc.status.OK);
    expect((await coord.store.listMembers()).map((m) => m.memberId)).toEqual(['bank-a']);
  });
});
