/** `fedfin data …` subcommands: validate, synth, desensitize (one file each). */
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import { registerDataValidate } from './data-validate.js';
import { registerDataSynth } from './data-synth.js';
import { registerDataDesensitize } from './data-desensitize.js';

/** Registers the `data` group and its subcommands. */
export function registerDataCommands(program: Command, io: CliIo): void {
  const group = program.command('data').description('validate, synthesise and desensitise bank data');
  registerDataValidate(group, io);
  registerDataSynth(group, io);
  registerDataDesensitize(group, io);
}
