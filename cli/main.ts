/** The `fedfin` command: one commander program, one file per subcommand group. */
import { Command } from 'commander';
import { handleError, processIo, type CliIo } from './io.js';
import { registerSchemaCommands } from './schema.js';
import { registerDataCommands } from './data.js';
import { registerPrivacyCommands } from './privacy.js';
import { registerCoordinatorCommands } from './coordinator.js';
import { registerClientCommands } from './client.js';
import { registerAdminCommands } from './admin.js';
import { registerDemoCommand } from './demo.js';
import { registerPredictCommand } from './predict.js';
import { registerProvisionCommands } from './provision.js';
import { registerAuditCommands } from './audit.js';
import { registerSimulateCommand } from './simulate.js';

/** Builds the program. Each group registers its own subcommands with one help line each. */
export function createProgram(io: CliIo = processIo): Command {
  const program = new Command('fedfin')
    .description('Privacy-preserving federated learning for banks')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerSchemaCommands(program, io);
  registerDataCommands(program, io);
  registerPrivacyCommands(program, io);
  registerCoordinatorCommands(program, io);
  registerClientCommands(program, io);
  registerAdminCommands(program, io);
  registerDemoCommand(program, io);
  registerPredictCommand(program, io);
  registerProvisionCommands(program, io);
  registerAuditCommands(program, io);
  registerSimulateCommand(program, io);
  // Subcommands inherit exitOverride/output so usage errors everywhere map to exit code 2.
  const inherit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) }).showHelpAfterError('(run with --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI on `argv` (process.argv shape) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    return handleError(io, err);
  }
}
