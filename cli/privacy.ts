/** `fedfin privacy …` subcommands. */
import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** Registers the `privacy` group and its subcommands. */
export function registerPrivacyCommands(program: Command, io: CliIo): void {
  const group = program.command('privacy').description('DP accounting: epsilon of a run, noise for a target');
  void group;
  void io;
}
