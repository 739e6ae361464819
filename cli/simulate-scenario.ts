/** `fedfin simulate --scenario NAME|FILE`: a grid × seeds sweep with a cache that resumes, an up-front time estimate, and a report with charts. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { UsageError } from '../common/errors.js';
import { expandScenario, loadScenario } from '../simulations/scenario.js';
import { assertTaskAvailable } from '../simulations/sim-data.js';
import { headlineMetric } from '../simulations/sim-tasks.js';
import { estimateSweepSeconds, runSweep } from '../simulations/sweep.js';
import { renderSweepReport } from '../simulations/sweep-report.js';
import type { TrainerPool } from '../simulations/trainer-pool.js';
import { printJson, type CliIo } from './io.js';
import { roundProgress } from './simulate.js';

/** A grid estimated to take longer than this needs --yes. */
export const LONG_SWEEP_SECONDS = 6 * 3600;

const human = (s: number): string => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86_400).toFixed(1)} days`);

/** Options of the scenario mode. */
export interface ScenarioCommandOptions {
  readonly scenario: string;
  readonly out: string;
  readonly yes: boolean;
  readonly json: boolean;
  readonly transport: 'in-process' | 'grpc';
  readonly pool: TrainerPool | undefined;
  readonly signal: AbortSignal;
  /** `--cv K`: each run also cross-validates (K more federations per run). */
  readonly cv?: number;
}

/** Runs a scenario; refuses (exit 2) a grid estimated past LONG_SWEEP_SECONDS without --yes. */
export async function runScenarioCommand(io: CliIo, o: ScenarioCommandOptions): Promise<void> {
  const scenario = loadScenario(o.scenario);
  assertTaskAvailable(scenario.task);
  const cells = expandScenario(scenario);
  const rows = 'file' in scenario.data ? Math.max(0, readFileSync(scenario.data.file, 'utf8').split('\n').length - 2) : scenario.data.synth.rows * scenario.data.synth.banks;
  const estimate = (estimateSweepSeconds(scenario, rows) * (1 + (o.cv ?? 0))) / (o.pool ? Math.max(1, o.pool.size * 0.85) : 1);
  io.err(`scenario ${scenario.name}: ${cells.length} runs (${cells.length / scenario.seeds.length} variants × ${scenario.seeds.length} seeds), estimated ${human(estimate)} on this machine`);
  if (estimate > LONG_SWEEP_SECONDS && !o.yes) throw new UsageError(`scenario ${scenario.name} is estimated to take ${human(estimate)} (more than ${human(LONG_SWEEP_SECONDS)}): pass --yes to run it, or shrink the grid, seeds or rounds`);
  const progress = roundProgress(io, o.json);
  const t0 = performance.now();
  try {
    const result = await runSweep({
      scenario,
      outDir: o.out,
      transport: o.transport,
      trainers: o.pool ? (seed) => o.pool!.trainers(seed) : undefined,
      ...(o.cv !== undefined ? { cv: o.cv, onPhase: progress.onPhase } : {}),
      onCell: (i, n, cell, cached) => {
        const elapsed = (performance.now() - t0) / 1000;
        const eta = i > 0 ? ` — ETA ${human((elapsed / i) * (n - i))}` : '';
        progress.onPhase(`run ${i + 1}/${n}: ${cell.variant}, seed ${cell.seed}${cached ? ' (cached)' : ''}${eta}`);
      },
      onRound: progress.onRound,
      signal: o.signal,
    });
    progress.stop();
    writeFileAtomic(resolve(o.out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
    await renderSweepReport(result, o.out);
    if (o.json) printJson(io, result);
    else {
      const head = headlineMetric(scenario.task);
      for (const v of result.variants) {
        const m = v.federated[head.key];
        io.out(`${v.variant.padEnd(40)} ${head.header} ${m ? `${m.mean.toFixed(head.digits ?? 3)} ± ${m.std.toFixed(head.digits ?? 3)}` : '–'}${v.epsilon ? `  ε ${v.epsilon.mean.toFixed(2)}` : ''}`);
      }
      io.out(`wrote ${resolve(o.out, 'results.json')} and ${resolve(o.out, 'report.md')} (${result.cachedRuns} of ${result.runs.length} runs from the cache)`);
    }
  } finally {
    progress.stop();
  }
}
