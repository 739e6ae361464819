/** Slow end-to-end test of `fedfin demo` (npm run test:slow): real coordinator and daemon processes, then the comparison. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerDemoCommand } from '../../cli/demo.js';
import { handleError, type CliIo } from '../../cli/io.js';
import { createProgram } from '../../cli/main.js';
import { isAlive as alive, pidsIn, useScratchDir } from '../../test/helpers/scratch.js';

/** Runs `fedfin demo …` in-process; registers the command itself while cli/main.ts does not wire it yet. */
async function runCli(args: readonly string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const program = createProgram(io);
  if (!program.commands.some((c) => c.name() === 'demo')) registerDemoCommand(program, io);
  let code = 0;
  try {
    await program.parseAsync(['node', 'fedfin', ...args]);
  } catch (e) {
    code = handleError(io, e);
  }
  return { code, out, err };
}

describe('fedfin demo', () => {
  const scratch = useScratchDir('fedfin-demo-slow-');

  it('runs the default 12-round DP federation of 3 daemon processes, meets both targets, writes the JSON report and leaves no child running, when started from a clean dir', async () => {
    // Prepare
    const dir = scratch.path;
    const jsonFile = join(dir, 'report.json');
    // Execute: the demo's defaults (docs/benchmarks.md, "fedfin demo": measured over 8 seeds)
    const r = await runCli(['demo', '--out', join(dir, 'run'), '--json', jsonFile]);
    // Assert
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.filter((l) => /^round \d+\/12 {2}auc 0\.\d{3} {2}ks 0\.\d{3} {2}logloss \d\.\d{3} {2}ε \d\.\d{2} \(δ 1e-5\) {2}banks 3$/.test(l))).toHaveLength(12);
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      rounds: number;
      federated: { auc: number };
      centralized: { auc: number };
      localOnly: { bank: string; auc: number }[];
      privacy: { epsilon: number; unit: string };
      targets: { federatedVsCentralized: number; aboveEveryBankAlone: boolean };
    };
    expect(report.rounds).toBe(12);
    expect(report.localOnly).toHaveLength(3);
    expect(report.privacy.unit).toBe('record');
    expect(report.privacy.epsilon).toBeLessThanOrEqual(3);
    // The targets: federated AUC ≥ 0.97 × centralised and above every bank alone.
    expect(report.federated.auc / report.centralized.auc).toBeGreaterThanOrEqual(0.97);
    for (const l of report.localOnly) expect(report.federated.auc, `${l.bank} alone`).toBeGreaterThan(l.auc);
    expect(report.targets).toMatchObject({ aboveEveryBankAlone: true });
    expect(existsSync(join(dir, 'run', 'coordinator', 'coordinator.db'))).toBe(true);
    const pids = pidsIn(r.err);
    expect(pids).toHaveLength(4);
    expect(pids.filter(alive)).toEqual([]);
  }, 300_000);
});
