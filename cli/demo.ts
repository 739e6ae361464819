/** `fedfin demo`: a whole federation on this machine — 3 synthetic banks, a coordinator and 3 bank daemons as processes, one DP job, baselines. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-file.js';
import { UsageError } from '../common/errors.js';
import type { JobSpecInput } from '../schema/job-spec.js';
import { formatDemoReport } from '../simulations/demo/report.js';
import { runDemo, type DemoAdminPort } from '../simulations/demo/run-demo.js';
import { AdminClient } from './admin-client.js';
import { formatRoundLine } from './admin-format.js';
import type { CliIo } from './io.js';

const FlagsSchema = z.object({
  out: z.string().min(1).optional(),
  json: z.string().min(1).optional(),
  seed: z.coerce.number().int('--seed: expected an integer').min(0).max(2 ** 31 - 1),
  rows: z.coerce.number().int('--rows: expected an integer').min(200, '--rows: at least 200').max(1_000_000, '--rows: at most 1000000'),
  rounds: z.coerce.number().int('--rounds: expected an integer').min(1, '--rounds: at least 1').max(1000),
  epsilon: z.coerce.number().positive('--epsilon: expected a positive number').max(100),
  skew: z.coerce.number().min(0, '--skew: expected a number in [0, 1]').max(1, '--skew: expected a number in [0, 1]'),
  model: z.enum(['logistic', 'mlp'], { error: '--model: expected logistic or mlp' }),
  localEpochs: z.coerce.number().int('--local-epochs: expected an integer').min(1, '--local-epochs: at least 1').max(100),
  learningRate: z.coerce.number().positive('--learning-rate: expected a positive number').max(100),
  verbose: z.boolean().optional(),
});

/** The demo's job: credit scoring with record-level DP-SGD, σ calibrated by each bank for the target ε. */
export function demoJobSpec(o: { rounds: number; epsilon: number; model: 'logistic' | 'mlp'; seed: number; localEpochs: number; learningRate: number }): JobSpecInput {
  return {
    name: 'demo-credit-scoring',
    task: 'credit-scoring',
    schema: 'credit.v1',
    model: o.model === 'logistic' ? { type: 'logistic' } : { type: 'mlp', hidden: [16], activation: 'relu' },
    rounds: o.rounds,
    minBanks: 3,
    localEpochs: o.localEpochs,
    batchSize: 64,
    learningRate: o.learningRate,
    optimizer: 'sgd',
    privacy: { mode: 'dp-sgd', targetEpsilon: o.epsilon, delta: 1e-5, clippingNorm: 1, maxEpsilon: 2 * o.epsilon },
    timeouts: { fitMs: 120_000, evaluateMs: 60_000 },
    maxRoundAttempts: 3,
    seed: o.seed,
  };
}

/** The Admin client in the shape the demo needs. */
function adminPort(address: string): DemoAdminPort {
  const client = new AdminClient(address, { callTimeoutMs: 15_000 });
  return {
    async submit(specJson) {
      return (await client.submitJob(specJson, 'demo job spec')).jobId;
    },
    async follow(jobId, onRound) {
      const seen = new Set<number>();
      let last = { status: 'running', reason: '', roundsDone: 0 };
      for await (const ev of client.watchJob(jobId)) {
        last = { status: ev.job.status, reason: ev.job.reason, roundsDone: ev.job.roundsDone };
        if (ev.kind === 'round-committed' && ev.round && !seen.has(ev.round.round)) {
          seen.add(ev.round.round);
          onRound(ev.round, ev.job.roundsTotal);
        }
        if (ev.job.status !== 'running') break;
      }
      return last;
    },
    close: () => client.close(),
  };
}

/**
 * Registers `demo`. Exit codes: 0 when the job completed and the comparison was printed; 1 when any part
 * failed (a daemon exited early — its last stderr lines are shown —, the job failed, Ctrl-C); 2 usage.
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('a whole federation here: 3 banks, DP job, baselines')
    .option('--out <dir>', 'keep every file (data, keys, configs, coordinator.db) in DIR instead of a temp dir that is removed')
    .option('--json <file>', 'write the result as JSON to FILE (atomically)')
    .option('--seed <n>', 'seed of the synthetic data, the test carve and the baselines', '7')
    .option('--rows <n>', 'rows synthesised per bank (bank-3 uses half); 60 % of them form the common test set', '2500')
    .option('--rounds <n>', 'federated rounds', '12')
    .option('--epsilon <e>', 'target record-level ε per bank for the whole job (δ = 1e-5)', '3')
    .option('--skew <s>', 'non-IID strength of the banks in [0, 1]', '0.5')
    .option('--model <m>', 'logistic or mlp', 'logistic')
    .option('--local-epochs <n>', 'local epochs per round in every bank', '5')
    .option('--learning-rate <lr>', 'SGD step size', '0.5')
    .option('--verbose', 'show the daemons\' and the coordinator\'s log lines')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
      const f = parsed.data;
      const outDir = f.out ? resolve(f.out) : mkdtempSync(join(tmpdir(), 'fedfin-demo-'));
      const controller = new AbortController();
      const onSigint = (): void => {
        io.err('interrupted: stopping the coordinator and the bank daemons …');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      process.once('SIGTERM', onSigint);
      try {
        const report = await runDemo({
          outDir,
          seed: f.seed,
          rowsPerBank: f.rows,
          // Small banks (≈ 800, 800, 400 training rows) and a large common test set: docs/benchmarks.md (demo).
          bankFractions: [1, 1, 0.5],
          skew: f.skew,
          testFraction: 0.6,
          holdoutFraction: 0.2,
          job: demoJobSpec({ rounds: f.rounds, epsilon: f.epsilon, model: f.model, seed: f.seed, localEpochs: f.localEpochs, learningRate: f.learningRate }),
          bankMaxEpsilon: 10,
          connect: adminPort,
          log: (line) => io.err(line),
          onRound: (r, total) => io.out(formatRoundLine(r, total)),
          signal: controller.signal,
          verbose: f.verbose === true,
        });
        io.out('');
        io.out(formatDemoReport(report));
        if (f.json) writeFileAtomic(resolve(f.json), `${JSON.stringify(report, null, 2)}\n`);
        if (f.out) io.err(`files kept in ${outDir}`);
      } finally {
        process.removeListener('SIGINT', onSigint);
        process.removeListener('SIGTERM', onSigint);
        if (!f.out) rmSync(outDir, { recursive: true, force: true });
      }
    });
}
