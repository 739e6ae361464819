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

  it('runs a 3-round LSTM federation of 3 daemon processes and reports rmse, direction, Sharpe and buy-and-hold for every model', async () => {
    const dir = scratch.path;
    const jsonFile = join(dir, 'report.json');
    const r = await runCli(['demo', '--task', 'market-forecast', '--out', join(dir, 'run'), '--rows', '1200', '--rounds', '3', '--json', jsonFile]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.filter((l) => /^round \d\/3 {2}rmse 0\.\d{5} {2}direction 0\.\d{3} {2}sharpe -?\d+\.\d{3} {2}banks 3$/.test(l))).toHaveLength(3);
    type Line = { rmse: number; directionalAccuracy: number; sharpe: number };
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as { task: string; federated: Line; centralized: Line; localOnly: Line[]; buyAndHold: { sharpe: number }; privacy: unknown };
    expect(report.task).toBe('market-forecast');
    for (const line of [report.federated, report.centralized, ...report.localOnly]) {
      expect(line.rmse).toBeGreaterThan(0.001);
      expect(line.rmse).toBeLessThan(0.1);
      expect(line.directionalAccuracy).toBeGreaterThan(0.3);
      expect(line.directionalAccuracy).toBeLessThan(0.7);
      expect(Number.isFinite(line.sharpe)).toBe(true);
    }
    expect(report.localOnly).toHaveLength(3);
    expect(Number.isFinite(report.buyAndHold.sharpe)).toBe(true);
    expect(report.privacy).toBeNull();
    expect(pidsIn(r.err).filter(alive)).toEqual([]);
  }, 300_000);
});
