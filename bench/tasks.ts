/** `npm run bench -- tasks [--json] [--quick]`: training throughput per task (credit, market, fraud; wasm vs cpu) and `fedfin predict` against the bare model, one summary table. */
import { runBenchGroup, type BenchPart } from './summary.js';

const PARTS: readonly BenchPart[] = [
  ['train', () => import('./tasks-train.js')],
  ['predict', () => import('./tasks-predict.js')],
  ['market', () => import('./tasks-market.js')],
  ['fraud', () => import('./tasks-fraud.js')],
];

/**
 * Runs the training part, then the predict part, in one process. Rates are per CPU second, since the
 * machine is shared. Flags: `--json`, `--quick` (under 30 s), and each part's own flags.
 */
export async function run(args: string[]): Promise<void> {
  await runBenchGroup('tasks', PARTS, args);
}
