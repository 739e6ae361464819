/** The shared shape of a benchmark group: parts measured in one process, then one summary table of ratios vs targets. */
import { availableParallelism, loadavg } from 'node:os';

/** One line of the summary table. */
export interface SummaryRow {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly ok: boolean;
}

/** What each part returns: its full figures (for --json), its summary rows and its detail text. */
export interface PartResult {
  readonly result: Record<string, unknown>;
  readonly rows: readonly SummaryRow[];
  readonly text: string;
}

/** A named part, loaded lazily so a group only pays for what it runs. */
export type BenchPart = readonly [name: string, load: () => Promise<{ measure: (args: string[]) => Promise<PartResult> }>];

/** The summary rows as an aligned text table; `digits(row)` chooses the decimals of each value. */
export function summaryTable(rows: readonly SummaryRow[], digits: (row: SummaryRow) => number = () => 3): string {
  const cells = rows.map((r) => [r.metric, `${r.value.toFixed(digits(r))} ${r.unit}`, r.target, r.ok ? 'ok' : 'MISSED']);
  const head = ['metric', 'value', 'target', ''];
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const fmt = (row: readonly string[]): string => row.map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}

/**
 * Runs the parts one after the other and prints each part's details, then one summary table (`--json`: one
 * JSON object with every part's figures and the table). The 1-minute load average is printed before and
 * after: ratios are paired measurements, absolute times only compare between runs at similar load.
 */
export async function runBenchGroup(name: string, parts: readonly BenchPart[], args: string[], digits?: (row: SummaryRow) => number): Promise<void> {
  const json = args.includes('--json');
  const loadBefore = loadavg()[0]!;
  const figures: Record<string, Record<string, unknown>> = {};
  const rows: SummaryRow[] = [];
  for (const [partName, load] of parts) {
    const part = await (await load()).measure(args);
    figures[partName] = part.result;
    rows.push(...part.rows);
    if (!json) process.stdout.write(`${part.text}\n`);
  }
  const load = { before: loadBefore, after: loadavg()[0]!, cores: availableParallelism() };
  if (json) {
    process.stdout.write(`${JSON.stringify({ benchmark: name, load, parts: figures, summary: rows })}\n`);
    return;
  }
  process.stdout.write(`\n${name} summary (load average ${load.before.toFixed(1)} → ${load.after.toFixed(1)} on ${load.cores} cores)\n${summaryTable(rows, digits)}\n`);
}
