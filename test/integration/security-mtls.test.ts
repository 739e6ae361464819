/** Integration over real TLS sockets: a job over mutual TLS with a signed audit log, a foreign-CA client refused, a member acting as another refused. */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadProtos } from '../../proto/loader.js';
import type { FleetClient } from '../../proto/generated/fedfin/v1/Fleet.js';
import { verifyAuditChain } from '../../security/audit-verify.js';
import { parseIdentityPublicKeyPem } from '../../security/identity-keys.js';
import { loadKit } from '../../security/kit.js';
import { FakeBank, unaryCall, type PushOutcome } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, tempDir, waitFor, waitForJobEnd, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { adminClientFor, provisionTestFederation, startSecureCoordinator, type TestFederation } from '../helpers/secure-federation.js';

const join3 = (c: FleetClient, memberId: string) =>
  unaryCall<{ session_id: string }>((cb) => c.Join({ member_id: memberId, accepted_tasks: ['credit-scoring'], tf_backend: 'cpu', software_version: 't' }, { deadline: Date.now() + 5000 }, cb));
const codeOf = async (p: Promise<unknown>): Promise<number> => p.then(() => grpc.status.OK, (err: grpc.ServiceError) => err.code);

describe('mutual TLS between coordinator, banks and admins', () => {
  let fed: TestFederation;
  let foreign: TestFederation;
  let coord: RunningCoordinator;
  let dir: { dir: string; cleanup: () => void };
  const banks: FakeBank[] = [];
  beforeAll(async () => {
    [fed, foreign] = await Promise.all([provisionTestFederation(), provisionTestFederation({ members: ['bank-a'], admins: [{ id: 'ops-admin', role: 'admin' }] })]);
    dir = tempDir();
    coord = await startSecureCoordinator(fed, dir.dir);
  });
  afterEach(async () => {
    await Promise.all(banks.splice(0).map((b) => b.stop()));
  });
  afterAll(async () => {
    await coord?.stop();
    dir?.cleanup();
    fed?.cleanup();
    foreign?.cleanup();
  });

  it('refuses a client certificate from a foreign CA with UNAUTHENTICATED and records the refusal in the audit log', async () => {
    // The intruder trusts the real CA (it can see the server certificate) but its own certificate is another CA's.
    const real = loadKit(fed.kit('bank-a'));
    const intruder = loadKit(foreign.kit('bank-a'));
    const creds = grpc.credentials.createSsl(Buffer.from(real.caPem), Buffer.from(intruder.keyPem), Buffer.from(intruder.certPem));
    const client = new (loadProtos().fleet.fedfin.v1.Fleet)(coord.address, creds) as unknown as FleetClient;
    const err = await join3(client, 'bank-a').then(() => undefined, (e: grpc.ServiceError) => e);
    client.close();
    expect(err?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(err?.details).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|federation CA/);
    await waitFor(async () => (await coord.store.listAudit()).some((e) => e.type === 'peer-refused'), 5000, 'peer-refused audit entry');
    const entry = (await coord.store.listAudit()).find((e) => e.type === 'peer-refused')!;
    expect(entry.detail).toMatchObject({ rpc: 'Fleet.Join', reason: 'no-certificate' });
  });

  it('refuses a plaintext client: the coordinator speaks TLS only', async () => {
    const client = new (loadProtos().fleet.fedfin.v1.Fleet)(coord.address, grpc.credentials.createInsecure()) as unknown as FleetClient;
    const code = await codeOf(join3(client, 'bank-a'));
    client.close();
    expect(code).toBe(grpc.status.UNAVAILABLE);
  });

  it('completes a job with every bank on its kit; the operator is the audited submitter, every entry is signed, and a member cannot act as another', async () => {
    const attempts: PushOutcome[] = [];
    let crossJoin = -1;
    let crossPull = -1;
    for (const id of ['bank-a', 'bank-b', 'bank-c']) {
      banks.push(
        new FakeBank({
          address: coord.address,
          memberId: id,
          credentials: fed.credentials(id),
          numFeatures: 5,
          ...(id === 'bank-c'
            ? {
                script: (ins) =>
                  ins.stage === 'fit' && ins.round === 1
                    ? {
                        kind: 'custom',
                        run: async (self, own) => {
                          const a = banks[0]!;
                          await waitFor(() => a.offers.some((o) => o.round === 1 && o.stage === 'fit'), 5000, 'bank-a fit offer');
                          const victim = a.offers.find((o) => o.round === 1 && o.stage === 'fit')!;
                          const forged = { header: { instruction_id: victim.instructionId, status: 'ok', reason: '', num_examples: 10 } };
                          attempts.push(await self.push(forged)); // bank-a's instruction on bank-c's session
                          attempts.push(await self.push(forged, { sessionId: a.sessionId })); // bank-a's session id, bank-c's certificate
                          crossJoin = await codeOf(self.join('bank-a'));
                          crossPull = await codeOf(self.pull(10, a.sessionId));
                          await self.push(await self.answer(own));
                        },
                      }
                    : { kind: 'ok' },
              }
            : {}),
        }),
      );
    }
    await Promise.all(banks.map((b) => b.start()));
    const operator = adminClientFor(fed, coord.address, 'ops-op');
    const job = await submitJob(operator, jobSpec({ minBanks: 3, rounds: 2 }));
    operator.close();
    const final = await waitForJobEnd(coord.store, job.job_id, 30_000);
    expect(final.status).toBe('completed');
    expect(attempts.map((a) => a.code)).toEqual([grpc.status.PERMISSION_DENIED, grpc.status.PERMISSION_DENIED]);
    expect(crossJoin).toBe(grpc.status.PERMISSION_DENIED);
    expect(crossPull).toBe(grpc.status.PERMISSION_DENIED);

    const audit = await coord.store.listAudit();
    expect(audit.find((e) => e.type === 'job-submitted')?.actor).toBe('ops-op');
    expect(audit.every((e) => typeof e.signature === 'string')).toBe(true);
    const pub = parseIdentityPublicKeyPem(readFileSync(join(fed.kit('coordinator'), 'audit-signing.pub'), 'utf8'));
    const verdict = verifyAuditChain(audit.map((e) => ({ ...e, signature: e.signature ?? null })), { publicKey: pub });
    expect(verdict).toMatchObject({ ok: true, entries: audit.length, signed: audit.length });
  });

  it('rejects a fit update above the job\'s maxUpdateNorm as invalid, naming the norm, while the bank within the bound is aggregated', async () => {
    for (const [id, delta] of [['bank-a', 0.01], ['bank-b', 5]] as const) banks.push(new FakeBank({ address: coord.address, memberId: id, credentials: fed.credentials(id), numFeatures: 5, delta }));
    await Promise.all(banks.map((b) => b.start()));
    const job = await submitJob(coord.admin, jobSpec({ minBanks: 1, rounds: 1, maxUpdateNorm: 0.5 }));
    const final = await waitForJobEnd(coord.store, job.job_id, 30_000);
    expect(final.status).toBe('completed');
    const [round] = await coord.store.listRounds(job.job_id);
    expect(round!.participants).toEqual(['bank-a']);
    expect(round!.dropped).toEqual([expect.objectContaining({ memberId: 'bank-b', kind: 'invalid', reason: 'result from bank-b: update norm 12.25 exceeds the job\'s maxUpdateNorm 0.5' })]);
  });
});
