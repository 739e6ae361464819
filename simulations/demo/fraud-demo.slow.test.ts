/** Slow end-to-end test of `fedfin demo --task fraud-detection` (npm run test:slow): real processes, feature step, DP job, rare-event comparison. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleError, type CliIo } from '../../cli/io.js';
import { createProgram } from '../../cli/main.js';
import { isAlive as alive, pidsIn, useScratchDir } from '../../test/helpers/scratch.js';

async function runCli(args: readonly string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  let code = 0;
  try {
    await createProgram(io).parseAsync(['node', 'fedfin', ...args]);
  } catch (e) {
    code = handleError(io, e);
  }
  return { code, out, err };
}

interface Line { prAuc: number; recallAtFpr: number; precisionAtK: number; auc: number; rows: number }

describe('fedfin demo --task fraud-detection', () => {
  const scratch = useScratchDir('fedfin-fraud-demo-slow-');

  it('runs a DP federation of 3 daemon processes on transactions and reports PR-AUC, recall at 1 % FPR and AUC for every model', async () => {
    const jsonFile = join(scratch.path, 'report.json');
    const r = await runCli(['demo', '--task', 'fraud-detection', '--rows', '20000', '--rounds', '8', '--json', jsonFile]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.join('\n')).toMatch(/^model +pr-auc +recall@1%fpr +prec@top1% +auc +train rows$/m);
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      task: string; rounds: number; federated: Line; centralized: Line & { epsilon: number }; localOnly: (Line & { bank: string })[];
      privacy: { epsilon: number; unit: string }; targets: { metric: string }; binningCheck: Record<string, number>; fraudRate: number;
    };
    expect(report.task).toBe('fraud-detection');
    expect(report.rounds).toBe(8);
    expect(report.localOnly.map((l) => l.bank)).toEqual(['bank-1', 'bank-2', 'bank-3']);
    for (const line of [report.federated, report.centralized, ...report.localOnly]) {
      for (const k of ['prAuc', 'recallAtFpr', 'precisionAtK', 'auc'] as const) expect(line[k]).toBeGreaterThanOrEqual(0);
    }
    expect(report.targets.metric).toBe('prAuc');
    // Features carry the signal: even a short federation ranks frauds far above chance (PR-AUC baseline = fraud rate).
    expect(report.federated.prAuc).toBeGreaterThan(5 * report.fraudRate);
    expect(report.federated.auc).toBeGreaterThan(0.75);
    expect(report.privacy.unit).toBe('record');
    expect(report.privacy.epsilon).toBeLessThanOrEqual(3);
    expect(Math.abs(report.binningCheck['prAucExact']! - report.binningCheck['prAucLogit']!)).toBeLessThan(0.02);
    expect(pidsIn(r.err).filter(alive)).toEqual([]);
  }, 400_000);
});
