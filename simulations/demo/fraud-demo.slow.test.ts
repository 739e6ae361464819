/** Slow end-to-end test of `fedfin demo --task fraud-detection` (npm run test:slow): real processes, feature step, DP job, rare-event comparison. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleError, type CliIo } from '../../cli/io.js';
import { createProgram } from '../../cli/main.js';
import { isAlive as alive, pidsIn, useScratchDir } from '../../test/helpers/scratch.js';
import { FRAUD_DEMO } from './fraud-profile.js';

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

  it('runs the default DP federation of 3 daemon processes on transactions; federated PR-AUC is above every bank alone and at least 0.9x centralised', async () => {
    const jsonFile = join(scratch.path, 'report.json');
    // The defaults (seed 7): the figures docs/tasks.md quotes. DP noise comes from node:crypto, so the run is not bit-reproducible.
    const r = await runCli(['demo', '--task', 'fraud-detection', '--json', jsonFile]);
    expect(r.code, r.err.join('\n')).toBe(0);
    const rounds = FRAUD_DEMO.defaults.rounds;
    // The per-round line shows the task's headline: the pooled-holdout PR-AUC first.
    const roundLine = new RegExp(`^round \\d+/${rounds} {2}pr-auc [01]\\.\\d{3} {2}recall@1%fpr [01]\\.\\d{3} {2}auc [01]\\.\\d{3} {2}ε \\d\\.\\d{2} \\(δ 1e-5\\) {2}banks 3$`);
    expect(r.out.filter((l) => roundLine.test(l))).toHaveLength(rounds);
    expect(r.out.join('\n')).toMatch(/^model +pr-auc +recall@1%fpr +prec@top1% +auc +train rows$/m);
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      task: string; rounds: number; federated: Line; centralized: Line & { epsilon: number }; localOnly: (Line & { bank: string; epsilon: number })[];
      privacy: { epsilon: number; unit: string }; targets: { metric: string; federatedVsCentralized: number; aboveEveryBankAlone: boolean }; binningCheck: Record<string, number>; fraudRate: number;
    };
    expect(report.task).toBe('fraud-detection');
    expect(report.rounds).toBe(rounds);
    expect(report.localOnly.map((l) => l.bank)).toEqual(['bank-1', 'bank-2', 'bank-3']);
    for (const line of [report.federated, report.centralized, ...report.localOnly]) {
      for (const k of ['prAuc', 'recallAtFpr', 'precisionAtK', 'auc'] as const) expect(line[k]).toBeGreaterThanOrEqual(0);
    }
    // The baselines spent the same budget as each bank in the federation.
    for (const b of [report.centralized, ...report.localOnly]) expect(b.epsilon).toBeCloseTo(report.privacy.epsilon, 1);
    expect(report.targets.metric).toBe('prAuc');
    // The demo's claim, on the headline metric: federation beats every bank alone and gets near pooling.
    for (const b of report.localOnly) expect(report.federated.prAuc, b.bank).toBeGreaterThan(b.prAuc);
    expect(report.targets.aboveEveryBankAlone).toBe(true);
    expect(report.federated.prAuc).toBeGreaterThanOrEqual(0.9 * report.centralized.prAuc);
    expect(report.federated.prAuc).toBeGreaterThan(5 * report.fraudRate);
    expect(report.privacy.unit).toBe('record');
    expect(report.privacy.epsilon).toBeLessThanOrEqual(FRAUD_DEMO.defaults.epsilon + 1e-6);
    expect(Math.abs(report.binningCheck['prAucExact']! - report.binningCheck['prAucLogit']!)).toBeLessThan(0.02);
    expect(pidsIn(r.err).filter(alive)).toEqual([]);
  }, 400_000);
});
