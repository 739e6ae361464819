/**
 * `npm run bench -- simulate [--json] [--quick] [--banks 10,100,500] [--workers N] [--repeat N]`: simulated rounds per
 * minute of the whole in-process federation (credit MLP, 1,000 rows per bank) with client training on the
 * worker pool vs on the main thread, in the same run, and peak memory per simulated bank.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFederation, seededTrainers, simulationJob, type TrainerFactory } from '../simulations/federation-run.js';
import { prepareSimulationData, type SimulationData } from '../simulations/sim-data.js';
import { synthesize } from '../simulations/synth/index.js';
import { threadCpuMs } from '../simulations/thread-cpu.js';
import { createTrainerPool, type TrainerPool } from '../simulations/trainer-pool.js';
import { runBenchGroup, type PartResult, type SummaryRow } from './summary.js';

const ROWS_PER_BANK = 1000;
const TEST_FRACTION = 0.2;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** What one federation run measured over rounds 2..R. */
interface RunFigures {
  readonly msPerRound: number;
  readonly peakRssBytes: number;
  /** CPU milliseconds per round of the main thread and of the pool's workers together (undefined off Linux). */
  readonly mainCpuMsPerRound: number | undefined;
  /** The whole process's CPU milliseconds per round, every thread (V8's collector helpers too). */
  readonly processCpuMsPerRound: number;
  readonly workerCpuMsPerRound: number | undefined;
}

/** One federation run: milliseconds and thread CPU per round after the first, and the peak RSS above the start. */
async function measureRun(data: SimulationData, rounds: number, trainers: TrainerFactory, pool?: TrainerPool): Promise<RunFigures> {
  const job = simulationJob({ rounds, model: { type: 'mlp', hidden: [16] }, localEpochs: 1, batchSize: 64 }, data, 'credit-scoring');
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const commits: { at: number; mainCpu: number | undefined; workerCpu: number; processCpu: number }[] = [];
  const processCpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const workerCpu = (): number => (pool?.workerCpuMs() ?? []).reduce((a, b) => a + b, 0);
  try {
    await runFederation({ data, job, seed: 1, transport: 'in-process', holdoutFraction: 0.2, trainers, onRound: () => commits.push({ at: performance.now(), mainCpu: threadCpuMs(), workerCpu: workerCpu(), processCpu: processCpu() }) });
  } finally {
    clearInterval(sampler);
  }
  // Round 1 also pays for the stats stage and every daemon's first tfjs call: the rates use rounds 2..R.
  const first = commits[0]!;
  const last = commits.at(-1)!;
  const n = commits.length - 1;
  const mainCpu = first.mainCpu === undefined || last.mainCpu === undefined ? undefined : (last.mainCpu - first.mainCpu) / n;
  return { msPerRound: (last.at - first.at) / n, peakRssBytes: peak - rss0, mainCpuMsPerRound: mainCpu, processCpuMsPerRound: (last.processCpu - first.processCpu) / n, workerCpuMsPerRound: mainCpu === undefined ? undefined : (last.workerCpu - first.workerCpu) / n };
}

const median = (xs: readonly number[]): number => {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
};
const medianOr = (xs: readonly (number | undefined)[]): number | undefined => (xs.some((x) => x === undefined) ? undefined : median(xs as number[]));

/** The median of each figure over repeated runs (memory: the peak). */
function medianFigures(runs: readonly RunFigures[]): RunFigures {
  return { msPerRound: median(runs.map((r) => r.msPerRound)), peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)), mainCpuMsPerRound: medianOr(runs.map((r) => r.mainCpuMsPerRound)), processCpuMsPerRound: median(runs.map((r) => r.processCpuMsPerRound)), workerCpuMsPerRound: medianOr(runs.map((r) => r.workerCpuMsPerRound)) };
}

/** Rounds per run: enough measured rounds for a stable rate at small sizes, few at 500 banks. */
function roundsFor(banks: number, quick: boolean): number {
  const r = banks <= 10 ? 30 : banks <= 100 ? 8 : 3;
  return quick ? Math.min(r, 3) : r;
}

async function measure(args: string[]): Promise<PartResult> {
  const quick = args.includes('--quick');
  const sizes = (flag(args, '--banks') ?? (quick ? '10,100' : '10,100,500')).split(',').map(Number);
  const workers = Number(flag(args, '--workers') ?? availableParallelism());
  const cores = availableParallelism();
  // Main thread and pool alternate `repeat` times per size and the ratio is the median of the pairs' ratios:
  // on this shared machine the same fit's CPU time drifts by ±30 % within a minute, so one pair can mislead.
  const repeat = Number(flag(args, '--repeat') ?? (quick ? 1 : 3));
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50) throw new RangeError(`--repeat: expected an integer in [1, 50], got ${flag(args, '--repeat')}`);
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bench-sim-'));
  const pool = await createTrainerPool({ workers });
  const rows: SummaryRow[] = [];
  const result: Record<string, unknown> = { workers, cores, rowsPerBank: ROWS_PER_BANK };
  const text: string[] = [`simulate: in-process federation, credit MLP [16], ${ROWS_PER_BANK} rows per bank; pool of ${workers} worker threads vs main thread`];
  try {
    for (const banks of sizes) {
      const rounds = roundsFor(banks, quick);
      const synthDir = join(dir, `synth-${banks}`);
      const s = await synthesize({ schema: 'credit.v1', banks: 1, rows: Math.round((banks * ROWS_PER_BANK) / (1 - TEST_FRACTION)), seed: 'bench-simulate', skew: 0, outDir: synthDir });
      const data = await prepareSimulationData({ dataFile: join(synthDir, s.banks[0]!.file), schema: 'credit.v1', mappingFile: join(synthDir, s.banks[0]!.mapping), task: 'credit-scoring', banks, partition: { kind: 'iid' }, testFraction: TEST_FRACTION, seed: 1, maxReject: 1_000_000, minRowsPerBank: 10, policyFile: undefined, workDir: join(dir, `work-${banks}`) });
      // One unmeasured 2-round run of each mode first: the workers' isolates start cold, the main thread's not.
      if (banks === sizes[0]) {
        await measureRun(data, 2, seededTrainers(1));
        await measureRun(data, 2, pool.trainers(1), pool);
      }
      const singles: RunFigures[] = [];
      const pools: RunFigures[] = [];
      for (let k = 0; k < repeat; k++) {
        singles.push(await measureRun(data, rounds, seededTrainers(1)));
        pools.push(await measureRun(data, rounds, pool.trainers(1), pool));
      }
      const single = medianFigures(singles);
      const pooled = medianFigures(pools);
      const pairRatios = singles.map((x, k) => x.msPerRound / pools[k]!.msPerRound);
      const perMin = (ms: number): number => 60_000 / ms;
      const ratio = median(pairRatios);
      // The CPU-time bound: the single-thread round's CPU against what the pooled round needs on `cores`
      // idle cores — its main thread alone, or all its threads' CPU spread over the cores, whichever is more.
      // It is what a quiet machine would show at best (stage barriers idle a thread now and then).
      const cpuRatio =
        single.mainCpuMsPerRound !== undefined && pooled.mainCpuMsPerRound !== undefined && pooled.workerCpuMsPerRound !== undefined
          ? single.mainCpuMsPerRound / Math.max(pooled.mainCpuMsPerRound, (pooled.mainCpuMsPerRound + pooled.workerCpuMsPerRound) / cores)
          : undefined;
      // The whole-process bound: `cores` cores kept busy with the pooled run's total CPU (every thread, V8's
      // collector helpers too) against the single-thread run's wall time. The single-thread run gets part of
      // the second core for free (its collector), so this — not the core count — is the ceiling of the ratio.
      const processRatio = (cores * single.msPerRound) / pooled.processCpuMsPerRound;
      const memPerBank = Math.max(single.peakRssBytes, pooled.peakRssBytes) / banks / 2 ** 20;
      result[`banks-${banks}`] = { rounds, repeat, pairRatios, singleRoundsPerMin: perMin(single.msPerRound), poolRoundsPerMin: perMin(pooled.msPerRound), ratio, cpuRatio, processRatio, single, pooled, peakRssPerBankMiB: memPerBank };
      const cpu = (x: number | undefined): string => (x === undefined ? 'n/a' : `${x.toFixed(0)} ms`);
      text.push(
        `  ${String(banks).padStart(4)} banks (${rounds} rounds${repeat > 1 ? `, median of ${repeat} pairs: ${pairRatios.map((r) => r.toFixed(2)).join(', ')}` : ''}): main thread ${perMin(single.msPerRound).toFixed(2)} rounds/min, pool ${perMin(pooled.msPerRound).toFixed(2)} rounds/min (×${ratio.toFixed(2)}); peak memory ${memPerBank.toFixed(2)} MiB per bank`,
        `        CPU per round: main thread alone ${cpu(single.mainCpuMsPerRound)}; with the pool main ${cpu(pooled.mainCpuMsPerRound)} + workers ${cpu(pooled.workerCpuMsPerRound)} → CPU-time bound ×${cpuRatio?.toFixed(2) ?? 'n/a'} on ${cores} cores`,
        // The "single thread" is not one core of work: V8 collects garbage on helper threads beside it.
        `        whole process CPU per round: single thread ${cpu(single.processCpuMsPerRound)} (${single.mainCpuMsPerRound ? (single.processCpuMsPerRound / single.mainCpuMsPerRound).toFixed(2) : 'n/a'}× its main thread), pool ${cpu(pooled.processCpuMsPerRound)} → whole-process bound ×${processRatio.toFixed(2)} on ${cores} cores`,
      );
      rows.push({ metric: `${banks} banks: rounds/min, pool`, value: perMin(pooled.msPerRound), unit: '/min', target: 'report', ok: true });
      rows.push({ metric: `${banks} banks: pool vs main thread`, value: ratio, unit: '×', target: '≥ 1.7 on 2 cores', ok: ratio >= 1.7 });
      if (cpuRatio !== undefined) rows.push({ metric: `${banks} banks: same, CPU-time bound`, value: cpuRatio, unit: '×', target: 'report', ok: true });
      rows.push({ metric: `${banks} banks: same, whole-process bound`, value: processRatio, unit: '×', target: 'report', ok: true });
      rows.push({ metric: `${banks} banks: peak memory per bank`, value: memPerBank, unit: 'MiB', target: 'report', ok: true });
    }
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { result, rows, text: text.join('\n') };
}

/** Registered in bench/main.ts as `simulate`. */
export async function run(args: string[]): Promise<void> {
  await runBenchGroup('simulate', [['rounds', async () => ({ measure })]], args, (r) => (r.unit === '×' ? 2 : r.unit === 'MiB' ? 2 : 1));
}
