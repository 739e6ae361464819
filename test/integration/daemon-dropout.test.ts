/** A bank daemon killed mid-job with real processes: its round completes with the others and names it. */
import { afterEach, describe, expect, it } from 'vitest';
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

describe('a bank daemon killed mid-job', () => {
  it('is recorded as dropped and the job completes with the other banks', async () => {
    // Prepare
    dir = mkdtempSync(join(tmpdir(), 'fedfin-dropout-'));
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const configs = await writeFederation(dir, { banks: 3, rows: 500, seed: 5, coordinator: address });
    procs.start('coordinator', ['coordinator', 'start', '--data-dir', join(dir, 'coord'), '--port', String(port), '--insecure'], dir);
    const banks = configs.map((c, i) => procs.start(`bank-${i + 1}`, ['client', 'start', '--config', c, '--insecure'], dir));
    const admin = new AdminClient(address, { callTimeoutMs: 5000 });
    try {
      await waitFor(async () => (await admin.listMembers().catch(() => [])).filter((m) => m.status === 'online').length === 3, 60_000, `3 banks online\n${procs.dump()}`);
      const spec = {
        name: 'dropout', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 4, minBanks: 2,
        // Long local fits (seconds, not milliseconds): the kill below must land inside round 2's fit stage, not between rounds.
        localEpochs: 60, batchSize: 16, learningRate: 0.1, timeouts: { fitMs: 60_000, evaluateMs: 30_000 },
      };
      const job = await admin.submitJob(JSON.stringify(spec));

      // Execute: kill -9 bank-3 once round 1 is committed.
      await waitFor(async () => (await admin.getJob(job.jobId)).job.roundsDone >= 1, 120_000, `round 1\n${procs.dump()}`);
      banks[2]!.kill('SIGKILL');
      const done = await waitFor(async () => {
        const j = await admin.getJob(job.jobId);
        return j.job.status !== 'running' ? j : undefined;
      }, 240_000, `job end\n${procs.dump()}`);

      // Assert
      expect(done.job.status, procs.dump()).toBe('completed');
      expect(done.rounds).toHaveLength(4);
      const later = done.rounds.slice(1);
      expect(later.some((r) => r.dropped.some((d) => d.startsWith('bank-3'))), JSON.stringify(later.map((r) => r.dropped))).toBe(true);
      expect(done.rounds.at(-1)!.participants).toEqual(['bank-1', 'bank-2']);
    } finally {
      admin.close();
    }
  }, 420_000);
});
