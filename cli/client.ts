/** `fedfin client start --config FILE [--log-json]`: runs the bank daemon until SIGINT/SIGTERM (approvals: client-approvals.ts). */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { createLogger } from '../common/log.js';
import { loadNodeConfig } from '../schema/node-config.js';
import { createDaemon, type DaemonDeps } from '../client/daemon.js';
import { assertInsecureAllowed, type LinkSecurity } from '../client/transport/credentials.js';
import { UsageError } from '../common/errors.js';
import { loadKit, type LoadedKit } from '../security/kit.js';
import type { CliIo } from './io.js';
import { registerApprovalCommands } from './client-approvals.js';

interface StartFlags {
  config: string;
  kit?: string;
  insecure?: boolean;
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
    .summary('run the bank daemon: load data, join, serve')
    .requiredOption('--config <file>', 'the bank\'s config file (JSON, see docs/client.md)')
    .option('--kit <dir>', 'the bank\'s kit folder (overrides "kit" in the config)')
    .option('--insecure', 'plaintext gRPC without a kit (loopback coordinator only)')
    .option('--log-json', 'log one JSON object per line (for log shippers)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .action(async (flags: StartFlags) => {
      const options = loadNodeConfig(flags.config);
      const logger = createLogger({ json: flags.logJson === true, level: flags.logLevel, write: (line) => io.err(line), fields: { member: options.memberId } });
      const { security, kit } = linkSecurity(flags.kit !== undefined ? resolve(flags.kit) : options.kitDir, options.memberId, options.coordinatorAddress, flags.insecure === true || options.insecure === true);
      if (security.mode === 'insecure') logger.warn('INSECURE: plaintext gRPC to the coordinator, no authentication; for loopback tests and demos only', { coordinator: options.coordinatorAddress });
      else logger.info('mutual TLS with the federation kit', { kit: security.kitDir });
      // A provisioned bank signs its SecAgg advertisements with the kit's identity key unless the config names another.
      const kitIdentity = kit && options.identityKeyFile === undefined ? kit.identity : undefined;
      const secagg = kitIdentity ? { secagg: { ...hooks.deps?.secagg, identity: kitIdentity } } : {};
      const daemon = createDaemon({ ...hooks.deps, ...secagg, options, logger, linkOptions: { ...hooks.deps?.linkOptions, security } });
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
  registerApprovalCommands(group, io);
}

/**
 * The daemon's link security: mutual TLS with the configured kit (a member kit for this member id), else plaintext
 * when explicitly asked for and the coordinator is on loopback. Returns the kit it read, for its identity key.
 * @throws UsageError without a kit and without --insecure, or for plaintext to a remote host.
 * @throws FedfinError('key-invalid') / KeyFileInsecureError from the kit.
 */
export function linkSecurity(kitDir: string | undefined, memberId: string, coordinator: string, insecure: boolean): { security: LinkSecurity; kit?: LoadedKit } {
  if (kitDir !== undefined) {
    const kit = loadKit(kitDir);
    if (kit.kind !== 'member' || kit.id !== memberId) throw new UsageError(`kit ${kitDir} is for ${kit.kind} ${kit.id}, but the config's memberId is ${memberId}`);
    return { security: { mode: 'mtls', kitDir }, kit };
  }
  if (!insecure) throw new UsageError('no kit configured: set "kit" in the config (provisioned kits do: `fedfin provision`) or pass --insecure for plaintext on loopback');
  assertInsecureAllowed(coordinator);
  return { security: { mode: 'insecure' } };
}
