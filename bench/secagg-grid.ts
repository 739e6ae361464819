/** The SecAgg+ grid: per cell client ms, coordinator ms, bytes per bank and ratios vs plain FedAvg; fitted slope of coordinator time on n. */
import type { PartResult, SummaryRow } from './summary.js';
import { runCell, type CellResult } from './secagg-cell.js';

type Cell = readonly [n: number, d: number, dropout: number, modulus?: number];

/** The issue's target cell. */
const TARGET: Cell = [100, 100_000, 0.1];
/** Bonawitz et al. 2017: 1.73× communication expansion over 16-bit cleartext at 2^10 users, 2^20 dimensions. */
const BONAWITZ_EXPANSION = 1.73;

function grid(args: readonly string[]): Cell[] {
  if (args.includes('--quick')) return [10, 50].flatMap((n) => [0, 0.1, 0.3].map((p): Cell => [n, 10_000, p])).concat([[50, 100_000, 0.1, 2 ** 24]]);
  if (args.includes('--full')) {
    return [10, 50, 100, 200].flatMap((n) => [10_000, 100_000, 1_000_000].flatMap((d) => [0, 0.1, 0.3].map((p): Cell => [n, d, p]))).concat([[100, 100_000, 0.1, 2 ** 24]]);
  }
  // Default: the slope series at d = 100k (10 % dropout), the target cell's neighbours in dropout, a 1M column and the compact modulus.
  return [
    [10, 100_000, 0.1],
    [50, 100_000, 0.1],
    TARGET,
    [200, 100_000, 0.1],
    [100, 100_000, 0],
    [100, 100_000, 0.3],
    [10, 1_000_000, 0.1],
    [50, 10_000, 0.1],
    [100, 100_000, 0.1, 2 ** 24],
  ];
}

/** Least-squares slope of log y on log x. */
export function logLogSlope(points: readonly (readonly [number, number])[]): number {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

const pad = (s: string | number, w: number): string => String(s).padStart(w);

function table(cells: readonly CellResult[]): string {
  const head = ['n', 'd', 'drop', 'M', 'k', 't', 'try', 'client ms', 'coord ms', 'agg ms', 'plain ms', 'agg/plain', 'coord/plain', 'up B/bank', 'up/plain', 'down B/bank'];
  const w = [4, 8, 5, 5, 3, 3, 3, 9, 9, 8, 8, 9, 11, 10, 8, 11];
  const rows = cells.map((c) => [c.n, c.d, `${c.dropout * 100}%`, `2^${Math.log2(c.modulus)}`, c.k, c.t, c.completed ? c.attempts : 'x', c.clientMs.toFixed(1), c.coordinatorMs.toFixed(1), c.aggregationMs.toFixed(1), c.plainMs.toFixed(1), c.timeRatio.toFixed(2), c.totalRatio.toFixed(2), c.bytesUpPerBank.toFixed(0), c.bytesRatio.toFixed(3), c.bytesDownPerBank.toFixed(0)]);
  return [head, ...rows].map((r) => r.map((v, i) => pad(v, w[i]!)).join(' ')).join('\n');
}

/** Runs the grid (--quick / default / --full) and returns the figures, the table and the summary rows. */
export async function measure(args: string[]): Promise<PartResult> {
  const cells: CellResult[] = [];
  for (const [n, d, p, m] of grid(args)) {
    const c = runCell(n, d, p, `bench-${n}-${d}-${p}`, m);
    cells.push(c);
    if (!args.includes('--json')) process.stderr.write(`secagg: n=${n} d=${d} dropout=${p}${m ? ` M=2^${Math.log2(m)}` : ''}: coordinator ${c.coordinatorMs.toFixed(0)} ms, client ${c.clientMs.toFixed(0)} ms/bank\n`);
    await new Promise((r) => setImmediate(r));
  }
  const rows: SummaryRow[] = [];
  const lines = [`SecAgg+ in-process (CPU ms, process.cpuUsage; dropouts go silent after share keys; plain = weightedMean of float32 views)`, table(cells)];
  const target = cells.find((c) => c.n === TARGET[0] && c.d === TARGET[1] && c.dropout === TARGET[2] && c.modulus === 2 ** 32);
  if (target?.completed) {
    rows.push({ metric: 'bytes up per bank / plain float32 (n=100, d=100k, 10%)', value: target.bytesRatio, unit: '×', target: '≤ 1.1', ok: target.bytesRatio <= 1.1 });
    rows.push({ metric: 'aggregation / plain FedAvg (n=100, d=100k, 10%)', value: target.timeRatio, unit: '×', target: '≤ 10', ok: target.timeRatio <= 10 });
    rows.push({ metric: 'coordinator total / plain FedAvg (same cell)', value: target.totalRatio, unit: '×', target: 'info', ok: true });
  }
  const series = cells.filter((c) => c.completed && c.d === 100_000 && c.dropout === 0.1 && c.modulus === 2 ** 32);
  const ns = new Set(series.map((c) => c.n));
  let slope: number | undefined;
  let nkSlope: number | undefined;
  if (ns.size >= 3) {
    slope = logLogSlope(series.map((c) => [c.n, c.coordinatorMs]));
    nkSlope = logLogSlope(series.map((c) => [c.n, c.n * c.k]));
    rows.push({ metric: 'slope of coordinator ms on n (d=100k, 10%)', value: slope, unit: '', target: `≤ slope of n·k (${nkSlope.toFixed(2)}) + 0.2`, ok: slope <= nkSlope + 0.2 });
    lines.push(`\ncoordinator time ∝ n^${slope.toFixed(2)} (client ∝ n^${logLogSlope(series.map((c) => [c.n, c.clientMs])).toFixed(2)} per bank); n·k ∝ n^${nkSlope.toFixed(2)}; complete-graph SecAgg (Bonawitz) ∝ n^2 at a fixed dropout fraction`);
  }
  const compact = cells.find((c) => c.completed && c.modulus === 2 ** 24);
  if (compact) {
    const expansion = compact.bytesUpPerBank / (2 * compact.d);
    rows.push({ metric: `expansion vs 16-bit cleartext, M = 2^24 (n=${compact.n}, d=${compact.d / 1000}k)`, value: expansion, unit: '×', target: `< ${BONAWITZ_EXPANSION} (Bonawitz)`, ok: expansion < BONAWITZ_EXPANSION });
    lines.push(`communication expansion over 16-bit cleartext: ${expansion.toFixed(3)}× at M = 2^24 (3 bytes per entry); Bonawitz et al. report ${BONAWITZ_EXPANSION}× (2^10 users, 2^20 dims)`);
  }
  return { result: { cells, slope, nkSlope }, rows, text: lines.join('\n') };
}
