/** Test support: runs the real `fedfin` program in-process and captures what it prints and its exit code. */
import { main } from '../../cli/main.js';
import type { CliIo } from '../../cli/io.js';

/** Runs `fedfin ARGS…` through cli/main.ts exactly as the binary does. */
export async function runCli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty: false };
  const code = await main(['node', 'fedfin', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
