/** `fedfin simulate tune`: a hyperparameter search (grid, random, TPE) on federated validation metrics, with a resuming cache, an up-front estimate, tune.json and report.md. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-file.js';
import { UsageError } from '../common/errors.js';
import { DataRejectedError } from '../simulations/sim-data.js';
import { createTrainerPool, type TrainerPool } from '../simulations/trainer-pool.js';
import { trialCount } from '../simulations/tuning/proposer.js';
import { formatParams } from '../simulations/tuning/search-space.js';
import { runTune } from '../simulations/tuning/tune.js';
import { renderTuneReport } from '../simulations/tuning/tune-report.js';
import type { TuneResult } from '../simulations/tuning/tune-result.js';
import { estimateTuneSeconds, loadTuneSpec } from '../simulations/tuning/tune-spec.js';
import { renderReport } from './data-validate.js';
import { ExitSignal, EXIT, printJson, type CliIo } from './io.js';
import { roundProgress } from './simulate.js';
import { LONG_SWEEP_SECONDS } from './simulate-scenario.js';

const FlagsSchema = z.object({
  scenario: z.string().min(1),
  out: z.string().min(1),
  transport: z.enum(['in-process', 'grpc']),
  workers: z.coerce.number().int('--workers: expected an integer').min(0, '--workers: at least 0').max(256, '--workers: at most 256'),
  yes: z.boolean().optional(),
  json: z.boolean().optional(),
});

const human = (s: number): string => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86_400).toFixed(1)} days`);

/** The human summary of a search. */
export function formatTuneSummary(r: TuneResult, outDir: string): string {
  const lines: string[] = [];
  if (r.best) lines.push(`best: trial ${r.best.index} of ${r.trials.length} — ${formatParams(r.best.params)} — validation ${r.search.metric} ${r.best.validation.toFixed(3)}`);
  if (r.test) lines.push(`best configuration on the common test set: AUC ${r.test.federated.auc.toFixed(3)}  KS ${r.test.federated.ks.toFixed(3)}  log-loss ${r.test.federated.logLoss.toFixed(3)}`);
  lines.push(r.privacy ? `privacy of the whole search: ε = ${r.privacy.tuning.epsilonTotal.toFixed(3)} at δ = ${r.privacy.tuning.delta} per bank over ${r.privacy.tuning.trials} trainings (one trial alone ≤ ${r.privacy.maxTrialEpsilon.toFixed(3)})` : 'privacy: none (no DP in this search)');
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(`wrote ${resolve(outDir, 'tune.json')} and ${resolve(outDir, 'report.md')} (${r.cachedTrials} of ${r.trials.length} trials from the cache)`);
  return lines.join('\n');
}

/** Registers `simulate tune` under `simulate`. Exit codes: 0 done; 1 data rejected or no trial produced a metric; 2 usage. */
export function registerSimulateTuneCommand(simulate: Command, io: CliIo): void {
  simulate
    .command('tune')
    .description('hyperparameter search (grid, random, TPE) on validation')
    .requiredOption('--scenario <name|file>', 'a built-in tune spec (credit-tune) or a tune JSON')
    .requiredOption('--out <dir>', 'where tune.json, report.md, charts/, best/ and cache/ go')
    .addOption(new Option('--transport <t>', 'in-process channel or loopback gRPC').choices(['in-process', 'grpc']).default('in-process'))
    .option('--workers <n>', 'training worker threads (0: train on the main thread)', '0')
    .option('--yes', 'run a search even when it is estimated to take long')
    .option('--json', 'print tune.json on stdout')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
      const f = parsed.data;
      const spec = loadTuneSpec(f.scenario);
      const n = trialCount(spec.search);
      const rows = 'file' in spec.data ? Math.max(0, readFileSync(spec.data.file, 'utf8').split('\n').length - 2) : spec.data.synth.rows;
      const estimate = estimateTuneSeconds(spec, rows, n) / (f.workers > 0 ? Math.max(1, f.workers * 0.85) : 1);
      io.err(`tune ${spec.name}: ${spec.search.method}, ${n} trials on validation ${spec.search.metric}, estimated ${human(estimate)} on this machine`);
      if (estimate > LONG_SWEEP_SECONDS && f.yes !== true) throw new UsageError(`tune ${spec.name} is estimated to take ${human(estimate)} (more than ${human(LONG_SWEEP_SECONDS)}): pass --yes to run it, or use fewer trials, rounds or epochs`);
      const pool: TrainerPool | undefined = f.workers > 0 ? await createTrainerPool({ workers: f.workers }) : undefined;
      const controller = new AbortController();
      const onSigint = (): void => {
        io.err('interrupted: stopping the search (finished trials stay in the cache; rerun to resume) …');
        controller.abort(new Error('interrupted'));
      };
      process.once('SIGINT', onSigint);
      const progress = roundProgress(io, f.json === true);
      const t0 = performance.now();
      let ran = 0;
      try {
        const result = await runTune({
          spec,
          outDir: f.out,
          transport: f.transport,
          trainers: pool ? (seed) => pool.trainers(seed) : undefined,
          onTrial: (i, total, params, cached) => {
            const elapsed = (performance.now() - t0) / 1000;
            const eta = ran > 0 ? ` — ETA ${human((elapsed / ran) * (total - i))}` : '';
            if (!cached) ran++;
            progress.onPhase(`trial ${i + 1}/${total}: ${formatParams(params)}${cached ? ' (cached)' : ''}${eta}`);
          },
          onPhase: progress.onPhase,
          onRound: progress.onRound,
          signal: controller.signal,
        });
        progress.stop();
        writeFileAtomic(resolve(f.out, 'tune.json'), `${JSON.stringify(result, null, 2)}\n`);
        await renderTuneReport(result, f.out);
        if (f.json) printJson(io, result);
        else io.out(formatTuneSummary(result, f.out));
        if (!result.best) throw new ExitSignal(EXIT.failure);
      } catch (err) {
        progress.stop();
        if (err instanceof DataRejectedError) {
          io.err(renderReport(err.report, 0));
          io.err(`error: ${err.message}`);
          throw new ExitSignal(EXIT.failure);
        }
        throw err;
      } finally {
        process.removeListener('SIGINT', onSigint);
        await pool?.close();
      }
    });
}
