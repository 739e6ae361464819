/** Live sessions of bank daemons: who is connected, since when, and whether they still look alive. */
import { randomBytes } from 'node:crypto';

export interface Session {
  readonly sessionId: string;
  readonly memberId: string;
  readonly acceptedTasks: readonly string[];
  readonly tfBackend: string;
  /** The Ed25519 identity public key announced at Join (secure aggregation); undefined when none. */
  readonly identityPublicKey?: Uint8Array;
  lastSeenMs: number;
  /** Long-polls in flight: an idle daemon waiting in PullInstruction is alive however long it waits. */
  pullsInFlight: number;
}

/**
 * A member is online while it has a long-poll in flight or was seen within `livenessMs` (pulls and
 * heartbeats both count). A daemon that dies cancels its long-poll, so it goes offline livenessMs later. A new Join replaces the member's previous session.
 */
export class MemberRegistry {
  private readonly bySession = new Map<string, Session>();
  private readonly byMember = new Map<string, Session>();

  constructor(
    private readonly livenessMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session for `memberId`, ending any previous one. */
  join(memberId: string, acceptedTasks: readonly string[], tfBackend: string, identityPublicKey?: Uint8Array): Session {
    const old = this.byMember.get(memberId);
    if (old) this.bySession.delete(old.sessionId);
    const s: Session = { sessionId: randomBytes(16).toString('hex'), memberId, acceptedTasks: [...acceptedTasks], tfBackend, ...(identityPublicKey ? { identityPublicKey } : {}), lastSeenMs: this.now(), pullsInFlight: 0 };
    this.bySession.set(s.sessionId, s);
    this.byMember.set(memberId, s);
    return s;
  }

  /** The session for an id, refreshed; undefined when unknown (the daemon must join again). */
  touch(sessionId: string): Session | undefined {
    const s = this.bySession.get(sessionId);
    if (s) s.lastSeenMs = this.now();
    return s;
  }

  /** A long-poll of this session started (the caller must call pullEnded exactly once). */
  pullStarted(sessionId: string): void {
    const s = this.touch(sessionId);
    if (s) s.pullsInFlight++;
  }

  /** A long-poll ended, answered or cancelled (a daemon that died cancels its call). */
  pullEnded(sessionId: string): void {
    const s = this.bySession.get(sessionId);
    if (s) {
      s.pullsInFlight = Math.max(0, s.pullsInFlight - 1);
      s.lastSeenMs = this.now();
    }
  }

  private alive(s: Session): boolean {
    return s.pullsInFlight > 0 || this.now() - s.lastSeenMs <= this.livenessMs;
  }

  /** True when the member has a long-poll in flight or was seen within livenessMs. */
  isOnline(memberId: string): boolean {
    const s = this.byMember.get(memberId);
    return s !== undefined && this.alive(s);
  }

  /** Sorted ids of online members that accept `task` (all online members when task is undefined). */
  online(task?: string): string[] {
    return [...this.byMember.values()]
      .filter((s) => this.alive(s) && (task === undefined || s.acceptedTasks.length === 0 || s.acceptedTasks.includes(task)))
      .map((s) => s.memberId)
      .sort();
  }

  session(memberId: string): Session | undefined {
    return this.byMember.get(memberId);
  }
}
