/** The coordinator's view of who may connect: its kit's CA, roster and revocation list, reloaded when the files change. */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FedfinError } from '../common/errors.js';
import { describeCertificate, verifyCertificate, type AdminRole, type CertificateIdentity } from './certificates.js';
import { readManifest, type FederationManifest } from './federation-manifest.js';
import { loadKit, type LoadedKit } from './kit.js';
import { findRevocation, verifyRevocationList, type RevocationList } from './revocation.js';
import { toPem } from './x509-support.js';

/** Who an authenticated peer is: a member bank or an admin with a role. */
export type Principal =
  | { readonly kind: 'member'; readonly id: string; readonly role: 'member'; readonly serial: string }
  | { readonly kind: 'admin'; readonly id: string; readonly role: AdminRole; readonly serial: string };

/** Why a peer certificate is refused (stable codes, used in audit entries). */
export type RefusalReason = 'no-certificate' | 'foreign-ca' | 'expired' | 'not-yet-valid' | 'wrong-federation' | 'unknown-participant' | 'revoked' | 'role-mismatch' | 'malformed';

/** The outcome of {@link FederationTrust.authenticate}. `subject` names the certificate (never key material). */
export type PeerCheck = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: RefusalReason; readonly message: string; readonly subject?: string };

/** Options of {@link FederationTrust}. */
export interface FederationTrustOptions {
  /** A certificate replaced by rotation (`superseded`) is still accepted this long after its rotation. @default 300000 */
  readonly supersededGraceMs?: number;
  /** The kit files are re-checked (stat) at most this often. @default 1000 */
  readonly recheckMs?: number;
  /** Clock (tests). */
  readonly now?: () => Date;
}

/** What a reload brought: newly enrolled participants, new revocation entries, rotated certificates. */
export interface TrustChange {
  readonly enrolled: readonly { readonly id: string; readonly kind: 'member' | 'admin'; readonly role: string; readonly serial: string }[];
  readonly revoked: readonly RevocationList['revoked'][number][];
  readonly rotated: readonly { readonly id: string; readonly serial: string; readonly previousSerial: string }[];
  readonly revocationVersion: number;
}

function diff(before: State, after: State): TrustChange {
  const entries = (m: FederationManifest) => [
    { id: 'coordinator', kind: 'coordinator' as const, role: 'coordinator', serial: m.coordinator.serial },
    ...m.members.map((e) => ({ id: e.id, kind: 'member' as const, role: 'member', serial: e.serial })),
    ...m.admins.map((e) => ({ id: e.id, kind: 'admin' as const, role: e.role as string, serial: e.serial })),
  ];
  const old = new Map(entries(before.roster).map((e) => [e.id, e]));
  const enrolled: TrustChange['enrolled'][number][] = [];
  const rotated: TrustChange['rotated'][number][] = [];
  for (const e of entries(after.roster)) {
    const o = old.get(e.id);
    if (!o && e.kind !== 'coordinator') enrolled.push({ id: e.id, kind: e.kind, role: e.role, serial: e.serial });
    else if (o && o.serial !== e.serial) rotated.push({ id: e.id, serial: e.serial, previousSerial: o.serial });
  }
  return { enrolled, rotated, revoked: after.revocations.revoked.slice(before.revocations.revoked.length), revocationVersion: after.revocations.version };
}

interface State {
  readonly kit: LoadedKit;
  readonly roster: FederationManifest;
  readonly revocations: RevocationList;
  readonly stamp: string;
}

/**
 * Loads the coordinator kit (`kits/coordinator`: kit.json, its TLS pair, ca.crt, federation.json, revocations.json) and
 * answers, per connection, which participant a client certificate belongs to. `refresh()` reloads changed files: a
 * rotated server certificate, new members, a new revocation list (never an older version: rollback refused).
 */
export class FederationTrust {
  private state: State;
  private readonly parsed = new Map<string, CertificateIdentity | RefusalReason>();
  private lastCheck = 0;
  private readonly listeners: ((change: TrustChange) => void)[] = [];
  private readonly now: () => Date;

  /**
   * @param kitDir the coordinator's kit folder.
   * @throws FileError / ConfigError / KeyFileInsecureError / FedfinError when the kit is incomplete or not a coordinator kit.
   */
  constructor(readonly kitDir: string, private readonly options: FederationTrustOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.state = this.load(0);
  }

  private stamp(): string {
    const k = readKitFiles(this.kitDir);
    return k.map((p) => {
      try {
        const s = statSync(p);
        return `${p}:${s.mtimeMs}:${s.size}`;
      } catch {
        return `${p}:missing`;
      }
    }).join('|');
  }

  private load(minVersion: number): State {
    const stamp = this.stamp();
    const kit = loadKit(this.kitDir, this.now());
    if (kit.kind !== 'coordinator' || !kit.federationFile || !kit.revocationsFile) {
      throw new FedfinError('key-invalid', `${this.kitDir}: not a coordinator kit (kit.json names ${kit.kind} ${kit.id}; a coordinator kit lists federation.json and revocations.json)`);
    }
    const roster = readManifest(kit.federationFile);
    const revocations = verifyRevocationList(JSON.parse(readFileSync(kit.revocationsFile, 'utf8')) as unknown, kit.caPem, minVersion, kit.revocationsFile);
    return { kit, roster, revocations, stamp };
  }

  /**
   * Reloads the kit when one of its files changed (checked at most every `recheckMs`, or now with `force`).
   * A broken or older state is refused and the current one kept.
   * @returns true when the TLS material (CA, certificate, key) changed.
   * @throws the load error when `force` is set and the new state is refused.
   */
  refresh(force = false): boolean {
    const t = Date.now();
    if (!force && t - this.lastCheck < (this.options.recheckMs ?? 1000)) return false;
    this.lastCheck = t;
    if (this.stamp() === this.state.stamp) return false;
    const previous = this.state;
    const before = previous.kit;
    try {
      this.state = this.load(this.state.revocations.version);
    } catch (err) {
      if (force) throw err;
      return false;
    }
    const change = diff(previous, this.state);
    if (change.enrolled.length + change.revoked.length + change.rotated.length > 0) for (const l of this.listeners) l(change);
    const k = this.state.kit;
    if (k.caPem !== before.caPem) this.parsed.clear();
    return k.caPem !== before.caPem || k.certPem !== before.certPem;
  }

  /** Calls `listener` after every reload with what changed (the coordinator audits it). */
  onChange(listener: (change: TrustChange) => void): void {
    this.listeners.push(listener);
  }

  /** The server's TLS material (the coordinator certificate, its key and the CA that client certificates must chain to). */
  get tls(): { readonly caPem: string; readonly certPem: string; readonly keyPem: string } {
    const { caPem, certPem, keyPem } = this.state.kit;
    return { caPem, certPem, keyPem };
  }

  /** The loaded kit (audit signing key, federation name). */
  get kit(): LoadedKit {
    return this.state.kit;
  }

  /** The revocation list version in force. */
  get revocationVersion(): number {
    return this.state.revocations.version;
  }

  /**
   * Maps a client certificate (DER, as TLS delivered it) to a member or admin of the roster.
   * Checks: issued by the federation CA, within validity, O= the federation, CN and OU on the roster and active, serial
   * current (or a superseded one within the grace period), not on the revocation list.
   */
  authenticate(der: Uint8Array | undefined): PeerCheck {
    if (!der || der.length === 0) return { ok: false, reason: 'no-certificate', message: 'no client certificate verified by the federation CA (none presented, or issued by another CA)' };
    const fp = createHash('sha256').update(der).digest('hex');
    let who = this.parsed.get(fp);
    if (who === undefined) {
      who = this.parse(der);
      if (this.parsed.size > 10_000) this.parsed.clear();
      this.parsed.set(fp, who);
    }
    if (typeof who === 'string') return { ok: false, reason: who, message: `client certificate ${fp.slice(0, 16)}…: ${who}`, subject: `sha256:${fp.slice(0, 16)}` };
    const subject = `CN=${who.id}, OU=${who.role}, serial ${who.serial}`;
    const refuse = (reason: RefusalReason, message: string): PeerCheck => ({ ok: false, reason, message: `${subject}: ${message}`, subject });
    const now = this.now();
    if (now > who.notAfter) return refuse('expired', `expired at ${who.notAfter.toISOString()}`);
    if (now < who.notBefore) return refuse('not-yet-valid', `not valid before ${who.notBefore.toISOString()}`);
    const { roster, revocations } = this.state;
    if (who.federation !== roster.federation) return refuse('wrong-federation', `issued for federation ${who.federation}, not ${roster.federation}`);
    const entry = who.kind === 'member' ? roster.members.find((m) => m.id === who.id) : who.kind === 'admin' ? roster.admins.find((a) => a.id === who.id) : undefined;
    if (!entry) return refuse('unknown-participant', `no ${who.kind} ${who.id} on the federation roster`);
    if ('role' in entry && entry.role !== who.role) return refuse('role-mismatch', `the roster gives ${who.id} the role ${entry.role}`);
    const revoked = findRevocation(revocations, who);
    if (revoked) {
      const grace = this.options.supersededGraceMs ?? 300_000;
      const inGrace = revoked.reason === 'superseded' && revoked.memberId === undefined && now.getTime() - Date.parse(revoked.revokedAt) <= grace;
      if (!inGrace) return refuse('revoked', `revoked (${revoked.reason}) at ${revoked.revokedAt}`);
    } else if (entry.status === 'revoked') return refuse('revoked', 'marked revoked on the roster');
    if (entry.serial !== who.serial && !entry.previousSerials.includes(who.serial)) return refuse('unknown-participant', `serial not issued to ${who.id} by this federation's provisioning`);
    const principal: Principal = who.kind === 'member' ? { kind: 'member', id: who.id, role: 'member', serial: who.serial } : { kind: 'admin', id: who.id, role: who.role as AdminRole, serial: who.serial };
    return { ok: true, principal };
  }

  private parse(der: Uint8Array): CertificateIdentity | RefusalReason {
    const pem = toPem(der, 'CERTIFICATE');
    try {
      const problem = verifyCertificate(pem, this.state.kit.caPem, this.now());
      if (problem === 'foreign-ca') return 'foreign-ca';
      const who = describeCertificate(pem);
      return who.kind === 'coordinator' ? 'role-mismatch' : who;
    } catch {
      return 'malformed';
    }
  }
}

/** The files whose change triggers a reload: kit.json and what it names. */
function readKitFiles(dir: string): string[] {
  const files = [join(dir, 'kit.json')];
  try {
    const m = JSON.parse(readFileSync(files[0]!, 'utf8')) as { files?: Record<string, string> };
    for (const name of Object.values(m.files ?? {})) files.push(join(dir, name));
  } catch {
    // A missing or unreadable kit.json shows up as a changed stamp; loadKit reports why.
  }
  return files;
}
