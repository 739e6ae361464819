/** Tests for `fedfin client approve | approvals | revoke-approval`: ledger rows, audit entries with the OS user, JSON, exit codes. */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBankFixture, type BankFixture } from '../client/testing/bank-fixture.js';
import { openLedger } from '../client/ledger/ledger.js';
import { runCli } from '../test/helpers/run-cli.js';
import { verifyLedgerDatabase } from './audit.js';

let bank: BankFixture | undefined;
afterEach(() => {
  bank?.cleanup();
  bank = undefined;
});

function approvalBank(): BankFixture {
  bank = makeBankFixture(10);
  bank.writeConfig({ sitePolicy: { ...bank.config().sitePolicy, requireApproval: true } });
  return bank;
}

describe('fedfin client approve / approvals / revoke-approval', () => {
  it('writes the approval and a chained audit entry naming the OS user, once, and lists it', async () => {
    const b = approvalBank();
    const first = await runCli(['client', 'approve', '--config', b.configFile, 'job-20261130-abc123', '--json']);
    expect(first.code).toBe(0);
    const parsed = JSON.parse(first.out) as { jobId: string; approvedBy: string; added: boolean; requireApproval: boolean };
    expect(parsed).toMatchObject({ jobId: 'job-20261130-abc123', approvedBy: userInfo().username, added: true, requireApproval: true });
    const again = await runCli(['client', 'approve', '--config', b.configFile, 'job-20261130-abc123']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('already approved');
    const list = await runCli(['client', 'approvals', '--config', b.configFile, '--json']);
    expect((JSON.parse(list.out) as { approvals: { jobId: string }[] }).approvals.map((a) => a.jobId)).toEqual(['job-20261130-abc123']);
    const file = join(b.dir, 'state', 'bank.db');
    const ledger = openLedger(file);
    expect(ledger.auditEvents().map((e) => [e.type, e.detail['job'], e.detail['by']])).toEqual([['approval-granted', 'job-20261130-abc123', userInfo().username]]);
    ledger.close();
    expect(verifyLedgerDatabase(file).ok).toBe(true);
  });

  it('withdraws an approval, and exits 1 when there is none to withdraw', async () => {
    const b = approvalBank();
    await runCli(['client', 'approve', '--config', b.configFile, 'job-1']);
    const revoked = await runCli(['client', 'revoke-approval', '--config', b.configFile, 'job-1']);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('withdrawn');
    const none = await runCli(['client', 'revoke-approval', '--config', b.configFile, 'job-1']);
    expect(none.code).toBe(1);
    expect((await runCli(['client', 'approvals', '--config', b.configFile])).out).toContain('no approved jobs');
  });

  it('exits 2 naming the job id, when it is malformed, and writes nothing', async () => {
    const b = approvalBank();
    const bad = await runCli(['client', 'approve', '--config', b.configFile, 'job 1; rm']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('job id "job 1; rm"');
    expect((await runCli(['client', 'approvals', '--config', b.configFile, '--json'])).out).toContain('"approvals": []');
  });

  it('notes on stderr that approvals are not required, when requireApproval is off', async () => {
    bank = makeBankFixture(10);
    const out = await runCli(['client', 'approve', '--config', bank.configFile, 'job-1']);
    expect(out.code).toBe(0);
    expect(out.err).toContain('requireApproval is false');
  });
});
