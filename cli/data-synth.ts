/** `fedfin data synth`. */
import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** Registers `data synth` on the `data` group. */
export function registerDataSynth(group: Command, io: CliIo): void {
  void group;
  void io;
}
