/** Test helper: one provisioned federation per test file (P-256, fast) and an in-process coordinator serving it over mutual TLS. */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelCredentials } from '../../client/transport/credentials.js';
import { createLogger, silentLogger, type Logger } from '../../common/log.js';
import { Coordinator } from '../../coordinator/coordinator.js';
import { openSqliteStore } from '../../coordinator/store/sqlite-store.js';
import { loadProtos } from '../../proto/loader.js';
import type { AdminClient } from '../../proto/generated/fedfin/v1/Admin.js';
import type { FederationTrust } from '../../security/federation-trust.js';
import { LAYOUT, provisionFederation } from '../../security/provision.js';
import type { RunningCoordinator } from './coordinator-harness.js';

/** A provisioned federation in a temp folder. */
export interface TestFederation {
  readonly root: string;
  readonly name: string;
  /** The kit folder of a participant (`coordinator`, a member or an admin). */
  kit(id: string): string;
  /** mTLS channel credentials from a participant's kit (read now: after a rotation, call again). */
  credentials(id: string): grpc.ChannelCredentials;
  /** Removes the folder. */
  cleanup(): void;
}

/** Options of {@link provisionTestFederation}. */
export interface TestFederationOptions {
  readonly members?: readonly string[];
  /** @default admin `ops-admin`, operator `ops-op`, viewer `ops-view` */
  readonly admins?: readonly { id: string; role: 'admin' | 'operator' | 'viewer' }[];
  readonly name?: string;
}

/**
 * Provisions a federation (members bank-a..bank-c by default and one admin of each role) into a temp folder.
 * Call it once per file in beforeAll: P-256 provisioning of a handful of participants takes well under a second.
 */
export async function provisionTestFederation(options: TestFederationOptions = {}): Promise<TestFederation> {
  const root = mkdtempSync(join(tmpdir(), 'fedfin-fed-'));
  const name = options.name ?? 'test-fed';
  await provisionFederation({
    federation: name,
    members: [...(options.members ?? ['bank-a', 'bank-b', 'bank-c'])],
    admins: [...(options.admins ?? [{ id: 'ops-admin', role: 'admin' }, { id: 'ops-op', role: 'operator' }, { id: 'ops-view', role: 'viewer' }])],
    coordinatorHost: 'localhost',
    outDir: root,
    validityDays: 30,
  });
  return {
    root,
    name,
    kit: (id) => join(root, LAYOUT.kit(id)),
    credentials: (id) => channelCredentials({ mode: 'mtls', kitDir: join(root, LAYOUT.kit(id)) }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Options of {@link startSecureCoordinator}. */
export interface SecureCoordinatorOptions {
  readonly port?: number;
  readonly livenessMs?: number;
  /** Whose kit the returned `admin` client uses. @default 'ops-admin' */
  readonly adminId?: string;
  readonly logger?: Logger;
  readonly rateLimit?: { capacity: number; refillPerSecond: number };
  /** A FederationTrust over the coordinator kit with test options (e.g. no grace for superseded certificates). */
  readonly trust?: FederationTrust;
}

/** Starts a Coordinator with the federation's coordinator kit (mutual TLS), short liveness settings and an admin client. */
export async function startSecureCoordinator(fed: TestFederation, dataDir: string, options: SecureCoordinatorOptions = {}): Promise<RunningCoordinator> {
  const store = openSqliteStore(dataDir);
  const logger = options.logger ?? (process.env['FEDFIN_TEST_LOG'] ? createLogger({ level: 'debug' }) : silentLogger);
  const coordinator = new Coordinator({
    store,
    logger,
    address: `127.0.0.1:${options.port ?? 0}`,
    kit: options.trust ?? fed.kit('coordinator'),
    heartbeatIntervalMs: 150,
    livenessMs: options.livenessMs ?? 2500,
    maxWaitMs: 500,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const bound = await coordinator.start();
  const address = `127.0.0.1:${bound}`;
  const { admin } = loadProtos();
  const client = new admin.fedfin.v1.Admin(address, fed.credentials(options.adminId ?? 'ops-admin')) as unknown as AdminClient;
  let stopped = false;
  return {
    coordinator,
    store,
    address,
    admin: client,
    async stop() {
      if (stopped) return;
      stopped = true;
      client.close();
      await coordinator.stop(500);
      await store.close();
    },
  };
}

/** An Admin client with a participant's kit. */
export function adminClientFor(fed: TestFederation, address: string, id: string): AdminClient {
  return new (loadProtos().admin.fedfin.v1.Admin)(address, fed.credentials(id)) as unknown as AdminClient;
}
