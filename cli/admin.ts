/** `fedfin admin …`: submit, list, inspect, watch and abort jobs and list members through the coordinator's Admin service. */
import { readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { FedfinError, FileError, UsageError } from '../common/errors.js';
import { registerAdminOpsCommands } from './admin-ops.js';
import { AdminClient, DEFAULT_COORDINATOR, type JobView } from './admin-client.js';
import { adminConnection } from './admin-connection.js';
import { formatJobList, formatJobStatus, formatMembers, formatRoundLine, jobDetailJson } from './admin-format.js';
import { EXIT, ExitSignal, printJson, type CliIo } from './io.js';

/** Options every admin command sees (the group's plus its own). */
interface AdminFlags {
  coordinator?: string;
  kit?: string;
  insecure?: boolean;
  timeout?: string;
  json?: boolean;
}

function timeoutOf(flags: AdminFlags): number {
  const ms = Number(flags.timeout ?? '10000');
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) throw new UsageError(`--timeout expects milliseconds in [1, 3600000], got ${JSON.stringify(flags.timeout)}`);
  return ms;
}

/** Runs `fn` with a client for the command's coordinator, closing the channel afterwards. */
async function withClient<T>(cmd: Command, fn: (client: AdminClient, flags: AdminFlags) => Promise<T>): Promise<T> {
  const flags = cmd.optsWithGlobals<AdminFlags>();
  const conn = adminConnection(flags);
  const client = new AdminClient(conn.address, { callTimeoutMs: timeoutOf(flags) }, conn.credentials);
  try {
    return await fn(client, flags);
  } finally {
    client.close();
  }
}

const exitFor = (status: string): number => (status === 'completed' ? EXIT.ok : EXIT.failure);

/** Follows a job until it ends, printing one line (or JSON object) per committed round; returns the final job. */
async function watch(io: CliIo, client: AdminClient, jobId: string, json: boolean): Promise<JobView> {
  const printed = new Set<number>();
  let last: JobView | undefined;
  const bar = !json && io.isTty ? new SingleBar({ format: 'job {job} [{bar}] {value}/{total} rounds  {state}', stream: process.stderr, hideCursor: true, clearOnComplete: true }) : undefined;
  try {
    for await (const ev of client.watchJob(jobId)) {
      last = ev.job;
      if (bar && !bar.isActive) bar.start(ev.job.roundsTotal, ev.job.roundsDone, { job: jobId, state: ev.job.status });
      if (ev.kind === 'round-committed' && ev.round && !printed.has(ev.round.round)) {
        printed.add(ev.round.round);
        if (json) io.out(JSON.stringify({ kind: ev.kind, jobId, roundsTotal: ev.job.roundsTotal, round: ev.round }));
        else {
          bar?.stop();
          io.out(formatRoundLine(ev.round, ev.job.roundsTotal));
          bar?.start(ev.job.roundsTotal, ev.job.roundsDone, { job: jobId, state: ev.job.status });
        }
      } else if (ev.kind === 'round-started') bar?.update(ev.job.roundsDone, { state: `training round ${ev.roundStarted}` });
      if (ev.job.status !== 'running') break;
    }
  } finally {
    bar?.stop();
  }
  // The stream may end without a final state (coordinator stopped): ask once more.
  if (!last || last.status === 'running') last = (await client.getJob(jobId)).job;
  if (last.status === 'running') throw new FedfinError('client-unavailable', `the watch of ${jobId} ended while the job was still running (coordinator at ${client.address} stopped?)`);
  return last;
}

function finishedLine(j: JobView): string {
  return `job ${j.jobId} ${j.status}: ${j.roundsDone}/${j.roundsTotal} rounds${j.reason ? ` (${j.reason})` : ''}`;
}

/** Prints a job's final event for `jobs watch --json` and ends with its exit code. */
function endWatch(io: CliIo, j: JobView, json: boolean): never {
  if (json) io.out(JSON.stringify({ kind: 'job-finished', jobId: j.jobId, job: j }));
  else io.out(finishedLine(j));
  throw new ExitSignal(exitFor(j.status));
}

/**
 * Registers `admin` with `jobs submit|list|status|watch|abort` and `members list`.
 * Exit codes: 0 ok; 1 coordinator unreachable, unknown job, or (watch) a job that failed or was aborted;
 * 2 usage error or an invalid job spec (one line per zod issue).
 */
export function registerAdminCommands(program: Command, io: CliIo): void {
  const admin = program
    .command('admin')
    .description('operate a federation through the Admin service')
    .option('--coordinator <host:port>', `coordinator Admin address (env FEDFIN_COORDINATOR; default ${DEFAULT_COORDINATOR})`)
    .option('--kit <dir>', 'your admin kit: mutual TLS (env FEDFIN_ADMIN_KIT)')
    .option('--insecure', 'plaintext to a loopback coordinator started with --insecure')
    .option('--timeout <ms>', 'deadline of each call in milliseconds', '10000');

  const jobs = admin.command('jobs').description('submit, list, inspect, watch and abort jobs');
  jobs
    .command('submit')
    .description('submit a job spec (JSON file); print the job id')
    .argument('<file>', 'job spec JSON (see docs/operator-guide.md)')
    .option('--json', 'print the job as JSON')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        throw new FileError(file, missing ? 'no such job spec file' : `cannot read the job spec (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
      }
      await withClient(cmd, async (client, flags) => {
        const j = await client.submitJob(text, `job spec ${file}`);
        if (flags.json) printJson(io, j);
        else io.out(j.jobId);
      });
    });
  jobs
    .command('list')
    .description('list every job, newest first')
    .option('--json', 'print JSON')
    .action(async (_opts: unknown, cmd: Command) =>
      withClient(cmd, async (client, flags) => {
        const list = await client.listJobs();
        if (flags.json) printJson(io, { jobs: list });
        else io.out(formatJobList(list));
      }),
    );
  jobs
    .command('status')
    .description('show a job and a table of its committed rounds')
    .argument('<id>', 'job id')
    .option('--json', 'print JSON')
    .action(async (id: string, _opts: unknown, cmd: Command) =>
      withClient(cmd, async (client, flags) => {
        const d = await client.getJob(id);
        if (flags.json) printJson(io, jobDetailJson(d));
        else io.out(formatJobStatus(d));
      }),
    );
  jobs
    .command('watch')
    .description('follow a job: one line per committed round')
    .argument('<id>', 'job id')
    .option('--json', 'one JSON object per line')
    .action(async (id: string, _opts: unknown, cmd: Command) =>
      withClient(cmd, async (client, flags) => endWatch(io, await watch(io, client, id, Boolean(flags.json)), Boolean(flags.json))),
    );
  jobs
    .command('abort')
    .description('abort a running job (its current round is discarded)')
    .argument('<id>', 'job id')
    .option('--json', 'print the job as JSON')
    .action(async (id: string, _opts: unknown, cmd: Command) =>
      withClient(cmd, async (client, flags) => {
        const j = await client.abortJob(id);
        if (flags.json) printJson(io, j);
        else io.out(finishedLine(j));
      }),
    );

  const members = admin.command('members').description('banks known to the coordinator');
  members
    .command('list')
    .description('list banks with their connection state and last contact')
    .option('--json', 'print JSON')
    .action(async (_opts: unknown, cmd: Command) =>
      withClient(cmd, async (client, flags) => {
        const list = await client.listMembers();
        if (flags.json) printJson(io, { members: list });
        else io.out(formatMembers(list));
      }),
    );
  registerAdminOpsCommands(admin, io);
}
