/** Integration over real gRPC: a bank with sitePolicy.requireApproval refuses a job until `fedfin client approve`, then takes part. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createDaemon, type Daemon } from '../../client/daemon.js';
import { openLedger } from '../../client/ledger/ledger.js';
import { makeBankFixture, type BankFixture } from '../../client/testing/bank-fixture.js';
import { verifyLedgerDatabase } from '../../cli/audit.js';
import { loadNodeConfig } from '../../schema/node-config.js';
import { jobSpec, startCoordinator, submitJob, tempDir, waitFor, waitForJobEnd, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { runCli } from '../helpers/run-cli.js';

let coord: RunningCoordinator | undefined;
const daemons: Daemon[] = [];
const cleanups: (() => void)[] = [];
/** Daemon start-up failures, shown if a wait times out. */
const startErrors: string[] = [];

afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  await coord?.stop();
  coord = undefined;
  for (const c of cleanups.splice(0)) c();
  startErrors.length = 0;
});

function bank(memberId: string, seed: number, address: string, requireApproval: boolean): BankFixture {
  const b = makeBankFixture(400, seed);
  cleanups.push(b.cleanup);
  b.writeConfig({ memberId, coordinator: address, sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 10, delta: 1e-5, minBanksPerRound: 2, requireDp: false, requireApproval } });
  const d = createDaemon({ options: loadNodeConfig(b.configFile), logger: silentLogger });
  daemons.push(d);
  void d.run().catch((err: unknown) => startErrors.push(`${memberId}: ${(err as Error).message}`));
  return b;
}

describe('a bank requiring its own approval', () => {
  it('refuses the job with the approve command as reason (audited by both), then takes part once approved on the running daemon', async () => {
    // Prepare: bank-b requires approval; the stats stage is retried (maxRoundAttempts) while it refuses.
    const data = tempDir();
    cleanups.push(data.cleanup);
    coord = await startCoordinator(data.dir);
    bank('bank-a', 1, coord.address, false);
    const b = bank('bank-b', 2, coord.address, true);
    const job = await submitJob(coord.admin, jobSpec({ rounds: 1, maxRoundAttempts: 100 }));

    // Execute: wait for the refusal at the coordinator, then approve from the CLI while the daemon runs.
    const store = coord.store;
    await waitFor(async () => (await store.listAudit()).some((e) => e.type === 'bank-refused' && e.memberId === 'bank-b'), 15_000, 'bank-b refusal in the coordinator audit').catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; daemon errors: ${startErrors.join('; ') || 'none'}`);
    });
    const approved = await runCli(['client', 'approve', '--config', b.configFile, job.job_id, '--json']);
    expect(approved.code, approved.err).toBe(0);
    const final = await waitForJobEnd(store, job.job_id, 30_000);

    // Assert: the coordinator audited the refusal with the reason; the job ran with bank-b.
    const audit = await store.listAudit();
    const refusal = audit.find((e) => e.type === 'bank-refused' && e.memberId === 'bank-b');
    expect(refusal?.jobId).toBe(job.job_id);
    expect(String((refusal?.detail as { reason?: string }).reason)).toBe(`job ${job.job_id} awaits this bank's approval (fedfin client approve --config <bank config> ${job.job_id})`);
    expect(final.status).toBe('completed');
    const initialized = audit.find((e) => e.type === 'job-initialized' && e.jobId === job.job_id);
    expect((initialized?.detail as { banks: string[] }).banks.sort()).toEqual(['bank-a', 'bank-b']);
    expect((await store.listRounds(job.job_id))[0]!.participants).toEqual(['bank-a', 'bank-b']);

    // The bank's own chained log: refusals first, then the grant, and it verifies.
    for (const d of daemons.splice(0)) await d.stop();
    const ledgerFile = join(b.dir, 'state', 'bank.db');
    const ledger = openLedger(ledgerFile);
    const types = ledger.auditEvents().map((e) => e.type);
    ledger.close();
    expect(types[0]).toBe('refused');
    expect(types.indexOf('approval-granted')).toBeGreaterThan(0);
    expect(types.slice(types.indexOf('approval-granted'))).not.toContain('refused');
    expect(verifyLedgerDatabase(ledgerFile).ok).toBe(true);
  }, 60_000);
});
