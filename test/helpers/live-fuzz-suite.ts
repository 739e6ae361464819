/** Test helper: the live fuzz scenario (hostile messages to every RPC while two banks finish a job) and the key-material log scan, shared by the default and slow suites. */
import * as grpc from '@grpc/grpc-js';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.js';
import { FakeBank } from './fake-bank.js';
import { jobSpec, submitJob, tempDir, waitForJobEnd, type RunningCoordinator } from './coordinator-harness.js';
import { fuzzCoordinator } from './live-fuzzer.js';
import { provisionTestFederation, startSecureCoordinator, type TestFederation } from './secure-federation.js';

/** Every private key in a federation folder, as the strings that would betray it in a log: PEM body lines and raw hex. */
export function keyMaterial(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.key$/.test(e.name)) {
        const raw = readFileSync(p);
        const text = raw.toString('utf8');
        if (!text.includes('PRIVATE KEY')) {
          // A raw secret (the pseudonymisation key): its hex and base64.
          out.push(raw.toString('hex'), raw.toString('base64').slice(0, 40));
          continue;
        }
        // PEM: a line of its body, and the private scalar/seed itself as hex.
        out.push(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '').slice(-40));
        const d = createPrivateKey(text).export({ format: 'jwk' }).d;
        if (d) out.push(Buffer.from(d, 'base64url').toString('hex'));
      }
    }
  };
  walk(root);
  return out;
}

/** Registers the scenario with `count` fuzzed messages. */
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

    it('answers every message with a clean status while the other banks complete their job, and logs no key material', { timeout: 60_000 + count * 20 }, async () => {
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

