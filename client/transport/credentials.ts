/** The ONE place channel credentials are built: mutual TLS from a participant kit, or plaintext on loopback when asked. */
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { loadKit } from '../../security/kit.js';

/** What kind of channel to open: mTLS with a kit (the default for real deployments) or plaintext (`--insecure`). */
export type LinkSecurity = { readonly mode: 'insecure' } | { readonly mode: 'mtls'; readonly kitDir: string };

/** Hosts plaintext may be used with. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The host part of `host:port` (brackets kept for IPv6). */
export function hostOf(address: string): string {
  const i = address.lastIndexOf(':');
  return i > 0 ? address.slice(0, i) : address;
}

/**
 * Refuses plaintext towards anything but loopback.
 * @throws UsageError naming the address.
 */
export function assertInsecureAllowed(address: string, what = 'coordinator'): void {
  if (!LOOPBACK_HOSTS.has(hostOf(address))) {
    throw new UsageError(`refusing plaintext gRPC to the ${what} at ${address}: --insecure is for loopback only (127.0.0.1, localhost, ::1); use a provisioned kit for mutual TLS`);
  }
}

/**
 * Channel credentials. `mtls` reads the kit now (key-file hygiene, certificate chain and validity are checked by
 * loadKit) and authenticates the coordinator by the federation CA and its certificate's SAN.
 * @throws FileError / KeyFileInsecureError / FedfinError('key-invalid') from loadKit.
 */
export function channelCredentials(security: LinkSecurity = { mode: 'insecure' }): ChannelCredentials {
  switch (security.mode) {
    case 'insecure':
      return credentials.createInsecure();
    case 'mtls': {
      const kit = loadKit(security.kitDir);
      return credentials.createSsl(Buffer.from(kit.caPem), Buffer.from(kit.keyPem), Buffer.from(kit.certPem));
    }
  }
}

/**
 * A token that changes whenever the kit is rotated (kit.json is swapped last, so its mtime and size mark a new
 * certificate); '' for insecure links. Clients compare it before opening calls and rebuild their channel on change.
 */
export function credentialsStamp(security: LinkSecurity | undefined): string {
  if (!security || security.mode === 'insecure') return '';
  try {
    const s = statSync(join(security.kitDir, 'kit.json'));
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}
