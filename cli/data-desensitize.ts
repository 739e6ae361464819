/** `fedfin data desensitize`. */
import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** Registers `data desensitize` on the `data` group. */
export function registerDataDesensitize(group: Command, io: CliIo): void {
  void group;
  void io;
}
