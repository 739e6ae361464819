/**
 * `npm run bench -- simulate [--json] [--quick] [--banks 10,100,500] [--workers N]`: simulated rounds per
 * minute of the whole in-process federation (credit MLP, 1,000 rows per bank) with client training on the
 * worker pool vs on the main thread, in the same run, and peak memory per simulated bank.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFederation, seededTrainers, simulationJob, type TrainerFactory } from '../simulations/federation-run.js';
import { prepareSimulationData, type SimulationData } from '../simulations/sim-data.js';
import { synthesize } from '../simulations/synth/index.js';
import { createTrainerPool } from '../simulations/trainer-pool.js';
import { runBenchGroup, type PartResult, type SummaryRow } from './summary.js';

const ROWS_PER_BANK = 1000;
const TEST_FRACTION = 0.2;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** One federation run: milliseconds per round after the first, and the peak RSS above the start. */
async function measureRun(data: SimulationData, rounds: number, trainers: TrainerFactory): Promise<{ msPerRound: number; peakRssBytes: number }> {
  const job = simulationJob({ rounds, model: { type: 'mlp', hidden: [16] }, localEpochs: 1, batchSize: 64 }, data, 'credit-scoring');
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const commits: number[] = [];
  try {
    await runFederation({ data, job, seed: 1, transport: 'in-process', holdoutFraction: 0.2, trainers, onRound: () => commits.push(performance.now()) });
  } finally {
    clearInterval(sampler);
  }
  // Round 1 also pays for the stats stage and every daemon's first tfjs call: the rate uses rounds 2..R.
  const gaps = commits.slice(1).map((t, i) => t - commits[i]!);
  return { msPerRound: gaps.reduce((a, b) => a + b, 0) / gaps.length, peakRssBytes: peak - rss0 };
}

async function measure(args: string[]): Promise<PartResult> {
  const quick = args.includes('--quick');
  const sizes = (flag(args, '--banks') ?? (quick ? '10,100' : '10,100,500')).split(',').map(Number);
  const workers = Number(flag(args, '--workers') ?? availableParallelism());
  const rounds = quick ? 2 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bench-sim-'));
  const pool = await createTrainerPool({ workers });
  const rows: SummaryRow[] = [];
  const result: Record<string, unknown> = { workers, rounds, rowsPerBank: ROWS_PER_BANK };
  const text: string[] = [`simulate: in-process federation, credit MLP [16], ${ROWS_PER_BANK} rows per bank, ${rounds} rounds; pool of ${workers} worker threads vs main thread`];
  try {
    for (const banks of sizes) {
      const synthDir = join(dir, `synth-${banks}`);
      const s = await synthesize({ schema: 'credit.v1', banks: 1, rows: Math.round((banks * ROWS_PER_BANK) / (1 - TEST_FRACTION)), seed: 'bench-simulate', skew: 0, outDir: synthDir });
      const data = await prepareSimulationData({ dataFile: join(synthDir, s.banks[0]!.file), schema: 'credit.v1', mappingFile: join(synthDir, s.banks[0]!.mapping), task: 'credit-scoring', banks, partition: { kind: 'iid' }, testFraction: TEST_FRACTION, seed: 1, maxReject: 1_000_000, minRowsPerBank: 10, policyFile: undefined, workDir: join(dir, `work-${banks}`) });
      const single = await measureRun(data, rounds, seededTrainers(1));
      const pooled = await measureRun(data, rounds, pool.trainers(1));
      const perMin = (ms: number): number => 60_000 / ms;
      const ratio = single.msPerRound / pooled.msPerRound;
      const memPerBank = Math.max(single.peakRssBytes, pooled.peakRssBytes) / banks / 2 ** 20;
      result[`banks-${banks}`] = { singleRoundsPerMin: perMin(single.msPerRound), poolRoundsPerMin: perMin(pooled.msPerRound), ratio, single, pooled, peakRssPerBankMiB: memPerBank };
      text.push(`  ${String(banks).padStart(4)} banks: main thread ${perMin(single.msPerRound).toFixed(2)} rounds/min, pool ${perMin(pooled.msPerRound).toFixed(2)} rounds/min (×${ratio.toFixed(2)}); peak memory ${memPerBank.toFixed(2)} MiB per bank`);
      rows.push({ metric: `${banks} banks: rounds/min, pool`, value: perMin(pooled.msPerRound), unit: '/min', target: 'report', ok: true });
      rows.push({ metric: `${banks} banks: pool vs main thread`, value: ratio, unit: '×', target: banks >= 100 ? '≥ 1.7 on 2 cores' : 'report', ok: banks < 100 || ratio >= 1.7 });
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
