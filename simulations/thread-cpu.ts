/** CPU time of the calling thread (Linux `/proc/thread-self/stat`), for the simulate bench's CPU-time figures. */
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on Linux x86-64 and arm64). */
const TICKS_PER_SECOND = 100;

/**
 * User + system CPU milliseconds this thread has used (10 ms resolution), or undefined where
 * `/proc/thread-self` does not exist (not Linux). Node's `process.cpuUsage()` counts every thread of
 * the process, so a worker pool's main thread cannot be told apart from its workers with it.
 */
export function threadCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Fields after "pid (comm) ": state is the first; utime and stime are the 12th and 13th.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}
