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
  /** Instructions of closed stages: a late result for one is refused as stale, not as unknown. */
  private readonly closed = new Set<string>();
  /** Instructions whose result was stored: a second push is a duplicate. */
  private readonly answered = new Set<string>();
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

  /** Where an instruction stands: offered, answered, expired with its stage, or never seen. */
  status(instructionId: string): 'open' | 'answered' | 'closed' | 'unknown' {
    if (this.open.has(instructionId)) return 'open';
    if (this.answered.has(instructionId)) return 'answered';
    if (this.closed.has(instructionId)) return 'closed';
    return 'unknown';
  }

  /** Marks an instruction answered or expired: it is no longer offered and late results are stale. */
  close(instructionIds: Iterable<string>): void {
    for (const id of instructionIds) {
      if (this.open.delete(id) || this.answered.delete(id)) this.closed.add(id);
    }
    if (this.closed.size > 100_000) this.closed.clear(); // bounded memory; stale then reads as unknown
  }

  /** Tells the runner a result for `instructionId` was stored. */
  notifyResult(instructionId: string): void {
    const ins = this.open.get(instructionId);
    if (ins) this.open.delete(instructionId); // answered: stop offering it
    this.answered.add(instructionId);
    if (this.answered.size > 100_000) this.answered.clear();
    for (const l of this.listeners) l(instructionId);
  }

  /** Subscribes to stored results; returns the unsubscribe function. */
  onResult(listener: (instructionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Open instruction ids for a member (heartbeat uses it to cancel work of closed stages). */
  openFor(memberId: string): string[] {
    return [...this.open.values()].filter((i) => i.memberId === memberId).map((i) => i.info.instructionId);
  }
}
