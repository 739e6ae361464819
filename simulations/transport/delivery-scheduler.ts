/** Depth-first scheduling of the in-process Fleet channel's deliveries: one daemon's hops run back to back. */

/**
 * An ordered queue of deliveries: everything one Fleet client stub (one daemon) sends or receives — its calls'
 * handler starts, stream messages, ends and replies. Deliveries of one lane run in the order they were posted.
 */
export interface DeliveryLane {
  /**
   * Runs `fn` on a later event-loop turn (one `setImmediate` per delivery, never inside the caller's stack),
   * after every delivery posted to this lane before it.
   */
  post(fn: () => void): void;
}

/** Options of {@link DeliveryScheduler}. */
export interface DeliverySchedulerOptions {
  /**
   * Most deliveries one lane runs in a row while other lanes have deliveries waiting; then it goes to the back
   * of the line. Bounds how long any delivery waits: at most (lanes waiting) × maxRunLength steps. @default 64
   */
  readonly maxRunLength?: number;
}

/** A FIFO with O(1) shift (arrays shift in O(n), and a stage open queues one lane per bank). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T; // let the delivery's closure be collected
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

interface Lane {
  readonly pending: Fifo<() => void>;
  /** In the ready line (has deliveries and is not the running lane). */
  waiting: boolean;
}

/**
 * Runs the deliveries of many lanes, one per event-loop step, depth-first: the lane that ran last keeps running
 * while it has deliveries (a daemon's chain of hops — pull reply, download, chunks, end — reaches its next real
 * wait, e.g. a trainer on a worker thread) before the next lane gets a step; lanes take turns in the order they
 * became ready. Breadth-first (one global FIFO, the previous behaviour) advanced all N daemons one hop per turn,
 * so the first trainer call waited for nearly every daemon's pre-fit work while the pool's workers sat idle.
 *
 * Each post schedules exactly one `setImmediate`, and each immediate runs exactly one delivery (the one the
 * policy picks, not necessarily its own), so the event loop sees the same number of turns as before and
 * timers, I/O and worker messages interleave as before.
 */
export class DeliveryScheduler {
  private readonly maxRunLength: number;
  private readonly ready = new Fifo<Lane>();
  private current: Lane | undefined;
  private runLength = 0;
  private readonly step = (): void => this.runOne();

  constructor(options: DeliverySchedulerOptions = {}) {
    const max = options.maxRunLength ?? 64;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxRunLength must be an integer ≥ 1, got ${max}`);
    this.maxRunLength = max;
  }

  /** A new lane (one per client stub). */
  lane(): DeliveryLane {
    const lane: Lane = { pending: new Fifo(), waiting: false };
    return {
      post: (fn) => {
        lane.pending.push(fn);
        if (lane !== this.current && !lane.waiting) {
          lane.waiting = true;
          this.ready.push(lane);
        }
        setImmediate(this.step);
      },
    };
  }

  private runOne(): void {
    let lane = this.current;
    if (!lane || lane.pending.size === 0 || this.runLength >= this.maxRunLength) {
      // Switch: the running lane is waiting on something real (or used its turn and queues again behind the others).
      if (lane && lane.pending.size > 0) {
        lane.waiting = true;
        this.ready.push(lane);
      }
      lane = this.ready.shift();
      this.current = lane;
      this.runLength = 0;
      if (!lane) return; // unreachable: posts and steps are one to one
      lane.waiting = false;
    }
    const fn = lane.pending.shift()!;
    this.runLength++;
    fn();
  }
}
