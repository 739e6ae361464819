/** `fedfin data validate`. */
import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** Registers `data validate` on the `data` group. */
export function registerDataValidate(group: Command, io: CliIo): void {
  void group;
  void io;
}
