/** `npm run bench -- privacy [--json] [--quick]`: accountant latency, masking vs raw keystream, DP-SGD vs plain training, one summary table. */
import { loadavg } from 'node:os';

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

const PARTS: readonly (readonly [string, () => Promise<{ measure: (args: string[]) => Promise<PartResult> }>])[] = [
  ['accountant', () => import('./privacy-accountant.js')],
  ['masking', () => import('./privacy-masking.js')],
  ['dpsgd', () => import('./privacy-dpsgd.js')],
];

function table(rows: readonly SummaryRow[]): string {
  const cells = rows.map((r) => [r.metric, `${r.value.toFixed(r.unit === 'ms' ? 3 : 2)} ${r.unit}`, r.target, r.ok ? 'ok' : 'MISSED']);
  const head = ['metric', 'value', 'target', ''];
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const fmt = (row: readonly string[]): string => row.map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}

/**
 * Runs the three parts in one process, one after the other, and prints each part's details and then one summary
 * table of the ratios against their targets (`--json`: one JSON object with every part's figures and the table).
 * The 1-minute load average is printed before and after: the machine is shared and the ratios are paired
 * measurements, but absolute times are only comparable between runs at similar load.
 * @param args command-line flags after the group name.
 */
export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const loadBefore = loadavg()[0]!;
  const parts: Record<string, Record<string, unknown>> = {};
  const rows: SummaryRow[] = [];
  for (const [name, load] of PARTS) {
    const part = await (await load()).measure(args);
    parts[name] = part.result;
    rows.push(...part.rows);
    if (!json) process.stdout.write(`${part.text}\n`);
  }
  const load = { before: loadBefore, after: loadavg()[0]!, cores: (await import('node:os')).availableParallelism() };
  if (json) {
    process.stdout.write(`${JSON.stringify({ benchmark: 'privacy', load, parts, summary: rows })}\n`);
    return;
  }
  process.stdout.write(`\nprivacy summary (load average ${load.before.toFixed(1)} → ${load.after.toFixed(1)} on ${load.cores} cores)\n${table(rows)}\n`);
}
