/** Kits work for mutual TLS as is: a real node:tls handshake on localhost with the coordinator and member kits. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederationCa } from './ca.js';
import { describeCertificate, issueMemberCertificate } from './certificates.js';
import { loadKit, type LoadedKit } from './kit.js';
import { LAYOUT, provisionFederation } from './provision.js';
import type { KeyType } from './x509-support.js';

/** Connects with a client certificate; resolves with the CN the server saw, or rejects with the TLS error. */
function handshake(port: number, caPem: string, client: { certPem: string; keyPem: string }, servername = 'localhost'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', servername, ca: caPem, cert: client.certPem, key: client.keyPem }, () => {
      socket.once('data', (d) => {
        socket.end();
        resolve(d.toString());
      });
    });
    socket.once('error', reject);
    // TLS 1.3: the client finishes its side before the server checks the client certificate, so a refusal shows up
    // as an alert (error) or a close without data.
    socket.once('close', () => reject(new Error('connection closed by the server without a response')));
  });
}

describe.each<KeyType>(['ecdsa-p256', 'ed25519'])('tls handshake with kits (%s)', (keyType) => {
  let root: string;
  let server: Server;
  let port: number;
  let coordinator: LoadedKit;
  let bank: LoadedKit;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fedfin-tls-'));
    await provisionFederation({ federation: 'tls-fed', members: ['bank-a'], admins: [], coordinatorHost: 'coord.test', outDir: root, keyType, validityDays: 5 });
    coordinator = loadKit(join(root, LAYOUT.kit('coordinator')));
    bank = loadKit(join(root, LAYOUT.kit('bank-a')));
    server = createServer({ cert: coordinator.certPem, key: coordinator.keyPem, ca: coordinator.caPem, requestCert: true, rejectUnauthorized: false }, (s: TLSSocket) => {
      // Like the coordinator will: an unauthorised peer gets a refusal (UNAUTHENTICATED + audit entry) instead of a
      // silent drop; an authorised one is mapped to a member by CN → id, OU → role.
      if (!s.authorized) s.end(`refused: ${String(s.authorizationError)}`);
      else s.end(describeCertificate(s.getPeerX509Certificate()!.toString()).id);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('authenticates both sides and names the member, when the bank dials with its kit', async () => {
    await expect(handshake(port, bank.caPem, bank)).resolves.toBe('bank-a');
  });

  it('refuses the peer with the TLS verification error, when the client certificate comes from a foreign CA', async () => {
    const foreign = await createFederationCa({ federation: 'tls-fed', keyType });
    const intruder = await issueMemberCertificate(foreign, 'bank-a');
    const answer = await handshake(port, bank.caPem, intruder);
    expect(answer).toMatch(/^refused: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT)/);
  });

  it('refuses the server, when the client dials a name outside the server certificate', async () => {
    await expect(handshake(port, bank.caPem, bank, 'evil.example')).rejects.toThrow(/altnames|Hostname/i);
  });
});
