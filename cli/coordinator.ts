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
    .option('--host <host>', 'address to bind (plaintext is loopback-only until mTLS is configured)', '127.0.0.1')
    .option('--log-json', 'log JSON lines')
    .option('--json', 'print the bound address as JSON')
    .action(async (opts: { dataDir: string; port: string; host: string; logJson?: boolean; json?: boolean }) => {
      const port = parsePort(opts.port);
      if (!LOOPBACK.has(opts.host)) throw new UsageError(`refusing to serve plaintext gRPC on ${opts.host}: bind to 127.0.0.1 (mutual TLS for other addresses is not configured)`);
      const logger = createLogger({ json: Boolean(opts.logJson), fields: { component: 'coordinator' } });
      const store = openSqliteStore(opts.dataDir);
      const coordinator = new Coordinator({ store, logger, address: `${opts.host}:${port}`, credentials: grpc.ServerCredentials.createInsecure() });
      const bound = await coordinator.start();
      const address = `${opts.host}:${bound}`;
      if (opts.json) io.out(JSON.stringify({ address, dataDir: opts.dataDir }));
      else io.out(`coordinator listening on ${address} (data dir ${opts.dataDir})`);
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
