/** `npm run bench -- tasks [--json] [--quick]`: credit-scoring training throughput (wasm vs cpu) and `fedfin predict` against the bare model, one summary table. */
import { availableParallelism, loadavg } from 'node:os';
import type { PartResult, SummaryRow } from './privacy.js';

const PARTS: readonly (readonly [string, () => Promise<{ measure: (args: string[]) => Promise<PartResult> }>])[] = [
  ['train', () => import('./tasks-train.js')],
  ['predict', () => import('./tasks-predict.js')],
];

function table(rows: readonly SummaryRow[]): string {
  const cells = rows.map((r) => [r.metric, `${r.value.toFixed(3)} ${r.unit}`, r.target, r.ok ? 'ok' : 'MISSED']);
  const head = ['metric', 'value', 'target', ''];
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const fmt = (row: readonly string[]): string => row.map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}

/**
 * Runs the training part, then the predict part, in one process and prints each part's figures and one
 * summary table of ratios against targets (`--json`: one JSON object with every figure and the table).
 * Rates are per CPU second, since the machine is shared; the 1-minute load average is printed before and after.
 * @param args flags after the group name: `--json`, `--quick` (under 30 s), and each part's own flags.
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
  const load = { before: loadBefore, after: loadavg()[0]!, cores: availableParallelism() };
  if (json) {
    process.stdout.write(`${JSON.stringify({ benchmark: 'tasks', load, parts, summary: rows })}\n`);
    return;
  }
  process.stdout.write(`\ntasks summary (load average ${load.before.toFixed(1)} → ${load.after.toFixed(1)} on ${load.cores} cores)\n${table(rows)}\n`);
}
