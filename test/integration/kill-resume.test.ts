/**
 * The crash-safety promise of the federation, with real processes: kill -9 the coordinator mid-job,
 * start it again on the same data dir, and the job resumes from its last committed round; daemons
 * reconnect by themselves; no round and no ε is counted twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminClient } from '../../cli/admin-client.js';
import { freePort, Processes, waitFor, writeFederation } from '../helpers/federation-fixture.js';

const procs = new Processes();
let dir = '';

afterEach(() => {
  procs.killAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 of the coordinator mid-job', () => {
  it('resumes from the last committed round with no round or epsilon counted twice', async () => {
    // Prepare: a coordinator on a fixed port (it must come back on the same address) and 3 daemons.
    dir = mkdtempSync(join(tmpdir(), 'fedfin-kill-'));
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const configs = await writeFederation(dir, { banks: 3, rows: 600, seed: 11, coordinator: address });
    const startCoordinator = () => procs.start('coordinator', ['coordinator', 'start', '--data-dir', join(dir, 'coord'), '--port', String(port), '--insecure'], dir);
    let coordinator = startCoordinator();
    configs.forEach((c, i) => procs.start(`bank-${i + 1}`, ['client', 'start', '--config', c, '--insecure'], dir));
    const admin = new AdminClient(address, { callTimeoutMs: 5000 });
    try {
      await waitFor(async () => (await admin.listMembers().catch(() => [])).filter((m) => m.status === 'online').length === 3, 60_000, `3 banks online\n${procs.dump()}`);
      const spec = {
        name: 'kill-resume', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 8, minBanks: 3,
        localEpochs: 4, batchSize: 16, learningRate: 0.1,
        privacy: { mode: 'dp-sgd', noiseMultiplier: 1.0, clippingNorm: 1, delta: 1e-5, maxEpsilon: 50 },
        timeouts: { fitMs: 60_000, evaluateMs: 30_000 },
      };
      const job = await admin.submitJob(JSON.stringify(spec));

      // Execute: kill -9 once two rounds are committed (the third is in flight), then restart.
      await waitFor(async () => (await admin.getJob(job.jobId)).job.roundsDone >= 2, 120_000, `round 2\n${procs.dump()}`);
      coordinator.kill('SIGKILL');
      await new Promise((r) => coordinator.once('exit', r));
      coordinator = startCoordinator();
      const done = await waitFor(async () => {
        const j = await admin.getJob(job.jobId).catch(() => undefined);
        return j && j.job.status !== 'running' ? j : undefined;
      }, 180_000, `job end after restart\n${procs.dump()}`);

      // Assert: every round exactly once, in order; the job completed; AUC is sensible.
      expect(done.job.status, procs.dump()).toBe('completed');
      const restarted = procs.children.filter((c) => c.name === 'coordinator')[1]!;
      expect(restarted.output.join('')).toMatch(/resuming job/);
      expect(done.rounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(done.rounds.at(-1)!.metrics['auc']).toBeGreaterThan(0.65);
      // The coordinator's ledger has one row per bank per round; the banks' own ledgers never spent
      // twice for one instruction (a re-offered instruction is answered from the result cache).
      const coord = new Database(join(dir, 'coord', 'coordinator.db'), { readonly: true });
      const rows = coord.prepare('SELECT member_id, round, COUNT(*) AS n FROM privacy_ledger WHERE job_id = ? GROUP BY member_id, round').all(job.jobId) as { n: number }[];
      expect(rows.length).toBe(3 * 8);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const attempts = new Map((coord.prepare('SELECT round, attempt FROM rounds WHERE job_id = ?').all(job.jobId) as { round: number; attempt: number }[]).map((r) => [r.round, r.attempt]));
      const finalTotals = new Map((coord.prepare('SELECT member_id, epsilon_total FROM privacy_ledger WHERE job_id = ? AND round = 8').all(job.jobId) as { member_id: string; epsilon_total: number }[]).map((r) => [r.member_id, r.epsilon_total]));
      coord.close();
      for (let i = 1; i <= 3; i++) {
        const bank = new Database(join(dir, `state-${i}`, 'bank.db'), { readonly: true });
        // A bank spends once per fit instruction it trains. An instruction re-offered after the
        // restart keeps its id and is answered from the result cache, so a round committed at
        // attempt a cost the bank at most a spends (a retried round is a new, real release).
        const perRound = bank.prepare('SELECT round, COUNT(*) AS n FROM spends WHERE job_id = ? GROUP BY round').all(job.jobId) as { round: number; n: number }[];
        for (const r of perRound) expect(r.n, `bank-${i} round ${r.round}: ${r.n} spends, attempt ${attempts.get(r.round)}`).toBeLessThanOrEqual(attempts.get(r.round) ?? 1);
        // The coordinator's ledger holds exactly what the bank's own accountant recorded.
        const last = bank.prepare('SELECT epsilon_job_total FROM spends WHERE job_id = ? ORDER BY recorded_at DESC, round DESC LIMIT 1').get(job.jobId) as { epsilon_job_total: number };
        expect(last.epsilon_job_total).toBeCloseTo(finalTotals.get(`bank-${i}`)!, 9);
        bank.close();
      }
    } finally {
      admin.close();
    }
  }, 420_000);
});
