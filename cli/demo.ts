/** `fedfin demo [--task T]`: a whole federation on this machine — 3 synthetic banks, a coordinator and 3 bank daemons as processes, one DP job, baselines. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-file.js';
import { UsageError } from '../common/errors.js';
import type { JobSpecInput } from '../schema/job-spec.js';
import { formatDemoReport } from '../simulations/demo/report.js';
import { demoProfile, demoTaskNames } from '../simulations/demo/task-profiles.js';
import { runDemo, type DemoAdminPort } from '../simulations/demo/run-demo.js';
import { channelCredentials } from '../client/transport/credentials.js';
import { AdminClient } from './admin-client.js';
import { formatRoundLine } from './admin-format.js';
import { printJson, type CliIo } from './io.js';

const FlagsSchema = z.object({
  task: z.string().min(1),
  out: z.string().min(1).optional(),
  json: z.string().min(1).optional(),
  seed: z.coerce.number().int('--seed: expected an integer').min(0).max(2 ** 31 - 1),
  rows: z.coerce.number().int('--rows: expected an integer').min(200, '--rows: at least 200').max(1_000_000, '--rows: at most 1000000'),
  rounds: z.coerce.number().int('--rounds: expected an integer').min(1, '--rounds: at least 1').max(1000),
  epsilon: z.coerce.number().positive('--epsilon: expected a positive number').max(100),
  skew: z.coerce.number().min(0, '--skew: expected a number in [0, 1]').max(1, '--skew: expected a number in [0, 1]'),
  model: z.enum(['logistic', 'mlp', 'lstm'], { error: '--model: expected logistic, mlp or lstm' }),
  localEpochs: z.coerce.number().int('--local-epochs: expected an integer').min(1, '--local-epochs: at least 1').max(100),
  learningRate: z.coerce.number().positive('--learning-rate: expected a positive number').max(100),
  verbose: z.boolean().optional(),
  secureAggregation: z.boolean().optional(),
  distributedDp: z.coerce.number().positive('--distributed-dp: expected a positive noise multiplier').max(100).optional(),
  insecure: z.boolean().optional(),
});

/**
 * `--secure-aggregation` (and `--distributed-dp z`): the same job as SecAgg+ over the 3 banks (complete
 * graph, t = 2 of 3), updates clipped to ±1 per coordinate, 16-bit quantisation; Skellam noise sized so
 * that 3 survivors carry z × the sensitivity.
 */
export function withSecureAggregation(job: JobSpecInput, f: { secureAggregation?: boolean | undefined; distributedDp?: number | undefined }): JobSpecInput {
  if (f.distributedDp !== undefined && !f.secureAggregation) throw new UsageError('--distributed-dp needs --secure-aggregation');
  if (!f.secureAggregation) return job;
  return { ...job, secureAggregation: { enabled: true, clippingRange: 1, bits: 16, ...(f.distributedDp !== undefined ? { distributedDp: { mechanism: 'skellam', noiseMultiplier: f.distributedDp, minSurvivors: 3 } } : {}) } };
}

/** The Admin client in the shape the demo needs. */
function adminPort(address: string, adminKit?: string): DemoAdminPort {
  const client = new AdminClient(address, { callTimeoutMs: 15_000 }, channelCredentials(adminKit ? { mode: 'mtls', kitDir: adminKit } : { mode: 'insecure' }));
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
    .option('--json <file>', 'write the result as JSON to FILE (atomically); - for stdout')
    .option('--task <task>', `the task: ${demoTaskNames().join(', ')}`, 'credit-scoring')
    .option('--seed <n>', 'seed of the synthetic data, the test carve and the baselines', '7')
    .option('--rows <n>', 'rows synthesised per bank before the test carve (default per task)')
    .option('--rounds <n>', 'federated rounds (default per task)')
    .option('--epsilon <e>', 'target record-level ε per bank for the whole job (δ = 1e-5)')
    .option('--skew <s>', 'non-IID strength of the banks in [0, 1]')
    .option('--model <m>', 'logistic, mlp or lstm (default per task)')
    .option('--local-epochs <n>', 'local epochs per round in every bank')
    .option('--learning-rate <lr>', 'SGD step size (default per task)')
    .option('--verbose', 'show the daemons\' and the coordinator\'s log lines')
    .option('--secure-aggregation', 'SecAgg+: the coordinator only sees the sum of the updates')
    .option('--distributed-dp <z>', 'with --secure-aggregation: Skellam noise z inside the sum')
    .option('--insecure', 'plaintext on loopback instead of a provisioned mTLS federation')
    .action(async (raw: Record<string, unknown>) => {
      const profile = demoProfile(String(raw['task']));
      const d = profile.defaults;
      const parsed = FlagsSchema.safeParse({ rows: d.rows, rounds: d.rounds, epsilon: d.epsilon, skew: d.skew, model: d.model, localEpochs: d.localEpochs, learningRate: d.learningRate, ...raw });
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
          bankFractions: d.bankFractions,
          skew: f.skew,
          testFraction: d.testFraction,
          holdoutFraction: d.holdoutFraction,
          profile,
          job: withSecureAggregation(profile.jobSpec({ rounds: f.rounds, epsilon: f.epsilon, model: f.model, seed: f.seed, localEpochs: f.localEpochs, learningRate: f.learningRate }), f),
          bankMaxEpsilon: 10,
          connect: adminPort,
          log: (line) => io.err(line),
          // `--json -`: stdout carries only the JSON, so the progress lines move to stderr.
          onRound: (r, total) => {
            const line = formatRoundLine(r, total, profile.roundMetrics);
            if (f.json === '-') io.err(line);
            else io.out(line);
          },
          signal: controller.signal,
          verbose: f.verbose === true,
          insecure: f.insecure === true,
        });
        if (f.json === '-') {
          io.err(formatDemoReport(report, profile.metrics));
          printJson(io, report);
        } else {
          io.out('');
          io.out(formatDemoReport(report, profile.metrics));
          if (f.json) writeFileAtomic(resolve(f.json), `${JSON.stringify(report, null, 2)}\n`);
        }
        if (f.out) io.err(`files kept in ${outDir}`);
      } finally {
        process.removeListener('SIGINT', onSigint);
        process.removeListener('SIGTERM', onSigint);
        if (!f.out) rmSync(outDir, { recursive: true, force: true });
      }
    });
}
