/** Integration: hostile messages to every RPC of a live mTLS coordinator while two banks finish their job; a per-member rate limit; no key material in any log line. */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtos } from '../../proto/loader.js';
import { FakeBank } from '../helpers/fake-bank.js';
import { tempDir, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { describeLiveFuzz } from '../helpers/live-fuzz-suite.js';
import { provisionTestFederation, startSecureCoordinator, type TestFederation } from '../helpers/secure-federation.js';

// 400 here (a few seconds); security-fuzz.slow.test.ts sends 10,000.
describeLiveFuzz(Number(process.env['FEDFIN_LIVE_FUZZ'] ?? 400));

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
      Array.from({ length: 60 }, () => new Promise<grpc.status>((resolve) => flood.Heartbeat({ session_id: 'x', working_on: '' }, { deadline: Date.now() + 5000 }, (e) => resolve(e ? e.code : grpc.status.OK)))),
    );
    flood.close();
    expect(codes.filter((c) => c === grpc.status.RESOURCE_EXHAUSTED).length).toBeGreaterThanOrEqual(30);
    const other = new FakeBank({ address: coord.address, memberId: 'bank-b', credentials: fed.credentials('bank-b') });
    await expect(other.join()).resolves.toMatch(/^[0-9a-f]{32}$/);
    other.client.close();
    expect((await coord.store.listAudit()).some((e) => e.type === 'rate-limited' && e.actor === 'bank-a')).toBe(true);
  });
});
