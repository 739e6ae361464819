/** Integration: every Admin RPC × every certificate role over real mutual TLS — allowed roles get past the guard, others get PERMISSION_DENIED and an audit entry. */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_RPC_ROLES } from '../../coordinator/transport/call-guard.js';
import { loadProtos } from '../../proto/loader.js';
import type { AdminClient } from '../../proto/generated/fedfin/v1/Admin.js';
import { tempDir, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { adminClientFor, provisionTestFederation, startSecureCoordinator, type TestFederation } from '../helpers/secure-federation.js';

/** Calls one RPC with a harmless request (an unknown job, an invalid spec) and resolves with the status code. */
function callRpc(client: AdminClient, rpc: string): Promise<grpc.status> {
  const deadline = Date.now() + 5000;
  const unary = (fn: (cb: (err: grpc.ServiceError | null) => void) => void) => new Promise<grpc.status>((resolve) => fn((err) => resolve(err ? err.code : grpc.status.OK)));
  const stream = (call: grpc.ClientReadableStream<unknown>) =>
    new Promise<grpc.status>((resolve) => {
      call.on('data', () => undefined);
      call.on('error', (err: grpc.ServiceError) => resolve(err.code));
      call.on('end', () => resolve(grpc.status.OK));
    });
  const c = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  switch (rpc) {
    case 'SubmitJob':
      return unary((cb) => c[rpc]!({ spec_json: '{}' }, { deadline }, cb));
    case 'WatchJob':
    case 'ExportModel':
      return stream(c[rpc]!({ job_id: 'job-none' }, { deadline }) as grpc.ClientReadableStream<unknown>);
    default:
      return unary((cb) => c[rpc]!({ job_id: 'job-none' }, { deadline }, cb));
  }
}

const CALLERS = ['ops-admin', 'ops-op', 'ops-view', 'bank-a'] as const;
const ROLE: Record<(typeof CALLERS)[number], string> = { 'ops-admin': 'admin', 'ops-op': 'operator', 'ops-view': 'viewer', 'bank-a': 'member' };

describe('admin roles per RPC over mutual TLS', () => {
  let fed: TestFederation;
  let coord: RunningCoordinator;
  let dir: { dir: string; cleanup: () => void };
  const clients = new Map<string, AdminClient>();
  beforeAll(async () => {
    fed = await provisionTestFederation({ members: ['bank-a'] });
    dir = tempDir();
    coord = await startSecureCoordinator(fed, dir.dir);
    for (const id of CALLERS) clients.set(id, adminClientFor(fed, coord.address, id));
  });
  afterAll(async () => {
    for (const c of clients.values()) c.close();
    await coord?.stop();
    dir?.cleanup();
    fed?.cleanup();
  });

  it('covers every RPC of the Admin service in the role table', () => {
    const rpcs = Object.keys(loadProtos().admin.fedfin.v1.Admin.service);
    expect([...rpcs].sort()).toEqual(Object.keys(ADMIN_RPC_ROLES).sort());
  });

  const cases = Object.entries(ADMIN_RPC_ROLES).flatMap(([rpc, roles]) => CALLERS.map((id) => ({ rpc, id, allowed: (roles as readonly string[]).includes(ROLE[id]) })));
  it.each(cases)('$rpc by $id: allowed=$allowed', async ({ rpc, id, allowed }) => {
    const code = await callRpc(clients.get(id)!, rpc);
    if (allowed) {
      expect(code).not.toBe(grpc.status.PERMISSION_DENIED);
      expect(code).not.toBe(grpc.status.UNAUTHENTICATED);
    } else {
      expect(code).toBe(grpc.status.PERMISSION_DENIED);
      const audit = await coord.store.listAudit();
      expect(audit.some((e) => e.type === 'permission-denied' && e.actor === id && (e.detail as { rpc?: string }).rpc === `Admin.${rpc}`)).toBe(true);
    }
  });

  it('refuses an admin certificate on the Fleet service', async () => {
    const { fleet } = loadProtos();
    const client = new fleet.fedfin.v1.Fleet(coord.address, fed.credentials('ops-admin'));
    const code = await new Promise<grpc.status>((resolve) =>
      client.Join({ member_id: 'ops-admin', accepted_tasks: [], tf_backend: 'cpu', software_version: 't' }, { deadline: Date.now() + 5000 }, (err) => resolve(err ? err.code : grpc.status.OK)),
    );
    client.close();
    expect(code).toBe(grpc.status.PERMISSION_DENIED);
  });
});
