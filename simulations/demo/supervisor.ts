/** Child processes of `fedfin demo`: each in its own process group, last stderr lines kept, all killed on exit, error or signal. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A supervised child. */
export interface Supervised {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last lines the child wrote to stderr (newest last). */
  readonly stderrTail: string[];
  /** Resolves with the exit code (or signal) when the child ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A child that ended while the demo still needed it. */
export class ChildExitedError extends Error {
  constructor(
    readonly childName: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: readonly string[],
  ) {
    super(`${childName} exited early (${signal ?? `code ${String(code)}`})${stderrTail.length > 0 ? `; its last stderr lines:\n  ${stderrTail.join('\n  ')}` : ' with no stderr output'}`);
    this.name = 'ChildExitedError';
  }
}

const TAIL_LINES = 12;

/**
 * Starts and tracks child processes. Each child leads its own process group (`detached`), so
 * `stopAll` signals the whole group — tsx loaders and anything they spawn included. A synchronous
 * `exit` hook kills whatever is left if the parent dies without reaching `stopAll`.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;
  private readonly exitHook = (): void => this.killAllNow('SIGKILL');
  private readonly failures = new Set<(err: ChildExitedError) => void>();

  constructor(private readonly onStderrLine?: (name: string, line: string) => void) {
    process.on('exit', this.exitHook);
  }

  /**
   * Spawns `command args` with stdout piped (for the caller to read) and stderr captured.
   * An exit before `stopAll` is reported to every `onFailure` listener.
   */
  start(name: string, command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Supervised {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    const stderrTail: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > TAIL_LINES) stderrTail.shift();
      this.onStderrLine?.(name, line);
    });
    const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    const s: Supervised = { name, pid: child.pid, child, stderrTail, exited };
    this.children.push(s);
    void exited.then(({ code, signal }) => {
      if (this.stopping) return;
      // Let the stderr reader drain the last lines before reporting.
      setTimeout(() => {
        const err = new ChildExitedError(name, code, signal, [...stderrTail]);
        for (const f of this.failures) f(err);
      }, 50);
    });
    return s;
  }

  /** A promise that rejects when any child exits before `stopAll` (race it against the demo's work). */
  failure(): Promise<never> {
    return new Promise<never>((_, reject) => {
      this.failures.add(reject);
    });
  }

  /** Reads the child's stdout line by line until `match` returns a value. @throws ChildExitedError if it ends first. */
  async waitForLine<T>(s: Supervised, match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
    const rl = createInterface({ input: s.child.stdout! });
    try {
      return await new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${s.name} did not report ready within ${timeoutMs} ms; last stderr:\n  ${s.stderrTail.join('\n  ')}`)), timeoutMs);
        rl.on('line', (line) => {
          const v = match(line);
          if (v !== undefined) {
            clearTimeout(timer);
            resolve(v);
          }
        });
        void s.exited.then(({ code, signal }) => {
          clearTimeout(timer);
          setTimeout(() => reject(new ChildExitedError(s.name, code, signal, [...s.stderrTail])), 50);
        });
      });
    } finally {
      rl.close();
    }
  }

  /** SIGTERM to every child's group, then SIGKILL to whatever is still alive after `graceMs`. Idempotent. */
  async stopAll(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const alive = this.children.filter((c) => c.child.exitCode === null && c.child.signalCode === null);
    for (const c of alive) signalGroup(c.pid, 'SIGTERM');
    const timer = setTimeout(() => this.killAllNow('SIGKILL'), graceMs);
    await Promise.all(alive.map((c) => c.exited));
    clearTimeout(timer);
    // Anything the children left in their groups goes too.
    for (const c of this.children) signalGroup(c.pid, 'SIGKILL');
    process.off('exit', this.exitHook);
  }

  private killAllNow(signal: NodeJS.Signals): void {
    for (const c of this.children) signalGroup(c.pid, signal);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
