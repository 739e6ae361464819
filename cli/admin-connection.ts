/** Where and how `fedfin admin` connects: the coordinator address and mutual-TLS credentials from an admin kit. */
import type * as grpc from '@grpc/grpc-js';
import { assertInsecureAllowed, channelCredentials } from '../client/transport/credentials.js';
import { UsageError } from '../common/errors.js';
import { loadKit } from '../security/kit.js';
import { DEFAULT_COORDINATOR } from './admin-client.js';

const ADDRESS = /^[^\s:/]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/** The `admin` group's connection flags. */
export interface ConnectionFlags {
  coordinator?: string;
  kit?: string;
  insecure?: boolean;
}

/** A resolved connection. `actor` is the admin id of the kit ('' when insecure). */
export interface AdminConnection {
  readonly address: string;
  readonly credentials: grpc.ChannelCredentials;
  readonly actor: string;
  /** The coordinator's audit public key file from the admin kit, when it has one. */
  readonly auditPublicKeyFile: string | undefined;
}

/**
 * Resolves the connection: `--kit DIR` (or env FEDFIN_ADMIN_KIT) for mutual TLS with an admin kit, whose
 * coordinator address is the default; `--insecure` for plaintext, loopback only. One of the two is required.
 * @throws UsageError for a bad address, both or neither flag, a non-admin kit or plaintext to a remote host.
 */
export function adminConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): AdminConnection {
  const kitDir = flags.kit ?? env['FEDFIN_ADMIN_KIT'];
  if (kitDir && flags.insecure) throw new UsageError('--kit and --insecure exclude each other');
  if (!kitDir && !flags.insecure) throw new UsageError('no admin kit: pass --kit DIR (an admin kit from `fedfin provision`; env FEDFIN_ADMIN_KIT) or --insecure for a plaintext loopback coordinator');
  const kit = kitDir ? loadKit(kitDir) : undefined;
  if (kit && kit.kind !== 'admin') throw new UsageError(`kit ${kitDir} is a ${kit.kind} kit (${kit.id}); \`fedfin admin\` needs an admin kit`);
  const address = flags.coordinator ?? env['FEDFIN_COORDINATOR'] ?? kit?.coordinatorAddress ?? DEFAULT_COORDINATOR;
  if (!ADDRESS.test(address)) throw new UsageError(`--coordinator expects host:port, e.g. ${DEFAULT_COORDINATOR}, got ${JSON.stringify(address)}`);
  if (!kit) {
    assertInsecureAllowed(address);
    return { address, credentials: channelCredentials({ mode: 'insecure' }), actor: '', auditPublicKeyFile: undefined };
  }
  return { address, credentials: channelCredentials({ mode: 'mtls', kitDir: kit.dir }), actor: kit.id, auditPublicKeyFile: kit.auditPublicKeyFile };
}
