/** `fedfin schema …` subcommands. */
import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** Registers the `schema` group and its subcommands. */
export function registerSchemaCommands(program: Command, io: CliIo): void {
  const group = program.command('schema').description('show, export or infer unified finance schemas');
  void group;
  void io;
}
