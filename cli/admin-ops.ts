/** `fedfin admin models export | ledger show | audit tail`: the operator's model export with its privacy statement, the privacy ledger, the audit log. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../common/errors.js';
import { isMarketMetadata, writeAnyModelPackage, type AnyModelMetadata } from '../tasks/model-package-kinds.js';
import { fmtDelta, table } from './admin-format.js';
import { verifyAuditOnline } from './admin-audit.js';
import { adminConnection, type AdminConnection } from './admin-connection.js';
import { printVerdict, readAuditPublicKey } from './audit.js';
import { AdminOpsClient, type AuditEntryView, type AuditTailView, type LedgerRowView } from './admin-ops-client.js';
import { EXIT, ExitSignal, printJson, type CliIo } from './io.js';

interface OpsFlags {
  coordinator?: string;
  kit?: string;
  insecure?: boolean;
  timeout?: string;
  json?: boolean;
}

/** Runs `fn` with a client for the `admin` group's --coordinator/--timeout (same rules as cli/admin.ts). */
async function withOps<T>(cmd: Command, fn: (client: AdminOpsClient, flags: OpsFlags, conn: AdminConnection) => Promise<T>): Promise<T> {
  const flags = cmd.optsWithGlobals<OpsFlags>();
  const ms = Number(flags.timeout ?? '10000');
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) throw new UsageError(`--timeout expects milliseconds in [1, 3600000], got ${JSON.stringify(flags.timeout)}`);
  const conn = adminConnection(flags);
  const client = new AdminOpsClient(conn.address, ms, conn.credentials);
  try {
    return await fn(client, flags, conn);
  } finally {
    client.close();
  }
}

function positiveInt(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} expects an integer in [1, ${max}], got ${JSON.stringify(value)}`);
  return n;
}

/** The privacy statement in two lines of text. */
export function formatExport(dir: string, m: AnyModelMetadata): string {
  const metrics = Object.entries(m.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') || 'none';
  const p = m.privacy;
  return [
    `exported job ${m.jobId} round ${m.round}/${m.roundsTotal} (${m.jobStatus}) to ${dir}: model.json, weights.bin, fedfin-model.json`,
    `task ${m.task}, schema ${m.schema.id}, ${m.model.numFeatures} features, feature hash ${m.encoding.featureHash.slice(0, 12)}…`,
    ...(isMarketMetadata(m) ? [`model ${m.model.kind} over ${m.market.windowDays}-day windows of ${m.market.features.join(', ')}; output × ${m.market.target.scale.toPrecision(4)} = next-day log return`] : []),
    `metrics: ${metrics}`,
    `privacy: ${p.statement}`,
  ].join('\n');
}

/** The ledger as a table: one row per job and bank, ε spent and left against the job's maxEpsilon. */
export function formatLedger(rows: readonly LedgerRowView[]): string {
  if (rows.length === 0) return 'no privacy spends recorded';
  const body = rows.map((r) => [r.jobId, r.memberId, r.schema, String(r.rounds), r.epsilon.toFixed(3), fmtDelta(r.delta), r.maxEpsilon > 0 ? r.maxEpsilon.toFixed(3) : '-', r.maxEpsilon > 0 ? r.epsilonLeft.toFixed(3) : '-', r.noiseMultipliers.join(',')]);
  const banks = [...new Set(rows.map((r) => r.memberId))].sort();
  const totals = banks
    .map((b) => {
      const mine = rows.filter((r) => r.memberId === b);
      return mine.length > 1 ? `${b}: ${mine.length} jobs, ε ≤ ${mine.reduce((s, r) => s + r.epsilon, 0).toFixed(3)} by basic composition over jobs (its own dataset ledger holds the tight figure)` : undefined;
    })
    .filter((x): x is string => x !== undefined);
  const head = ['job', 'bank', 'schema', 'rounds', 'epsilon', 'delta', 'max', 'left', 'sigma'];
  return [table(head, body, [false, false, false, true, true, true, true, true, false]), 'accountant rdp, unit record, Poisson sampling; epsilon is the bank\'s total for the job', ...totals].join('\n');
}

function detailText(e: AuditEntryView): string {
  const text = JSON.stringify(e.detail);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Audit entries as a table plus the chain status line. */
export function formatAudit(tail: AuditTailView, withHeader = true): string {
  const rows = tail.entries.map((e) => [String(e.seq), e.at, e.type, e.jobId || '-', e.memberId || '-', detailText(e)]);
  const lines = rows.length === 0 ? [] : withHeader ? [table(['seq', 'time', 'type', 'job', 'member', 'detail'], rows, [true])] : rows.map((r) => r.join('  '));
  const span = tail.entries.length > 0 ? `entries ${tail.entries[0]!.seq}..${tail.entries.at(-1)!.seq}` : 'no entries';
  lines.push(tail.chainOk ? `hash chain ok (${span})` : `hash chain BROKEN: ${tail.chainProblem}`);
  return lines.join('\n');
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Registers `models export`, `ledger show` and `audit tail` under the `admin` command (which owns
 * --coordinator and --timeout). Exit codes: 0 ok; 1 coordinator unreachable, unknown job, an unfinished job
 * exported without --round, or a broken audit chain; 2 usage.
 */
export function registerAdminOpsCommands(admin: Command, io: CliIo): void {
  const models = admin.commands.find((c) => c.name() === 'models') ?? admin.command('models').description('export trained models');
  models
    .command('export')
    .description('write a job\'s model (TF.js files + fedfin-model.json)')
    .argument('<id>', 'job id')
    .requiredOption('--out <dir>', 'output directory (created if needed)')
    .option('--round <n>', 'export this committed round (needed for a job that did not complete)')
    .option('--json', 'print the metadata as JSON')
    .action(async (id: string, opts: { out: string; round?: string }, cmd: Command) =>
      withOps(cmd, async (client, flags) => {
        const round = positiveInt('--round', opts.round, 1_000_000) ?? 0;
        const { metadata, weights } = await client.exportModel(id, round);
        const dir = resolve(opts.out);
        const written = await writeAnyModelPackage(dir, metadata, weights);
        if (flags.json) printJson(io, { dir, files: written.files, bytes: written.bytes, metadata });
        else io.out(formatExport(dir, metadata));
      }),
    );

  const ledger = admin.commands.find((c) => c.name() === 'ledger') ?? admin.command('ledger').description('the privacy ledger');
  ledger
    .command('show')
    .description('epsilon spent per bank and job, and what is left')
    .option('--job <id>', 'only this job')
    .option('--bank <name>', 'only this bank')
    .option('--json', 'print JSON')
    .action(async (opts: { job?: string; bank?: string }, cmd: Command) =>
      withOps(cmd, async (client, flags) => {
        const rows = await client.ledger({ ...(opts.job ? { jobId: opts.job } : {}), ...(opts.bank ? { memberId: opts.bank } : {}) });
        if (flags.json) printJson(io, { rows, accountant: 'rdp', unit: 'record', sampling: 'Poisson' });
        else io.out(formatLedger(rows));
      }),
    );

  const audit = admin.commands.find((c) => c.name() === 'audit') ?? admin.command('audit').description('the coordinator\'s hash-chained audit log');
  audit
    .command('tail')
    .description('newest audit entries and their hash-chain status')
    .option('-n, --lines <n>', 'how many entries', '20')
    .option('--follow', 'keep printing new entries (poll every second) until interrupted')
    .option('--json', 'print JSON (with --follow: one object per entry)')
    .action(async (opts: { lines: string; follow?: boolean }, cmd: Command) =>
      withOps(cmd, async (client, flags) => {
        const n = positiveInt('-n', opts.lines, 1000)!;
        let tail = await client.tailAudit({ last: n, limit: n });
        let broken = !tail.chainOk;
        if (flags.json && !opts.follow) printJson(io, tail);
        else if (flags.json) for (const e of tail.entries) io.out(JSON.stringify(e));
        else io.out(formatAudit(tail));
        let seen = tail.entries.at(-1)?.seq ?? tail.lastSeq;
        while (opts.follow && !broken) {
          await sleep(1000);
          tail = await client.tailAudit({ afterSeq: seen, limit: 1000 });
          if (tail.entries.length === 0) continue;
          seen = tail.entries.at(-1)!.seq;
          broken = !tail.chainOk;
          if (flags.json) for (const e of tail.entries) io.out(JSON.stringify(e));
          else io.out(formatAudit(tail, false));
        }
        if (broken) throw new ExitSignal(EXIT.failure);
      }),
    );
  audit
    .command('verify')
    .description('verify the audit log online; name the first bad entry')
    .option('--public-key <file>', 'audit key to check signatures with (default: the admin kit\'s)')
    .option('--json', 'print the verdict as JSON')
    .action(async (opts: { publicKey?: string }, cmd: Command) =>
      withOps(cmd, async (client, flags, conn) => {
        const keyFile = opts.publicKey ?? conn.auditPublicKeyFile;
        const key = keyFile !== undefined ? readAuditPublicKey(keyFile) : undefined;
        const verdict = await verifyAuditOnline(client, key);
        printVerdict(io, verdict, { coordinator: client.address }, key !== undefined, flags.json === true);
      }),
    );
}
