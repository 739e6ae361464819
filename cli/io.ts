/** What every CLI command shares: output streams, the JSON switch, and the error → exit-code policy. */
import { CommanderError } from 'commander';
import { ConfigError, FedfinError, formatIssue } from '../common/errors.js';

/** Output sinks, injectable so tests can capture what a command prints. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress bars only then). */
  readonly isTty: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stderr.isTTY),
};

/** Exit codes: 0 ok, 1 the command ran and found a failure (bad data, refused), 2 usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Thrown by a command to end with a chosen exit code after it already printed its result. */
export class ExitSignal extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** Prints a value as pretty JSON on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/**
 * Turns any error escaping a command into a message on stderr and an exit code.
 * Domain errors print their message (which names the file/row/field); bugs print a short line plus stack.
 */
export function handleError(io: CliIo, err: unknown): number {
  if (err instanceof ExitSignal) return err.exitCode;
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander already printed its message
  }
  if (err instanceof ConfigError) {
    io.err(`error: invalid ${err.source}`);
    for (const issue of err.issues) io.err(`  - ${formatIssue(issue)}`);
    return EXIT.usage;
  }
  if (err instanceof FedfinError) {
    io.err(`error: ${err.message}`);
    return err.code === 'usage' ? EXIT.usage : EXIT.failure;
  }
  if (err instanceof RangeError || err instanceof TypeError) {
    io.err(`error: ${err.message}`);
    return EXIT.usage;
  }
  io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof Error && err.stack && process.env['FEDFIN_DEBUG']) io.err(err.stack);
  return EXIT.failure;
}
