/** Per-test scratch resources for tests that write files or spawn processes: a temp dir removed after each test, and pid checks. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A temp dir of the current test. */
export interface ScratchDir {
  /** The dir under os.tmpdir(), made on first use in each test. */
  readonly path: string;
  /** Writes `text` to `name` inside the dir and returns the file's path. */
  file(name: string, text: string): string;
}

/**
 * Registers an afterEach in the calling describe block that removes the dir, and returns the handle.
 * Call it before registering other afterEach hooks that still need the dir: vitest runs after-hooks in
 * reverse order, so the dir is removed last.
 */
export function useScratchDir(prefix: string): ScratchDir {
  let path: string | undefined;
  afterEach(() => {
    if (path) rmSync(path, { recursive: true, force: true });
    path = undefined;
  });
  const scratch: ScratchDir = {
    get path() {
      return (path ??= mkdtempSync(join(tmpdir(), prefix)));
    },
    file(name, text) {
      const f = join(scratch.path, name);
      writeFileSync(f, text);
      return f;
    },
  };
  return scratch;
}

/** Whether a process with this pid exists (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids named as `(pid N)` in log lines, in order. */
export function pidsIn(lines: readonly string[]): number[] {
  return lines.flatMap((l) => [...l.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1])));
}
