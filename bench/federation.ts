/** `npm run bench -- federation [--json] [--quick]`: gRPC upload vs raw TCP, FedAvg vs a bare sum loop, and a round's time split. */
import { cpus, loadavg } from 'node:os';
import { benchAggregate } from './federation-aggregate.js';
import { benchRound, type RoundSplit } from './federation-round.js';
import { cell, verdict } from './federation-timing.js';
import type { UploadBreakdown } from './federation-upload-breakdown.js';
import { benchUpload, type UploadFigures } from './federation-upload.js';

/** Targets from the issue: ratios against the baseline measured in the same run. */
export const TARGETS = { uploadOverRawTcp: 0.5, fedAvgOverBareSum: 0.5 } as const;

function uploadLine(label: string, u: UploadFigures): string {
  return (
    `  ${label.padEnd(38)} ${cell(u.timing.ms, 7)} ms ${cell(u.grpcMBps, 7, 0)} MB/s | raw TCP ${cell(u.timing.baselineMs, 6)} ms ${cell(u.rawTcpMBps, 6, 0)} MB/s` +
    ` | ratio ${u.ratio.toFixed(3)} (${verdict(u.ratio, TARGETS.uploadOverRawTcp)} ≥ ${TARGETS.uploadOverRawTcp})` +
    ` | CPU ${cell(u.cpu.grpcMs, 5)} vs ${cell(u.cpu.rawTcpMs, 4)} ms → ${u.cpu.ratio.toFixed(3)}\n`
  );
}

function breakdownLine(b: UploadBreakdown): string {
  return (
    `  coordinator steps on one update, alone (median of ${b.runs}, CPU ms): reassemble ${b.reassembleMs.toFixed(2)}, tensor views ${b.decodeMs.toFixed(2)},` +
    ` validate ${b.validateMs.toFixed(2)}, result row ${b.resultRowMs.toFixed(2)} | update written when the stage is collected: ${b.updateWriteMs.toFixed(1)}\n`
  );
}

function roundTable(rows: readonly RoundSplit[]): string {
  const cols: [string, keyof RoundSplit][] = [
    ['train', 'trainMs'],
    ['transfer', 'transferMs'],
    ['fit stage', 'fitStageMs'],
    ['aggregate', 'aggregateMs'],
    ['evaluate', 'evaluateMs'],
    ['commit', 'commitMs'],
    ['round', 'roundMs'],
    ['store train_ms', 'storeTrainMs'],
  ];
  const head = `  ${'banks'.padEnd(6)}${cols.map(([h]) => h.padStart(16)).join('')}\n`;
  const body = rows.map((r) => `  ${String(r.banks).padEnd(6)}${cols.map(([, k]) => cell(r[k], 16)).join('')}\n`).join('');
  return head + body;
}

/**
 * Runs the three federation benchmarks and prints a table (or one JSON line with `--json`).
 * `--quick` cuts repeats for a smoke run; figures from it are not for the docs.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const load = loadavg()[0]!;
  const upload = await benchUpload(quick ? 3 : 9);
  const aggregate = await benchAggregate(quick ? 3 : 7);
  const rounds: RoundSplit[] = [];
  for (const banks of [3, 10]) rounds.push(await benchRound(banks, quick ? 2 : 5, 400));
  const result = {
    name: 'federation',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAvg1mAtStart: load, node: process.version },
    upload,
    aggregate,
    rounds,
    targets: TARGETS,
  };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const mb = (upload.bytes / 1e6).toFixed(1);
  process.stdout.write(
    `federation (${result.machine.cpus} CPUs, load ${load.toFixed(1)} at start, median of paired runs)\n` +
      `upload of one ${mb} MB fit result (1,000,001 float32) vs the same bytes over raw loopback TCP:\n` +
      uploadLine('gRPC PushResult → Coordinator+SQLite', upload.coordinator) +
      uploadLine('gRPC PushResult, no store', upload.transportOnly) +
      uploadLine('ceiling: grpc-js no-op handler', upload.grpcCeiling) +
      breakdownLine(upload.breakdown) +
      `  → upload ${cell(upload.coordinator.grpcMBps, 0, 0)} MB/s vs raw TCP ${cell(upload.coordinator.rawTcpMBps, 0, 0)} MB/s: ratio ${upload.coordinator.ratio.toFixed(3)};` +
      ` the grpc-js ceiling in the same run is ${upload.grpcCeiling.ratio.toFixed(3)} (coordinator path at ${((100 * upload.coordinator.ratio) / upload.grpcCeiling.ratio).toFixed(0)} % of it)\n` +
      `FedAvg weightedMean, ${aggregate.updates} updates × ${aggregate.parameters.toLocaleString('en')} parameters: ${aggregate.timing.ms.toFixed(1)} ms` +
      ` vs bare Float32Array sum ${aggregate.timing.baselineMs.toFixed(1)} ms → ratio ${aggregate.ratio.toFixed(2)} (${verdict(aggregate.ratio, TARGETS.fedAvgOverBareSum)} ≥ ${TARGETS.fedAvgOverBareSum});` +
      ` max error ${aggregate.maxErrorUlps.toFixed(2)} ulp vs float64\n` +
      `round time split, ms (median over ${rounds[0]!.rounds} rounds after a warm-up; logistic credit model, ${rounds[0]!.rowsPerBank} rows per bank, in-process daemons):\n` +
      roundTable(rounds),
  );
}
