/** Integration over real TLS: a member revoked mid-job is refused while the others finish; certificates rotate under a running job; a tampered audit database is caught at the right entry. */
import * as grpc from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcLink } from '../../client/transport/grpc-link.js';
import { FederationTrust } from '../../security/federation-trust.js';
import { loadKit } from '../../security/kit.js';
import { revokeParticipant, rotateParticipant } from '../../security/lifecycle.js';
import { normalizeSerial } from '../../security/x509-support.js';
import { FakeBank } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, tempDir, waitFor, waitForJobEnd, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { runCli } from '../helpers/run-cli.js';
import { provisionTestFederation, startSecureCoordinator, type TestFederation } from '../helpers/secure-federation.js';

/** The serial of the certificate the server presents (a raw TLS handshake with the CA). */
function serverSerial(address: string, caPem: string): Promise<string> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, ca: caPem, servername: 'localhost', ALPNProtocols: ['h2'] }, () => {
      resolve(normalizeSerial(s.getPeerX509Certificate()!.serialNumber));
      s.destroy();
    });
    s.once('error', reject);
  });
}

describe('revocation, rotation and audit tampering over mutual TLS', () => {
  let fed: TestFederation | undefined;
  let coord: RunningCoordinator | undefined;
  let dir: { dir: string; cleanup: () => void } | undefined;
  const banks: FakeBank[] = [];
  afterEach(async () => {
    await Promise.all(banks.splice(0).map((b) => b.stop()));
    await coord?.stop();
    dir?.cleanup();
    fed?.cleanup();
    coord = undefined;
  });

  const startBanks = async (ids: readonly string[], f: TestFederation, c: RunningCoordinator, fitDelayMs = 0) => {
    for (const id of ids) banks.push(new FakeBank({ address: c.address, memberId: id, credentials: f.credentials(id), numFeatures: 5, script: (ins) => ({ kind: 'ok', delayMs: ins.stage === 'fit' ? fitDelayMs : 0 }) }));
    await Promise.all(banks.map((b) => b.start()));
  };

  it('refuses a member revoked mid-job with UNAUTHENTICATED while the other banks finish the job', async () => {
    fed = await provisionTestFederation();
    dir = tempDir();
    coord = await startSecureCoordinator(fed, dir.dir, { livenessMs: 1500 });
    await startBanks(['bank-a', 'bank-b', 'bank-c'], fed, coord, 300);
    const job = await submitJob(coord.admin, jobSpec({ minBanks: 2, rounds: 6, timeouts: { fitMs: 6000, evaluateMs: 6000 } }));
    const c = coord;
    await waitFor(async () => (await c.store.getJob(job.job_id))!.roundsDone >= 1, 20_000, 'round 1');
    await revokeParticipant(fed.root, 'bank-c');
    await waitFor(async () => (await c.store.listAudit()).some((e) => e.type === 'participant-revoked'), 10_000, 'the revocation picked up');
    const doneAtRevocation = (await c.store.getJob(job.job_id))!.roundsDone;
    expect(doneAtRevocation).toBeLessThan(5);
    const final = await waitForJobEnd(coord.store, job.job_id, 60_000);
    expect(final.status).toBe('completed');
    // The round in flight at the revocation may hold bank-c's result; every later round is bank-a and bank-b only.
    const later = (await coord.store.listRounds(job.job_id)).filter((r) => r.round > doneAtRevocation + 1);
    expect(later.length).toBeGreaterThan(0);
    for (const r of later) expect([...r.participants].sort()).toEqual(['bank-a', 'bank-b']);
    const audit = await coord.store.listAudit();
    expect(audit.some((e) => e.type === 'participant-revoked' && e.memberId === 'bank-c')).toBe(true);
    expect(audit.some((e) => e.type === 'peer-refused' && (e.detail as { reason?: string }).reason === 'revoked')).toBe(true);
    // A fresh connection with bank-c's kit is refused too.
    const late = new FakeBank({ address: coord.address, memberId: 'bank-c', credentials: fed.credentials('bank-c') });
    await expect(late.join()).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    late.client.close();
  });

  it('rotates a bank and the coordinator under a running job: the job completes, the server presents its new certificate and the bank link switches without a restart', async () => {
    fed = await provisionTestFederation();
    dir = tempDir();
    // No grace for superseded certificates: only a link that really switched keeps working.
    const trust = new FederationTrust(fed.kit('coordinator'), { supersededGraceMs: 0 });
    const f = fed;
    coord = await startSecureCoordinator(fed, dir.dir, { trust });
    await startBanks(['bank-b', 'bank-c'], fed, coord);
    const link = new GrpcLink(coord.address, { security: { mode: 'mtls', kitDir: fed.kit('bank-a') }, callTimeoutMs: 3000 });
    await link.join({ memberId: 'bank-a', acceptedTasks: ['credit-scoring'], tfBackend: 'cpu', softwareVersion: 't' });
    const caPem = loadKit(fed.kit('bank-a')).caPem;
    const serverBefore = await serverSerial(coord.address, caPem);
    const job = await submitJob(coord.admin, jobSpec({ minBanks: 2, rounds: 3 }));
    const c = coord;
    await waitFor(async () => (await c.store.getJob(job.job_id))!.roundsDone >= 1, 20_000, 'round 1');

    const oldCreds = f.credentials('bank-a'); // read now: rotation deletes the old pair
    await rotateParticipant(f.root, 'bank-a');
    const rotatedServer = await rotateParticipant(f.root, 'coordinator');
    await new Promise((r) => setTimeout(r, 1100)); // the link and the coordinator re-check their kits at most once a second
    await expect(link.heartbeat('')).resolves.toEqual([]);
    await waitFor(async () => (await serverSerial(c.address, caPem)) !== serverBefore, 5000, 'the new server certificate');
    expect(await serverSerial(c.address, caPem)).toBe(normalizeSerial(rotatedServer.participants[0]!.serial));

    // The superseded bank-a certificate no longer gets in.
    const stale = new FakeBank({ address: coord.address, memberId: 'bank-a', credentials: oldCreds });
    await expect(stale.join()).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    stale.client.close();

    const final = await waitForJobEnd(coord.store, job.job_id, 30_000);
    expect(final.status).toBe('completed');
    const audit = await coord.store.listAudit();
    expect(audit.filter((e) => e.type === 'certificate-rotated').map((e) => (e.detail as { id: string }).id).sort()).toEqual(['bank-a', 'coordinator']);
    link.close();
  });

  it('detects a hand-edited audit row offline and online, naming the entry', async () => {
    fed = await provisionTestFederation();
    dir = tempDir();
    coord = await startSecureCoordinator(fed, dir.dir);
    await startBanks(['bank-a', 'bank-b'], fed, coord);
    const job = await submitJob(coord.admin, jobSpec({ minBanks: 2, rounds: 1 }));
    await waitForJobEnd(coord.store, job.job_id, 20_000);
    const pub = join(fed.kit('coordinator'), 'audit-signing.pub');
    const adminKit = fed.kit('ops-view');
    const ok = await runCli(['admin', '--kit', adminKit, '--coordinator', coord.address, 'audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit log OK: \d+ entries verified, \d+ signatures/);

    const db = new Database(join(dir.dir, 'coordinator.db'));
    const target = (db.prepare("SELECT seq FROM audit_events WHERE type = 'job-submitted'").get() as { seq: number }).seq;
    db.prepare("UPDATE audit_events SET detail_json = json_set(detail_json, '$.rounds', 99) WHERE seq = ?").run(target);
    db.close();

    const online = await runCli(['admin', '--kit', adminKit, '--coordinator', coord.address, 'audit', 'verify', '--json']);
    expect(online.code).toBe(1);
    expect(JSON.parse(online.out)).toMatchObject({ ok: false, firstBad: { seq: target, problem: 'hash-mismatch' } });
    await Promise.all(banks.splice(0).map((b) => b.stop()));
    await coord.stop();
    const offline = await runCli(['audit', 'verify', '--data-dir', dir.dir, '--public-key', pub]);
    expect(offline.code).toBe(1);
    expect(offline.out).toContain(`BROKEN at entry ${target} (hash-mismatch)`);
  });
});

