/** Slow end-to-end test of `fedfin demo --task market-forecast` (npm run test:slow): real processes, LSTM job, regression comparison and buy-and-hold. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerDemoCommand } from '../../cli/demo.js';
import { handleError, type CliIo } from '../../cli/io.js';
import { createProgram } from '../../cli/main.js';
import { isAlive as alive, pidsIn, useScratchDir } from '../../test/helpers/scratch.js';

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

describe('fedfin demo --task market-forecast', () => {
  const scratch = useScratchDir('fedfin-market-demo-slow-');

  it('runs the default 12-round LSTM federation of 3 daemon processes; the federated model forecasts direction better than a coin and than every bank alone', async () => {
    const dir = scratch.path;
    const jsonFile = join(dir, 'report.json');
    const r = await runCli(['demo', '--task', 'market-forecast', '--out', join(dir, 'run'), '--json', jsonFile]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.filter((l) => /^round \d+\/12 {2}rmse 0\.\d{5} {2}direction 0\.\d{3} {2}sharpe -?\d+\.\d{3} {2}banks 3$/.test(l))).toHaveLength(12);
    type Line = { rmse: number; directionalAccuracy: number; sharpe: number };
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as { task: string; testRows: number; federated: Line; centralized: Line; localOnly: Line[]; buyAndHold: { sharpe: number }; oracle: Line; privacy: unknown };
    expect(report.task).toBe('market-forecast');
    for (const line of [report.federated, report.centralized, ...report.localOnly, report.oracle]) {
      expect(line.rmse).toBeGreaterThan(0.005);
      expect(line.rmse).toBeLessThan(0.05);
      expect(line.directionalAccuracy).toBeGreaterThan(0.4);
      expect(line.directionalAccuracy).toBeLessThan(0.75);
      expect(Number.isFinite(line.sharpe)).toBe(true);
    }
    expect(report.localOnly).toHaveLength(3);
    expect(Number.isFinite(report.buyAndHold.sharpe)).toBe(true);
    // The planted signal is there: the generator's own forecast calls well over half the directions.
    expect(report.oracle.directionalAccuracy).toBeGreaterThan(0.56);
    // ≈ 3,000 holdout windows: one standard error of a coin's hit rate is ≈ 0.009, so 0.54 is 4 of them.
    expect(report.testRows).toBeGreaterThan(2500);
    expect(report.federated.directionalAccuracy).toBeGreaterThan(0.54);
    // Pooling helps: the federated model is at least as good as every bank alone. The daemons shuffle
    // with node:crypto, so the federated figure differs run to run; on direction it gets one standard
    // error (0.01) of slack, on rmse (steadier: lower in every measured run, docs/tasks.md) none.
    for (const alone of report.localOnly) {
      expect(report.federated.directionalAccuracy).toBeGreaterThanOrEqual(alone.directionalAccuracy - 0.01);
      expect(report.federated.rmse).toBeLessThanOrEqual(alone.rmse);
    }
    expect(report.privacy).toBeNull();
    expect(pidsIn(r.err).filter(alive)).toEqual([]);
  }, 600_000);
});
