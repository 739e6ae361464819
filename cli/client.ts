/** `fedfin client start --config FILE [--log-json]`: runs the bank daemon until SIGINT/SIGTERM. */
import { Option, type Command } from 'commander';
import { createLogger } from '../common/log.js';
import { loadNodeConfig } from '../schema/node-config.js';
import { createDaemon, type DaemonDeps } from '../client/daemon.js';
import type { CliIo } from './io.js';

interface StartFlags {
  config: string;
  logJson?: boolean;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** Extra wiring for tests: a signal standing in for SIGINT/SIGTERM, and daemon dependencies. */
export interface ClientCommandHooks {
  readonly stopSignal?: AbortSignal;
  readonly deps?: Partial<Omit<DaemonDeps, 'options' | 'logger'>>;
}

/**
 * Registers `client start`. Logs go to stderr (JSON lines with --log-json). Exit codes: 0 after a
 * graceful stop, 1 when start-up fails (missing data or key file, data refused), 2 for an invalid config.
 */
export function registerClientCommands(program: Command, io: CliIo, hooks: ClientCommandHooks = {}): void {
  const group = program.command('client').description('the bank daemon');
  group
    .command('start')
    .description('run the bank daemon: load data, join, serve instructions')
    .requiredOption('--config <file>', 'the bank\'s config file (JSON, see docs/client.md)')
    .option('--log-json', 'log one JSON object per line (for log shippers)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .action(async (flags: StartFlags) => {
      const options = loadNodeConfig(flags.config);
      const logger = createLogger({ json: flags.logJson === true, level: flags.logLevel, write: (line) => io.err(line), fields: { member: options.memberId } });
      const daemon = createDaemon({ ...hooks.deps, options, logger });
      const onSignal = (): void => {
        logger.info('stopping (signal received)');
        void daemon.stop();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      hooks.stopSignal?.addEventListener('abort', onSignal, { once: true });
      try {
        await daemon.run();
        logger.info('stopped');
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}
