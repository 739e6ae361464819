/** `npm run bench -- secagg [--quick|--full] [--json]`: SecAgg+ rounds in-process over a grid of n, d and dropout, ratios vs plain FedAvg. */
import { runBenchGroup, type BenchPart } from './summary.js';

const PARTS: readonly BenchPart[] = [['grid', () => import('./secagg-grid.js')]];

/** Runs the grid and prints its table and one summary. */
export async function run(args: string[]): Promise<void> {
  await runBenchGroup('secagg', PARTS, args, (r) => (r.unit === 'ms' ? 1 : 2));
}
