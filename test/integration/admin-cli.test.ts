/** Integration: `fedfin admin …` through main() against a real in-process Coordinator on 127.0.0.1 (real gRPC). */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { registerAdminCommands } from '../../cli/admin.js';
import { handleError, type CliIo } from '../../cli/io.js';
import { createProgram, main } from '../../cli/main.js';
import { jobSpec, waitForJobEnd, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

interface Captured extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

function capture(): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTty: false };
}

/** Runs the CLI; registers the admin group itself while cli/main.ts does not wire it yet. */
async function run(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  let code: number;
  if (createProgram(io).commands.some((c) => c.name() === 'admin')) code = await main(['node', 'fedfin', ...args], io);
  else {
    const program = createProgram(io);
    registerAdminCommands(program, io);
    const inherit = (cmd: typeof program): void => {
      for (const sub of cmd.commands) {
        sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
        inherit(sub);
      }
    };
    inherit(program);
    try {
      await program.parseAsync(['node', 'fedfin', ...args]);
      code = 0;
    } catch (err) {
      code = handleError(io, err);
    }
  }
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

/** A port nothing listens on: bind, read it, close. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const HIST = { num_bins: 4, counts_pos: [0, 1, 2, 7], counts_neg: [6, 2, 1, 1], sum_log_loss: 5, sum_brier: 2, num_correct: 15, num_examples: 20 };

describe('fedfin admin', () => {
  const fx = useCoordinatorFixture({ prefix: 'fedfin-admin-cli-' });
  let coord: RunningCoordinator | undefined;
  beforeEach(async () => {
    coord = await fx.start({ subdir: 'coord' });
  });

  const specFile = (name: string, spec: unknown): string => {
    const f = join(fx.dir, name);
    writeFileSync(f, JSON.stringify(spec));
    return f;
  };

  it('prints every zod issue of a malformed spec on its own line with its path and exits 2, when the spec is invalid', async () => {
    const file = specFile('bad.json', { ...jobSpec(), rounds: 0, model: { type: 'forest' }, privacy: { mode: 'dp-sgd', maxEpsilon: 3 } });
    const r = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'submit', file]);
    expect(r.code).toBe(2);
    const lines = r.err.split('\n');
    expect(lines[0]).toBe(`error: invalid job spec ${file}`);
    expect(lines.some((l) => /^ {2}- model\.type: /.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}- rounds: /.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}- privacy\.noiseMultiplier: give exactly one of noiseMultiplier and targetEpsilon$/.test(l))).toBe(true);
    expect(await coord!.store.listJobs()).toHaveLength(0);
  });

  it('submits, lists, shows status and aborts a job, when the spec is valid', async () => {
    const file = specFile('job.json', jobSpec({ name: 'cli-job', rounds: 50 }));
    const sub = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'submit', file]);
    expect(sub.code).toBe(0);
    const jobId = sub.out.trim();
    expect(jobId).toMatch(/^job-\d{14}-[0-9a-f]{6}$/);

    const list = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toMatchObject({ jobs: [{ jobId, name: 'cli-job', task: 'credit-scoring', status: 'running', roundsTotal: 50, roundsDone: 0 }] });

    const status = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'status', jobId]);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`job ${jobId}  cli-job`);
    expect(status.out).toContain('status running  rounds 0/50');

    const abort = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'abort', jobId]);
    expect(abort.code).toBe(0);
    expect(abort.out).toBe(`job ${jobId} aborted: 0/50 rounds (aborted by admin)`);
    expect((await coord!.store.getJob(jobId))!.status).toBe('aborted');

    const again = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'abort', jobId]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('is aborted, not running');

    const missing = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'status', 'job-nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no job "job-nope"');
  });

  it('watches a job to the end with one line per round and shows the round table, when two banks complete it', async () => {
    const bank = { numExamples: 100, delta: 0.01, histogram: HIST, numFeatures: 5 };
    await fx.startBanks({ 'bank-a': bank, 'bank-b': bank });
    const sub = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'submit', specFile('job.json', jobSpec({ rounds: 2 })), '--json']);
    const jobId = (JSON.parse(sub.out) as { jobId: string }).jobId;

    const watch = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'watch', jobId]);
    expect(watch.code).toBe(0);
    const lines = watch.out.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^round 1\/2 {2}auc 0\.\d{3} {2}ks 0\.\d{3} {2}logloss 0\.250 {2}banks 2$/);
    expect(lines[1]).toMatch(/^round 2\/2 /);
    expect(lines[2]).toBe(`job ${jobId} completed: 2/2 rounds`);

    const status = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'status', jobId, '--json']);
    const detail = JSON.parse(status.out) as { job: { status: string }; spec: { rounds: number }; rounds: { round: number; participants: string[]; metrics: Record<string, number> }[] };
    expect(detail.job.status).toBe('completed');
    expect(detail.spec.rounds).toBe(2);
    expect(detail.rounds.map((r) => [r.round, [...r.participants].sort()])).toEqual([[1, ['bank-a', 'bank-b']], [2, ['bank-a', 'bank-b']]]);

    const members = await run(['admin', '--insecure', '--coordinator', coord!.address, 'members', 'list', '--json']);
    const m = JSON.parse(members.out) as { members: { memberId: string; status: string; tfBackend: string; acceptedTasks: string[] }[] };
    expect(m.members.map((x) => [x.memberId, x.status, x.tfBackend]).sort()).toEqual([['bank-a', 'online', 'cpu'], ['bank-b', 'online', 'cpu']]);
    const table = await run(['admin', '--insecure', '--coordinator', coord!.address, 'members', 'list']);
    expect(table.out.split('\n')[0]).toMatch(/^member +status +last seen +tf backend +tasks$/);
  });

  it('exits 1 for a watched job that is aborted, when the job ends without completing', async () => {
    const sub = await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'submit', specFile('j.json', jobSpec()), '--json']);
    const jobId = (JSON.parse(sub.out) as { jobId: string }).jobId;
    const watching = run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'watch', jobId, '--json']);
    await run(['admin', '--insecure', '--coordinator', coord!.address, 'jobs', 'abort', jobId]);
    const w = await watching;
    expect(w.code).toBe(1);
    const last = JSON.parse(w.out.split('\n').at(-1)!) as { kind: string; job: { status: string } };
    expect(last).toMatchObject({ kind: 'job-finished', job: { status: 'aborted' } });
    await waitForJobEnd(coord!.store, jobId);
  });

  it('exits 1 with "cannot reach coordinator at …", when nothing listens at the address', async () => {
    const port = await closedPort();
    const r = await run(['admin', '--insecure', '--coordinator', `127.0.0.1:${port}`, '--timeout', '2000', 'jobs', 'list']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: cannot reach coordinator at 127\\.0\\.0\\.1:${port} `));
  });

  it('exits 2 without calling anyone, when --coordinator is not host:port', async () => {
    const r = await run(['admin', '--insecure', '--coordinator', 'nowhere', 'members', 'list']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--coordinator expects host:port');
  });
});
