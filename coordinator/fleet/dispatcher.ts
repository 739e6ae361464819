/**
 * Open instructions per member, the long-poll that hands them out, and the rendezvous between pushed
 * results and the round runner waiting for them. Pure in-memory bookkeeping: persistence is the
 * runner's job (it saves the stage plan before opening and each result as it arrives).
 */
import type { InstructionInfo } from '../../schema/fleet.js';
import type { TensorHeader } from '../../common/weights-codec.js';

/** An instruction open for one member, with the model bytes DownloadModel streams. */
export interface OpenInstruction {
  readonly memberId: string;
  readonly info: InstructionInfo;
  readonly headers: readonly TensorHeader[];
  readonly modelBytes: Uint8Array;
}

type Waiter = (ins: OpenInstruction | undefined) => void;

export class Dispatcher {
  private readonly open = new Map<string, OpenInstruction>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Instructions of closed stages (id → member): a late result for one is refused as stale, not as unknown. */
  private readonly closed = new Map<string, string>();
  /** Instructions whose result was stored (id → member): a second push is a duplicate, even after the stage closed. */
  private readonly answered = new Map<string, string>();
  /** Instructions whose result was rejected as invalid (id → why): the stage stops waiting for them. */
  private readonly rejected = new Map<string, string>();
  private readonly listeners = new Set<(instructionId: string) => void>();

  /** Makes instructions available; wakes members waiting in a long-poll. */
  offer(instructions: readonly OpenInstruction[]): void {
    for (const ins of instructions) {
      this.open.set(ins.info.instructionId, ins);
      this.closed.delete(ins.info.instructionId);
      const ws = this.waiters.get(ins.memberId);
      if (ws && ws.size > 0) {
        for (const w of ws) w(ins);
        ws.clear();
      }
    }
  }

  /** The member's oldest open instruction, now. */
  next(memberId: string): OpenInstruction | undefined {
    for (const ins of this.open.values()) if (ins.memberId === memberId) return ins;
    return undefined;
  }

  /** Long-poll: resolves with an instruction as soon as one is open, or undefined after `waitMs` / abort. */
  async pull(memberId: string, waitMs: number, signal?: AbortSignal): Promise<OpenInstruction | undefined> {
    const now = this.next(memberId);
    if (now || waitMs <= 0) return now;
    return new Promise((resolve) => {
      const set = this.waiters.get(memberId) ?? new Set<Waiter>();
      this.waiters.set(memberId, set);
      const done: Waiter = (ins) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        set.delete(done);
        resolve(ins);
      };
      const onAbort = () => done(undefined);
      const timer = setTimeout(() => done(undefined), waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      set.add(done);
    });
  }

  get(instructionId: string): OpenInstruction | undefined {
    return this.open.get(instructionId);
  }

  /** The member an offered, answered or closed instruction belongs to; undefined when never seen. */
  owner(instructionId: string): string | undefined {
    return this.open.get(instructionId)?.memberId ?? this.answered.get(instructionId) ?? this.closed.get(instructionId);
  }

  /** Where an instruction stands: offered, answered, expired with its stage, or never seen. */
  status(instructionId: string): 'open' | 'answered' | 'closed' | 'unknown' {
    if (this.open.has(instructionId)) return 'open';
    if (this.answered.has(instructionId)) return 'answered';
    if (this.closed.has(instructionId)) return 'closed';
    return 'unknown';
  }

  /**
   * Expires a stage's unanswered instructions: they are no longer offered and late results are stale.
   * Answered ones stay answered, so a daemon re-pushing after a lost response hears ALREADY_EXISTS (accepted), not "discarded".
   */
  close(instructionIds: Iterable<string>): void {
    for (const id of instructionIds) {
      const ins = this.open.get(id);
      if (ins && this.open.delete(id)) this.closed.set(id, ins.memberId);
    }
    if (this.closed.size > 100_000) this.closed.clear(); // bounded memory; stale then reads as unknown
  }

  /** Tells the runner a result for `instructionId` was stored. */
  notifyResult(instructionId: string): void {
    const member = this.open.get(instructionId)?.memberId ?? this.closed.get(instructionId);
    this.open.delete(instructionId); // answered: stop offering it
    if (member !== undefined) {
      this.closed.delete(instructionId);
      this.answered.set(instructionId, member);
    }
    if (this.answered.size > 100_000) this.answered.clear();
    for (const l of this.listeners) l(instructionId);
  }

  /**
   * Records that the owner's result for an open instruction was rejected (INVALID_ARGUMENT): daemons do not
   * retry that status, so the instruction closes now and the stage counts the bank as an 'invalid' dropout
   * instead of waiting for its deadline and calling it a timeout.
   */
  reject(instructionId: string, reason: string): void {
    const ins = this.open.get(instructionId);
    if (!ins) return;
    this.open.delete(instructionId);
    this.closed.set(instructionId, ins.memberId);
    this.rejected.set(instructionId, reason);
    if (this.rejected.size > 100_000) this.rejected.clear();
    for (const l of this.listeners) l(instructionId);
  }

  /** Why a result for the instruction was rejected, if it was. */
  rejection(instructionId: string): string | undefined {
    return this.rejected.get(instructionId);
  }

  /** Subscribes to stored (or rejected) results; returns the unsubscribe function. */
  onResult(listener: (instructionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Open instruction ids for a member (heartbeat uses it to cancel work of closed stages). */
  openFor(memberId: string): string[] {
    return [...this.open.values()].filter((i) => i.memberId === memberId).map((i) => i.info.instructionId);
  }
}
