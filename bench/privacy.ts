/** `npm run bench -- privacy [--json] [--quick]`: accountant latency, masking vs raw keystream, DP-SGD vs plain training, one summary table. */
import { runBenchGroup, type BenchPart } from './summary.js';

export type { PartResult, SummaryRow } from './summary.js';

const PARTS: readonly BenchPart[] = [
  ['accountant', () => import('./privacy-accountant.js')],
  ['masking', () => import('./privacy-masking.js')],
  ['dpsgd', () => import('./privacy-dpsgd.js')],
];

/** Runs the three parts in one process and prints their details and one summary table. */
export async function run(args: string[]): Promise<void> {
  await runBenchGroup('privacy', PARTS, args, (r) => (r.unit === 'ms' ? 3 : 2));
}
