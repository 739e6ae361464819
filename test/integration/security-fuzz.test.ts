/** Integration: hostile messages to every RPC of a live mTLS coordinator while two banks finish their job; a per-member rate limit; no key material in any log line. */
import * as grpc from '@grpc/grpc-js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.js';
import { loadProtos } from '../../proto/loader.js';
import { FakeBank } from '../helpers/fake-bank.js';
import { jobSpec, submitJob, tempDir, waitForJobEnd, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { fuzzCoordinator } from '../helpers/live-fuzzer.js';
import { provisionTestFederation, startSecureCoordinator, type TestFederation } from '../helpers/secure-federation.js';

/** The fuzz count: small in the default suite; security-fuzz.slow.test.ts sends 10,000. */
export const FUZZ_COUNT = Number(process.env['FEDFIN_LIVE_FUZZ'] ?? 400);

/** Every private key in a federation folder, as the strings that would betray it in a log: PEM body lines and raw hex. */
export function keyMaterial(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.key$/.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        const body = text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
        out.push(body.slice(-40), Buffer.from(body, 'base64').subarray(-32).toString('hex'));
      }
    }
  };
  walk(root);
  return out;
}

/** Runs the scenario: returns the fuzz report, the job's final record and its rounds. */
export function describeLiveFuzz(count: number): void {
  describe(`${count} fuzzed messages against a live coordinator`, () => {
    let fed: TestFederation;
    let coord: RunningCoordinator;
    let dir: { dir: string; cleanup: () => void };
    const logs: string[] = [];
    beforeAll(async () => {
      fed = await provisionTestFederation({ members: ['bank-a', 'bank-b', 'bank-z'] });
      dir = tempDir();
      const logger = createLogger({ level: 'debug', json: true, write: (l) => void logs.push(l) });
      coord = await startSecureCoordinator(fed, dir.dir, { logger, rateLimit: { capacity: 1e6, refillPerSecond: 1e6 } });
    });
    afterAll(async () => {
      await coord?.stop();
      dir?.cleanup();
      fed?.cleanup();
    });

    it('answers every message with a clean status while the other banks complete their job, and logs no key material', async () => {
      const banks = ['bank-a', 'bank-b'].map((id) => new FakeBank({ address: coord.address, memberId: id, credentials: fed.credentials(id), numFeatures: 5 }));
      await Promise.all(banks.map((b) => b.start()));
      const job = await submitJob(coord.admin, jobSpec({ minBanks: 2, rounds: 3 }));
      const report = await fuzzCoordinator({
        address: coord.address,
        member: { credentials: fed.credentials('bank-z'), id: 'bank-z' },
        admin: fed.credentials('ops-admin'),
        count,
        victimInstructionIds: () => banks.flatMap((b) => b.offers.map((o) => o.instructionId)),
      });
      const final = await waitForJobEnd(coord.store, job.job_id, 60_000);
      await Promise.all(banks.map((b) => b.stop()));
      if (process.env['FEDFIN_TEST_LOG']) console.log(Object.fromEntries([...report.codes].map(([c, n]) => [grpc.status[c], n])));
      expect(report.sent).toBe(count);
      expect(report.crashes).toEqual([]);
      expect(report.codes.get(grpc.status.UNKNOWN) ?? 0).toBe(0);
      expect(final.status).toBe('completed');
      for (const r of await coord.store.listRounds(job.job_id)) expect([...r.participants].sort()).toEqual(['bank-a', 'bank-b']);
      // Still serving.
      const jobs = await new Promise<unknown>((resolve, reject) => coord.admin.ListJobs({}, { deadline: Date.now() + 3000 }, (e, r) => (e ? reject(e) : resolve(r))));
      expect(jobs).toBeDefined();

      const secrets = keyMaterial(fed.root);
      expect(secrets.length).toBeGreaterThan(8);
      const text = logs.join('\n');
      expect(text).not.toContain('PRIVATE KEY');
      for (const s of secrets) expect(text).not.toContain(s);
      const audit = JSON.stringify(await coord.store.listAudit());
      for (const s of secrets) expect(audit).not.toContain(s);
    });
  });
}

describeLiveFuzz(FUZZ_COUNT);

describe('per-member rate limit', () => {
  let fed: TestFederation;
  let coord: RunningCoordinator;
  let dir: { dir: string; cleanup: () => void };
  beforeAll(async () => {
    fed = await provisionTestFederation({ members: ['bank-a', 'bank-b'], admins: [{ id: 'ops-admin', role: 'admin' }] });
    dir = tempDir();
    coord = await startSecureCoordinator(fed, dir.dir, { rateLimit: { capacity: 20, refillPerSecond: 5 } });
  });
  afterAll(async () => {
    await coord?.stop();
    dir?.cleanup();
    fed?.cleanup();
  });

  it('answers a flooding member with RESOURCE_EXHAUSTED while another member is still served', async () => {
    const { fleet } = loadProtos();
    const flood = new fleet.fedfin.v1.Fleet(coord.address, fed.credentials('bank-a'));
    const codes = await Promise.all(
      Array.from({ length: 60 }, () => new Promise<number>((resolve) => flood.Heartbeat({ session_id: 'x', working_on: '' }, { deadline: Date.now() + 5000 }, (e) => resolve(e ? e.code : 0)))),
    );
    flood.close();
    expect(codes.filter((c) => c === grpc.status.RESOURCE_EXHAUSTED).length).toBeGreaterThanOrEqual(30);
    const other = new FakeBank({ address: coord.address, memberId: 'bank-b', credentials: fed.credentials('bank-b') });
    await expect(other.join()).resolves.toMatch(/^[0-9a-f]{32}$/);
    other.client.close();
    expect((await coord.store.listAudit()).some((e) => e.type === 'rate-limited' && e.actor === 'bank-a')).toBe(true);
  });
});
