/** `fedfin data …` subcommands. */
import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** Registers the `data` group and its subcommands. */
export function registerDataCommands(program: Command, io: CliIo): void {
  const group = program.command('data').description('validate, synthesise and desensitise bank data');
  void group;
  void io;
}
