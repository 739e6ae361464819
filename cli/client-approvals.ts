/** `fedfin client approve | approvals | revoke-approval --config FILE`: the bank's own approval of jobs (site policy requireApproval). */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../common/errors.js';
import { openLedger, type JobApproval, type Ledger } from '../client/ledger/ledger.js';
import { loadNodeConfig, type DaemonOptions } from '../schema/node-config.js';
import { EXIT, ExitSignal, printJson, type CliIo } from './io.js';

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

interface Flags {
  config: string;
  json?: boolean;
}

/** The OS user running the command: the "who" of the audit entry. */
function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}

function checkedJobId(jobId: string): string {
  if (!JOB_ID.test(jobId)) throw new UsageError(`job id "${jobId}": expected 1–128 letters, digits, ".", "_", ":" or "-" (as printed by \`fedfin admin jobs\`)`);
  return jobId;
}

/** Opens the bank's ledger (WAL: safe while the daemon runs; the daemon sees the change at its next instruction). */
function withLedger<T>(options: DaemonOptions, fn: (l: Ledger) => T): T {
  const ledger = openLedger(options.ledgerFile);
  try {
    return fn(ledger);
  } finally {
    ledger.close();
  }
}

const line = (a: JobApproval): string => `${a.jobId}  approved by ${a.approvedBy} at ${a.approvedAt}`;

/** Registers the three approval commands on the `client` group. Exit codes: 0 done, 1 nothing to revoke, 2 bad config or job id. */
export function registerApprovalCommands(group: Command, io: CliIo): void {
  group
    .command('approve')
    .description('approve a job (sitePolicy.requireApproval)')
    .argument('<job>', 'the job id to approve')
    .requiredOption('--config <file>', 'the bank\'s config file')
    .option('--json', 'print the approval as JSON')
    .action((jobId: string, flags: Flags) => {
      const options = loadNodeConfig(flags.config);
      const id = checkedJobId(jobId);
      const by = operator();
      const { added, approval } = withLedger(options, (l) => ({ added: l.approve(id, by), approval: l.approval(id) as JobApproval }));
      if (flags.json) printJson(io, { ...approval, added, requireApproval: options.sitePolicy.requireApproval });
      else io.out(added ? `approved: ${line(approval)}` : `already approved: ${line(approval)}`);
      if (!options.sitePolicy.requireApproval) io.err('note: this bank\'s sitePolicy.requireApproval is false, so approvals are not required');
    });
  group
    .command('approvals')
    .description('list the jobs this bank approved')
    .requiredOption('--config <file>', 'the bank\'s config file')
    .option('--json', 'print the approvals as JSON')
    .action((flags: Flags) => {
      const options = loadNodeConfig(flags.config);
      const all = withLedger(options, (l) => l.approvals());
      if (flags.json) printJson(io, { requireApproval: options.sitePolicy.requireApproval, approvals: all });
      else if (all.length === 0) io.out('no approved jobs');
      else for (const a of all) io.out(line(a));
    });
  group
    .command('revoke-approval')
    .description('withdraw this bank\'s approval of a job')
    .argument('<job>', 'the job id whose approval to withdraw')
    .requiredOption('--config <file>', 'the bank\'s config file')
    .option('--json', 'print the outcome as JSON')
    .action((jobId: string, flags: Flags) => {
      const options = loadNodeConfig(flags.config);
      const id = checkedJobId(jobId);
      const by = operator();
      const revoked = withLedger(options, (l) => l.revokeApproval(id, by));
      if (flags.json) printJson(io, { jobId: id, revoked, by });
      else io.out(revoked ? `approval of ${id} withdrawn by ${by}` : `${id} was not approved; nothing to withdraw`);
      if (!revoked) throw new ExitSignal(EXIT.failure);
    });
}
