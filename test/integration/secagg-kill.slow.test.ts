/**
 * Secure aggregation with real processes and kill -9: a coordinator and 5 bank daemons spawned from the
 * CLI. bank-4 is killed after advertising (so it never shares keys), bank-5 right after its masked input
 * is stored, and in round 2 the coordinator is killed while the unmask answers are pending, then started
 * again on the same data dir: every round completes, the dead banks are accounted for at the right stage,
 * and the resumed round is the same attempt (not a rerun).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../cli/admin-client.js';
import { freePort, Processes, waitFor, writeFederation } from '../helpers/federation-fixture.js';

const procs = new Processes();
let dir = '';

afterEach(() => {
  procs.killAll();
  delete process.env['FEDFIN_TEST_UNMASK_DELAY_MS'];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Rows of the coordinator's database, read-only (the coordinator keeps writing). */
function query<T>(file: string, sql: string, ...args: unknown[]): T[] {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...args) as T[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

describe('secure aggregation under kill -9', () => {
  it('completes with banks killed at share-keys and after masked input, and resumes a round whose coordinator died mid-unmask', async () => {
    // Prepare
    dir = mkdtempSync(join(tmpdir(), 'fedfin-secagg-kill-'));
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const db = join(dir, 'coord', 'coordinator.db');
    const configs = await writeFederation(dir, { banks: 5, rows: 400, seed: 3, coordinator: address });
    process.env['FEDFIN_TEST_UNMASK_DELAY_MS'] = '1500';
    const startCoordinator = () => procs.start('coordinator', ['coordinator', 'start', '--data-dir', join(dir, 'coord'), '--port', String(port)], dir);
    let coordinator = startCoordinator();
    const banks = configs.map((c, i) => procs.start(`bank-${i + 1}`, ['client', 'start', '--config', c], dir));
    const admin = new AdminClient(address, { callTimeoutMs: 5000 });
    try {
      await waitFor(async () => (await admin.listMembers().catch(() => [])).filter((m) => m.status === 'online').length === 5, 90_000, `5 banks online\n${procs.dump()}`);
      const spec = {
        name: 'secagg-kill', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 2, minBanks: 3, localEpochs: 2, batchSize: 16, learningRate: 0.1,
        timeouts: { fitMs: 60_000, evaluateMs: 20_000 }, maxRoundAttempts: 3, secureAggregation: { enabled: true, maxWeight: 400 },
      };
      const job = await admin.submitJob(JSON.stringify(spec));

      // Execute: bank-4 dies once its advertisement is stored, bank-5 once its masked input is.
      const stored = (member: string, stage: string, round: number) => query(db, 'SELECT 1 FROM stage_results WHERE job_id = ? AND member_id = ? AND stage = ? AND round = ?', job.jobId, member, stage, round).length > 0;
      await waitFor(() => stored('bank-4', 'secagg-advertise', 1), 120_000, `bank-4 advertised\n${procs.dump()}`);
      banks[3]!.kill('SIGKILL');
      await waitFor(() => stored('bank-5', 'secagg-masked-input', 1), 120_000, `bank-5 masked input\n${procs.dump()}`);
      banks[4]!.kill('SIGKILL');
      // Round 2: kill -9 the coordinator while the unmask answers are held back by the banks.
      await waitFor(() => query(db, "SELECT 1 FROM stage_plans WHERE job_id = ? AND round = 2 AND stage = 'secagg-unmask'", job.jobId).length > 0, 180_000, `round 2 at unmask\n${procs.dump()}`);
      coordinator.kill('SIGKILL');
      await new Promise((r) => coordinator.once('exit', r));
      coordinator = startCoordinator();
      const done = await waitFor(async () => {
        const j = await admin.getJob(job.jobId).catch(() => undefined);
        return j && j.job.status !== 'running' ? j : undefined;
      }, 180_000, `job end after restart\n${procs.dump()}`);

      // Assert
      expect(done.job.status, `${done.job.reason}\n${procs.dump()}`).toBe('completed');
      expect(done.rounds.map((r) => r.round)).toEqual([1, 2]);
      const [r1, r2] = done.rounds;
      // bank-5's input is in round 1's sum (its self mask recovered); bank-4 never shared keys.
      expect([...r1!.participants].sort()).toEqual(['bank-1', 'bank-2', 'bank-3', 'bank-5']);
      expect(r1!.dropped.join(' ')).toMatch(/bank-4/);
      expect([...r2!.participants].sort()).toEqual(['bank-1', 'bank-2', 'bank-3']);
      const rows = query<{ dropped_json: string; attempt: number }>(db, 'SELECT dropped_json, attempt FROM rounds WHERE job_id = ? ORDER BY round', job.jobId);
      expect((JSON.parse(rows[0]!.dropped_json) as { memberId: string; stage: string }[]).map((d) => `${d.memberId}@${d.stage}`)).toEqual(['bank-4@share-keys']);
      // The restarted coordinator resumed round 2's attempt instead of rerunning it.
      const restarted = procs.children.filter((c) => c.name === 'coordinator')[1]!;
      expect(restarted.output.join('')).toMatch(/resuming a secure-aggregation stage/);
      expect(rows[1]!.attempt).toBe(1);
    } finally {
      admin.close();
    }
  }, 600_000);
});
