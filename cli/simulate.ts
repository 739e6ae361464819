/** `fedfin simulate`: a federation of simulated banks in one process on any CSV (or a scenario sweep), with baselines, results.json and report.md. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../common/errors.js';
import { MAX_CV_FOLDS } from '../simulations/cv-folds.js';
import { parsePartitionSpec } from '../simulations/partition.js';
import { fmtMetric, runMetrics } from '../simulations/report.js';
import type { RunResult } from '../simulations/results.js';
import { DataRejectedError } from '../simulations/sim-data.js';
import { simulate } from '../simulations/simulate.js';
import { createTrainerPool, type TrainerPool } from '../simulations/trainer-pool.js';
import { renderReport } from './data-validate.js';
import { ExitSignal, EXIT, printJson, type CliIo } from './io.js';
import { runScenarioCommand } from './simulate-scenario.js';
import { registerSimulateTuneCommand } from './simulate-tune.js';

const int = (flag: string, min: number, max: number) => z.coerce.number().int(`${flag}: expected an integer`).min(min, `${flag}: at least ${min}`).max(max, `${flag}: at most ${max}`);
const frac = (flag: string, hiOpen: boolean) => z.coerce.number().min(0, `${flag}: expected a number in [0, 1${hiOpen ? ')' : ']'}`).max(1, `${flag}: expected a number in [0, 1${hiOpen ? ')' : ']'}`);

const FlagsSchema = z.object({
  data: z.string().min(1).optional(),
  scenario: z.string().min(1).optional(),
  schema: z.string().min(1).optional(),
  mapping: z.string().min(1).optional(),
  policy: z.string().min(1).optional(),
  task: z.string().min(1),
  banks: int('--banks', 1, 10_000),
  partition: z.string().min(1),
  rounds: int('--rounds', 1, 10_000),
  seed: int('--seed', 0, 2 ** 31 - 1),
  out: z.string().min(1),
  testFraction: frac('--test-fraction', true).refine((x) => x > 0 && x < 1, '--test-fraction: expected a number in (0, 1)'),
  holdoutFraction: frac('--holdout-fraction', true).refine((x) => x > 0 && x < 1, '--holdout-fraction: expected a number in (0, 1)'),
  maxReject: int('--max-reject', 0, Number.MAX_SAFE_INTEGER),
  minRows: int('--min-rows', 1, 1_000_000),
  transport: z.enum(['in-process', 'grpc']),
  job: z.string().min(1).optional(),
  epsilon: z.coerce.number().positive('--epsilon: expected a positive number').max(100).optional(),
  dropoutRate: frac('--dropout-rate', true),
  workers: int('--workers', 0, 256),
  baselines: z.boolean(),
  keepWork: z.boolean().optional(),
  json: z.boolean().optional(),
  yes: z.boolean().optional(),
  cv: int('--cv', 2, MAX_CV_FOLDS).optional(),
});
type Flags = z.infer<typeof FlagsSchema>;

function readJobFile(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--job ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(err as Error).message})`}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`--job ${file}: expected a JSON object of job spec keys`);
  return raw as Record<string, unknown>;
}

/** The job keys the flags set (a --job file first, flags over it). */
export function jobFromFlags(f: Pick<Flags, 'job' | 'rounds' | 'epsilon' | 'seed'>, explicitRounds: boolean): Record<string, unknown> {
  const job: Record<string, unknown> = { ...(f.job ? readJobFile(f.job) : {}) };
  if (explicitRounds || job['rounds'] === undefined) job['rounds'] = f.rounds;
  if (f.epsilon !== undefined) job['privacy'] = { mode: 'dp-sgd', targetEpsilon: f.epsilon, delta: 1e-5, clippingNorm: 1, maxEpsilon: Math.min(1000, f.epsilon * 2) };
  job['seed'] ??= f.seed;
  return job;
}

/** A progress bar with ETA on a terminal, one line per round otherwise (both on stderr). */
export function roundProgress(io: CliIo, quiet: boolean): { onRound: (r: number, n: number) => void; onPhase: (p: string) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  return {
    onPhase(p) {
      bar?.stop();
      bar = undefined;
      if (!quiet) io.err(`${p} …`);
    },
    onRound(r, n) {
      if (io.isTty && !quiet) {
        bar ??= new SingleBar({ format: 'rounds [{bar}] {value}/{total}  {percentage}%  ETA {eta_formatted}', stream: process.stderr, hideCursor: true, etaBuffer: 5 });
        if (!bar.isActive) bar.start(n, 0);
        bar.update(r);
      } else if (!quiet) io.err(`round ${r}/${n} committed`);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** The human summary of one run. */
export function formatRunSummary(r: RunResult, outDir: string): string {
  const metrics = runMetrics(r);
  const head = metrics[0]!;
  const show = (scores: Readonly<Record<string, number>>): string => metrics.slice(0, 3).map((m) => `${m.header} ${fmtMetric(m, scores)}`).join('  ');
  const lines = [`federated ${show(r.federated)}  (${r.rounds} rounds, ${r.config.banks} banks, ${r.config.partition})`];
  if (r.centralized) lines.push(`centralised ${show(r.centralized)}`);
  if (r.localOnlyMeanHeadline !== null) lines.push(`banks alone: mean ${head.header} ${r.localOnlyMeanHeadline.toFixed(head.digits ?? 3)} (${r.localOnly.map((l) => `${l.bank} ${fmtMetric(head, l)}`).join(', ')})`);
  if (r.buyAndHold) lines.push(`buy-and-hold on the same days: sharpe ${fmtMetric({ key: 'sharpe', header: '', digits: 2 }, r.buyAndHold)}  ann.return ${fmtMetric({ key: 'annualReturn', header: '' }, r.buyAndHold)}`);
  const cv = r.crossValidation;
  if (cv) lines.push(`cross-validation (${cv.k} folds): federated AUC ${cv.mean.federated.auc.toFixed(3)} ± ${cv.std.federated.auc.toFixed(3)}${cv.mean.centralized ? `, centralised ${cv.mean.centralized.auc.toFixed(3)} ± ${cv.std.centralized!.auc.toFixed(3)}` : ''}${cv.mean.localOnlyMeanAuc !== null ? `, banks alone ${cv.mean.localOnlyMeanAuc.toFixed(3)} ± ${cv.std.localOnlyMeanAuc!.toFixed(3)}` : ''}${cv.cachedFolds > 0 ? ` (${cv.cachedFolds} folds cached)` : ''}${cv.privacy ? `; ε = ${cv.privacy.epsilonTotal.toFixed(3)} at δ = ${cv.privacy.delta} composing the run and ${cv.k} folds (RDP)` : ''}`);
  lines.push(r.privacy ? `privacy: ε = ${r.privacy.epsilon.toFixed(3)} at δ = ${r.privacy.delta} per bank (record level, RDP)` : 'privacy: none (no DP in this run)');
  lines.push(`wrote ${resolve(outDir, 'results.json')} and ${resolve(outDir, 'report.md')}`);
  return lines.join('\n');
}

/** Registers `simulate`. Exit codes: 0 done; 1 data rejected, a bank refused, the job failed; 2 usage. */
export function registerSimulateCommand(program: Command, io: CliIo): void {
  // `simulate tune --out …`: options after `tune` belong to tune (commander needs positional options on every ancestor;
  // the program's own options are only --version and --help, which stay first anyway).
  program.enablePositionalOptions();
  const simulateCommand = program
    .command('simulate')
    .enablePositionalOptions()
    .description('simulated banks on a CSV or scenario, with baselines')
    .option('--data <file>', 'the CSV to split into simulated banks')
    .option('--scenario <name|file>', 'a built-in scenario or a scenario JSON (runs its grid × seeds)')
    .option('--schema <name|file>', 'schema id (e.g. credit.v1) or a custom schema .json')
    .option('--mapping <file>', 'column mapping (JSON) from the CSV onto the schema')
    .option('--policy <file>', 'desensitisation policy for every bank (default: per task, k = 1)')
    .option('--task <name>', 'credit-scoring | fraud-detection | market-forecast', 'credit-scoring')
    .option('--banks <n>', 'number of simulated banks', '4')
    .option('--partition <spec>', 'iid | dirichlet:A | quantity:lognormal:S | feature:C | time:C', 'iid')
    .option('--rounds <n>', 'federated rounds', '10')
    .option('--seed <n>', 'seed of the split, initial weights, sampling and noise', '0')
    // Not requiredOption: commander checks mandatory options of every ancestor, so `simulate tune` would demand it too.
    .option('--out <dir>', 'where results.json, report.md and charts/ go')
    .option('--test-fraction <f>', 'common test set share (market: each bank\'s holdout period)', '0.2')
    .option('--holdout-fraction <f>', 'share of each bank kept for federated evaluation', '0.2')
    .option('--max-reject <n>', 'rejected CSV rows tolerated before the run is refused', '0')
    .option('--min-rows <n>', 'refuse a split that leaves a bank fewer training rows', '10')
    .addOption(new Option('--transport <t>', 'in-process channel or loopback gRPC').choices(['in-process', 'grpc']).default('in-process'))
    .option('--job <file>', 'job spec keys (JSON) over the simulation defaults')
    .option('--epsilon <e>', 'record-level DP-SGD with this target ε per bank (δ 1e-5)')
    .option('--dropout-rate <p>', 'probability a bank drops out of each fit', '0')
    .option('--workers <n>', 'training worker threads (0: train on the main thread)', '0')
    .option('--cv <k>', 'federated k-fold CV: each bank folds its own rows')
    .option('--no-baselines', 'skip the centralised and local-only baselines')
    .option('--keep-work', 'keep the per-bank files in OUT/work')
    .option('--yes', 'run a scenario grid even when it is estimated to take long')
    .option('--json', 'print results.json on stdout')
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      if (raw['out'] === undefined) throw new UsageError("required option '--out <dir>' not specified");
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
      const f = parsed.data;
      if ((f.data === undefined) === (f.scenario === undefined)) throw new UsageError('give exactly one of --data FILE and --scenario NAME|FILE');
      const pool: TrainerPool | undefined = f.workers > 0 ? await createTrainerPool({ workers: f.workers }) : undefined;
      const controller = new AbortController();
      const onSigint = (): void => {
        io.err('interrupted: stopping the simulated federation …');
        controller.abort(new Error('interrupted'));
      };
      process.once('SIGINT', onSigint);
      try {
        if (f.scenario !== undefined) {
          await runScenarioCommand(io, { scenario: f.scenario, out: f.out, yes: f.yes === true, json: f.json === true, transport: f.transport, pool, signal: controller.signal, ...(f.cv !== undefined ? { cv: f.cv } : {}) });
          return;
        }
        if (f.schema === undefined) throw new UsageError('--data needs --schema NAME|FILE');
        const progress = roundProgress(io, f.json === true);
        try {
          const result = await simulate({
            dataFile: f.data!,
            schema: f.schema,
            mappingFile: f.mapping,
            policyFile: f.policy,
            task: f.task,
            banks: f.banks,
            partition: parsePartitionSpec(f.partition),
            testFraction: f.testFraction,
            holdoutFraction: f.holdoutFraction,
            seed: f.seed,
            maxReject: f.maxReject,
            minRowsPerBank: f.minRows,
            transport: f.transport,
            job: jobFromFlags(f, cmd.getOptionValueSource('rounds') === 'cli'),
            dropoutRate: f.dropoutRate,
            baselines: f.baselines,
            outDir: f.out,
            keepWork: f.keepWork === true,
            trainers: pool?.trainers(f.seed),
            ...(f.cv !== undefined ? { cv: f.cv } : {}),
            onPhase: progress.onPhase,
            onRound: progress.onRound,
            onWarning: (w) => io.err(`warning: ${w}`),
            signal: controller.signal,
          });
          progress.stop();
          if (f.json) printJson(io, result);
          else io.out(formatRunSummary(result, f.out));
          if (result.status !== 'completed') throw new ExitSignal(EXIT.failure);
        } catch (err) {
          progress.stop();
          if (err instanceof DataRejectedError) {
            io.err(renderReport(err.report, f.maxReject));
            io.err(`error: ${err.message}`);
            throw new ExitSignal(EXIT.failure);
          }
          throw err;
        }
      } finally {
        process.removeListener('SIGINT', onSigint);
        await pool?.close();
      }
    });
  registerSimulateTuneCommand(simulateCommand, io);
}
