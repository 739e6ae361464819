/** Mutual-TLS server credentials built from the coordinator kit, swapped in place when the kit's certificate rotates. */
import * as grpc from '@grpc/grpc-js';
import type { TLSSocket } from 'node:tls';
import type { FederationTrust } from '../../security/federation-trust.js';

/**
 * Server credentials whose secure context follows {@link FederationTrust}: `reload()` hands grpc-js a new context
 * (it calls `setSecureContext` on its listening servers), so new connections use a rotated certificate or CA without
 * a restart. Open connections keep the context they were established with.
 *
 * The TLS layer requests a client certificate but does not reject on verification failure (`rejectUnauthorized:
 * false`): a foreign-CA, expired or missing certificate completes the handshake unauthorised, and the call guard
 * (call-guard.ts) answers every RPC on it with UNAUTHENTICATED and an audit entry. A peer never gets past the guard
 * without a certificate that the CA verified (grpc-js exposes only verified peer certificates to handlers).
 */
export class KitServerCredentials extends grpc.ServerCredentials {
  constructor(private readonly trust: FederationTrust) {
    super({ requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, KitServerCredentials.context(trust));
  }

  private static context(trust: FederationTrust): { ca: Buffer; cert: Buffer; key: Buffer } {
    const t = trust.tls;
    return { ca: Buffer.from(t.caPem), cert: Buffer.from(t.certPem), key: Buffer.from(t.keyPem) };
  }

  /** Re-reads the kit if its files changed; pushes a new secure context when the TLS material changed. */
  reload(force = false): boolean {
    const changed = this.trust.refresh(force);
    if (changed) this.updateSecureContextOptions(KitServerCredentials.context(this.trust));
    return changed;
  }

  override _equals(other: grpc.ServerCredentials): boolean {
    return other === this;
  }
}

/** What the TLS layer said about the peer of a call, best effort (reads grpc-js internals; undefined when it cannot). */
export function tlsPeerDiagnostics(call: object): { authorizationError?: string; subject?: string } | undefined {
  const socket = (call as { call?: { stream?: { session?: { socket?: unknown } } } }).call?.stream?.session?.socket as TLSSocket | undefined;
  if (!socket || typeof socket.getPeerCertificate !== 'function') return undefined;
  try {
    const cert = socket.getPeerCertificate();
    const cn = cert?.subject?.CN;
    const ou = cert?.subject?.OU;
    const err = socket.authorizationError;
    return {
      ...(err ? { authorizationError: String(err instanceof Error ? (err as NodeJS.ErrnoException).code ?? err.message : err) } : {}),
      ...(cn ? { subject: `CN=${String(cn)}${ou ? `, OU=${String(ou)}` : ''}${cert.issuer?.CN ? `, issuer CN=${String(cert.issuer.CN)}` : ''}` } : {}),
    };
  } catch {
    return undefined;
  }
}
