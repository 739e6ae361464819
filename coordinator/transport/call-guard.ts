/** Authentication, per-RPC authorisation and per-member rate limits in front of every Fleet and Admin handler. */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../common/log.js';
import type { AdminRole } from '../../security/certificates.js';
import type { FederationTrust, Principal, RefusalReason } from '../../security/federation-trust.js';
import { RpcError, toServiceError } from './status.js';
import { tlsPeerDiagnostics, type KitServerCredentials } from './tls-credentials.js';

/**
 * Which admin roles may call each Admin RPC. An RPC missing from the table is `admin`-only (fail closed), so an RPC
 * added later is never open to operators or viewers by accident. docs/security.md prints this table.
 */
export const ADMIN_RPC_ROLES: Readonly<Record<string, readonly AdminRole[]>> = {
  SubmitJob: ['admin', 'operator'],
  AbortJob: ['admin', 'operator'],
  ListJobs: ['admin', 'operator', 'viewer'],
  GetJob: ['admin', 'operator', 'viewer'],
  WatchJob: ['admin', 'operator', 'viewer'],
  ListMembers: ['admin', 'operator', 'viewer'],
  GetLedger: ['admin', 'operator', 'viewer'],
  TailAudit: ['admin', 'operator', 'viewer'],
  ExportModel: ['admin'],
};

/** The roles allowed to call an Admin RPC. */
export function rolesFor(rpc: string): readonly AdminRole[] {
  return ADMIN_RPC_ROLES[rpc] ?? ['admin'];
}

/** A caller: an authenticated principal, or the single trusted local operator of an `--insecure` loopback coordinator. */
export type Caller = Principal | { readonly kind: 'local'; readonly id: 'admin'; readonly role: 'admin'; readonly serial: '' };

/** One refused call, for the audit log. */
export interface RefusedCall {
  readonly service: string;
  readonly rpc: string;
  readonly reason: RefusalReason | 'permission-denied' | 'rate-limited';
  readonly message: string;
  /** `ip:port` of the peer. */
  readonly peer: string;
  readonly subject?: string;
  readonly caller?: string;
}

/** Options of {@link CallGuard}. Without `trust` the guard runs in insecure mode (loopback only, see cli/coordinator.ts). */
export interface CallGuardOptions {
  readonly trust?: FederationTrust;
  readonly credentials?: KitServerCredentials;
  readonly logger: Logger;
  /** Called once per distinct refusal per minute (a flood of refused calls is one audit entry, plus counts in the log). */
  readonly onRefused: (event: RefusedCall) => void;
  /** Token bucket per member on Fleet RPCs. @default { capacity: 400, refillPerSecond: 200 } */
  readonly rateLimit?: { readonly capacity: number; readonly refillPerSecond: number };
}

const LOCAL: Caller = { kind: 'local', id: 'admin', role: 'admin', serial: '' };

/** Wraps service handlers so that no handler runs before its caller is authenticated and authorised. */
export class CallGuard {
  private readonly callers = new WeakMap<object, Caller>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly recent = new Map<string, number>();

  constructor(private readonly options: CallGuardOptions) {}

  /** The caller a guarded handler runs for; undefined on an insecure Fleet call (no certificate to bind to). */
  callerOf(call: object): Caller | undefined {
    return this.callers.get(call);
  }

  /** The member id a Fleet call is authenticated as (undefined in insecure mode, where Join's member_id is trusted). */
  memberOf(call: object): string | undefined {
    const c = this.callers.get(call);
    return c?.kind === 'member' ? c.id : undefined;
  }

  /** Checks one call; throws RpcError (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED). */
  check(call: Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext' | 'getPeer'>, service: 'Fleet' | 'Admin', rpc: string): Caller | undefined {
    const { trust, credentials } = this.options;
    if (!trust) return service === 'Admin' ? LOCAL : undefined;
    credentials?.reload();
    const auth = call.getAuthContext();
    const result = trust.authenticate(auth.sslPeerCertificate?.raw);
    if (!result.ok) {
      const diag = result.reason === 'no-certificate' ? tlsPeerDiagnostics(call) : undefined;
      const message = diag?.authorizationError ? `client certificate refused by TLS verification (${diag.authorizationError})` : result.message;
      const subject = diag?.subject ?? result.subject;
      this.refuse({ service, rpc, reason: result.reason, message, peer: call.getPeer(), ...(subject ? { subject } : {}) });
      throw new RpcError(grpc.status.UNAUTHENTICATED, message);
    }
    const p = result.principal;
    if (service === 'Fleet' && p.kind !== 'member') {
      this.refuse({ service, rpc, reason: 'permission-denied', message: `${p.role} ${p.id} called the Fleet service`, peer: call.getPeer(), caller: p.id });
      throw new RpcError(grpc.status.PERMISSION_DENIED, `${p.id} holds an admin certificate (${p.role}); the Fleet service serves member banks only`);
    }
    if (service === 'Admin') {
      const allowed = p.kind === 'admin' ? rolesFor(rpc) : [];
      if (p.kind !== 'admin' || !allowed.includes(p.role)) {
        this.refuse({ service, rpc, reason: 'permission-denied', message: `${p.role} ${p.id} may not call ${rpc}`, peer: call.getPeer(), caller: p.id });
        throw new RpcError(grpc.status.PERMISSION_DENIED, `${p.id} (${p.role}) may not call ${rpc}: it needs the role ${allowed.length > 0 ? allowed.join(' or ') : 'admin'}`);
      }
    }
    if (service === 'Fleet' && !this.take(p.id)) {
      this.refuse({ service, rpc, reason: 'rate-limited', message: `member ${p.id} exceeded its call rate`, peer: call.getPeer(), caller: p.id });
      throw new RpcError(grpc.status.RESOURCE_EXHAUSTED, 'too many calls: slow down and retry');
    }
    this.callers.set(call, p);
    return p;
  }

  private take(id: string): boolean {
    const { capacity, refillPerSecond } = this.options.rateLimit ?? { capacity: 400, refillPerSecond: 200 };
    const t = Date.now();
    const b = this.buckets.get(id) ?? { tokens: capacity, at: t };
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * refillPerSecond);
    b.at = t;
    this.buckets.set(id, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private refuse(event: RefusedCall): void {
    const key = `${event.service}.${event.rpc}|${event.reason}|${event.subject ?? event.caller ?? ''}`;
    const t = Date.now();
    const last = this.recent.get(key);
    const fields = { rpc: `${event.service}.${event.rpc}`, reason: event.reason, peer: event.peer, subject: event.subject ?? event.caller ?? '' };
    // A flood of the same refusal is one warning (and one audit entry) a minute; the rest go to debug.
    if (last !== undefined && t - last < 60_000) {
      this.options.logger.debug('call refused', fields);
      return;
    }
    this.options.logger.warn('call refused', fields);
    if (this.recent.size > 10_000) this.recent.clear();
    this.recent.set(key, t);
    this.options.onRefused(event);
  }

  /**
   * Wraps every handler of a service definition: the guard runs first and a refusal ends the call with its status
   * (unary and client-streaming through the callback, server-streaming through the stream's 'error').
   */
  wrap<H extends object>(service: 'Fleet' | 'Admin', definition: grpc.ServiceDefinition, handlers: H): H {
    const out: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(handlers) as [string, (...args: unknown[]) => unknown][]) {
      const def = definition[name];
      const logger = this.options.logger;
      if (def?.responseStream) {
        out[name] = (call: grpc.ServerWritableStream<unknown, unknown>) => {
          try {
            this.check(call, service, name);
          } catch (err) {
            call.emit('error', Object.assign(new Error('refused'), toServiceError(err, logger, name)));
            return;
          }
          return fn(call);
        };
      } else {
        out[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
          try {
            this.check(call, service, name);
          } catch (err) {
            callback(toServiceError(err, logger, name) as grpc.ServiceError);
            return;
          }
          return fn(call, callback);
        };
      }
    }
    return out as H;
  }
}
