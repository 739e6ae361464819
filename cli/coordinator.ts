/** `fedfin coordinator start`: runs the coordinator until SIGINT/SIGTERM. */
import * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import { UsageError } from '../common/errors.js';
import { createLogger } from '../common/log.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { openSqliteStore } from '../coordinator/store/sqlite-store.js';
import type { CliIo } from './io.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port expects an integer in [0, 65535], got ${JSON.stringify(v)}`);
  return n;
}

/** Registers `coordinator start`. */
export function registerCoordinatorCommands(program: Command, io: CliIo): void {
  const group = program.command('coordinator').description('run the federation coordinator (gRPC Fleet + Admin)');
  group
    .command('start')
    .description('start the coordinator on a data dir; resumes running jobs')
    .requiredOption('--data-dir <dir>', 'folder for coordinator.db (created if missing)')
    .option('--port <port>', 'TCP port (0 picks a free one)', '7070')
    .option('--host <host>', 'address to bind (plaintext: loopback only)', '127.0.0.1')
    .option('--kit <dir>', 'the coordinator kit (kits/coordinator): mutual TLS')
    .option('--insecure', 'plaintext gRPC without authentication (loopback only)')
    .option('--log-json', 'log JSON lines')
    .option('--json', 'print the bound address as JSON')
    .action(async (opts: { dataDir: string; port: string; host: string; kit?: string; insecure?: boolean; logJson?: boolean; json?: boolean }) => {
      const port = parsePort(opts.port);
      if (opts.kit && opts.insecure) throw new UsageError('--kit and --insecure exclude each other');
      if (!opts.kit && !opts.insecure) throw new UsageError('no kit: pass --kit DIR (the coordinator kit from `fedfin provision`) for mutual TLS, or --insecure for plaintext on loopback');
      if (opts.insecure && !LOOPBACK.has(opts.host)) throw new UsageError(`refusing to serve plaintext gRPC on ${opts.host}: --insecure binds to loopback only (127.0.0.1, localhost, ::1); use --kit for mutual TLS`);
      const logger = createLogger({ json: Boolean(opts.logJson), fields: { component: 'coordinator' } });
      if (opts.insecure) logger.warn('INSECURE: plaintext gRPC, no client authentication; every local process may act as any bank or admin');
      const store = openSqliteStore(opts.dataDir);
      let coordinator: Coordinator;
      try {
        coordinator = new Coordinator({ store, logger, address: `${opts.host}:${port}`, ...(opts.kit ? { kit: opts.kit } : { credentials: grpc.ServerCredentials.createInsecure() }) });
      } catch (err) {
        await store.close();
        throw err;
      }
      const bound = await coordinator.start();
      const address = `${opts.host}:${bound}`;
      const tls = opts.kit ? 'mtls' : 'insecure';
      if (opts.json) io.out(JSON.stringify({ address, dataDir: opts.dataDir, tls }));
      else io.out(`coordinator listening on ${address} (${opts.kit ? 'mutual TLS' : 'INSECURE plaintext'}, data dir ${opts.dataDir})`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      logger.info('stopping');
      await coordinator.stop();
      await store.close();
    });
}
