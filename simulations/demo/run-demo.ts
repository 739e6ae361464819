/** `fedfin demo` end to end: data, a coordinator and bank daemons as separate processes on loopback, one DP job, then the comparison. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-file.js';
import type { JobSpecInput } from '../../schema/job-spec.js';
import { CREDIT_DEMO } from './credit-profile.js';
import { LAYOUT, provisionFederation } from '../../security/provision.js';
import { readFinishedJob } from './measure.js';
import { demoReport, type DemoReport } from './report.js';
import { writeBankConfigs } from './setup.js';
import { Supervisor } from './supervisor.js';
import type { DemoTaskProfile } from './task-profile.js';

/** A committed round as the demo shows it (structurally the admin client's RoundView). */
export interface DemoRound {
  readonly round: number;
  readonly participants: readonly string[];
  readonly dropped: readonly string[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly epsilon: number;
  readonly delta: number;
}

/** How the demo talks to its coordinator; the CLI passes an Admin gRPC client (simulations/ cannot import cli/). */
export interface DemoAdminPort {
  /** Submits a job spec and returns the job id. */
  submit(specJson: string): Promise<string>;
  /** Follows the job until it ends, calling `onRound` once per committed round. */
  follow(jobId: string, onRound: (round: DemoRound, roundsTotal: number) => void): Promise<{ status: string; reason: string; roundsDone: number }>;
  close(): void;
}

/** Everything the demo can be tuned with; the CLI fills the defaults. */
export interface DemoOptions {
  readonly outDir: string;
  readonly seed: number;
  readonly rowsPerBank: number;
  /** Per bank, the share of its synthesised rows it keeps; the length is the number of banks. */
  readonly bankFractions: readonly number[];
  readonly skew: number;
  readonly testFraction: number;
  readonly holdoutFraction: number;
  readonly job: JobSpecInput;
  /** The daemons' own budget (sitePolicy.maxEpsilon at δ). */
  readonly bankMaxEpsilon: number;
  /** Connects the admin port; `adminKit` is the demo admin's kit folder (mutual TLS), absent with `insecure`. */
  readonly connect: (address: string, adminKit?: string) => DemoAdminPort;
  /** Plaintext on loopback instead of a provisioned federation with mutual TLS. @default false */
  readonly insecure?: boolean;
  /** Progress lines for a human (stderr in the CLI). */
  readonly log: (line: string) => void;
  readonly onRound: (round: DemoRound, roundsTotal: number) => void;
  /** Aborted on Ctrl-C: the demo stops its children and rejects. */
  readonly signal: AbortSignal;
  /** Shows each child's stderr lines as they come. @default false */
  readonly verbose?: boolean;
  /** The fedfin entry the children run (tests pass a fake). @default FEDFIN_BIN */
  readonly bin?: string;
  /** The task's demo: data, comparison and metrics. @default CREDIT_DEMO */
  readonly profile?: DemoTaskProfile;
}

/** bin/fedfin.mjs of this checkout. */
export const FEDFIN_BIN = fileURLToPath(new URL('../../bin/fedfin.mjs', import.meta.url));

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const fail = () => reject(new Error('interrupted'));
    if (signal.aborted) fail();
    signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Runs the whole demo. Children are always stopped before this returns or throws.
 * @throws ChildExitedError when a coordinator or daemon exits early (with its last stderr lines);
 *   Error when the job does not complete or the run is interrupted.
 */
export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  const t0 = performance.now();
  const bin = o.bin ?? FEDFIN_BIN;
  const profile = o.profile ?? CREDIT_DEMO;
  const supervisor = new Supervisor(o.verbose ? (name, line) => o.log(`[${name}] ${line}`) : undefined);
  let admin: DemoAdminPort | undefined;
  const stop = aborted(o.signal);
  stop.catch(() => undefined);
  try {
    o.log(`synthesising ${o.bankFractions.length} ${profile.noun} banks in ${o.outDir} (seed ${o.seed}, skew ${o.skew}) …`);
    const banks = await profile.prepare({ outDir: o.outDir, seed: o.seed, rowsPerBank: o.rowsPerBank, bankFractions: o.bankFractions, testFraction: o.testFraction, skew: o.skew });
    for (const b of banks) o.log(`  ${b.memberId}: ${b.trainRows} rows at the bank, ${b.testRows} rows moved to the common test set`);

    // mTLS by default: a federation provisioned into the demo folder (CA, coordinator, one kit per bank, an admin).
    const fedDir = join(o.outDir, 'federation');
    if (!o.insecure) await provisionFederation({ federation: 'demo', members: banks.map((b) => b.memberId), admins: [{ id: 'demo-admin', role: 'admin' }], coordinatorHost: 'localhost', outDir: fedDir });
    const kitArgs = (id: string): string[] => (o.insecure ? ['--insecure'] : ['--kit', join(fedDir, LAYOUT.kit(id))]);
    o.log(o.insecure ? 'INSECURE: plaintext gRPC on loopback (--insecure)' : `federation provisioned in ${fedDir}: mutual TLS on every connection`);
    const coordDir = join(o.outDir, 'coordinator');
    const coord = supervisor.start('coordinator', process.execPath, [bin, 'coordinator', 'start', '--data-dir', coordDir, '--port', '0', '--json', ...kitArgs('coordinator')]);
    const address = await Promise.race([
      supervisor.waitForLine(coord, (line) => {
        try {
          const v = JSON.parse(line) as { address?: unknown };
          return typeof v.address === 'string' ? v.address : undefined;
        } catch {
          return undefined;
        }
      }, 60_000),
      stop,
    ]);
    o.log(`coordinator (pid ${coord.pid}) listening on ${address}`);
    const delta = o.job.privacy && o.job.privacy.mode === 'dp-sgd' ? (o.job.privacy.delta ?? 1e-5) : 1e-5;
    const configs = writeBankConfigs(banks, address, { maxEpsilon: o.bankMaxEpsilon, delta, holdoutFraction: o.holdoutFraction, acceptedTasks: [profile.task] });
    for (const [i, b] of banks.entries()) {
      const d = supervisor.start(b.memberId, process.execPath, [bin, 'client', 'start', '--config', configs[i]!, ...kitArgs(b.memberId)]);
      o.log(`${b.memberId} daemon started (pid ${d.pid})`);
    }
    const failed = supervisor.failure();
    failed.catch(() => undefined);

    admin = o.insecure ? o.connect(address) : o.connect(address, join(fedDir, LAYOUT.kit('demo-admin')));
    const specJson = `${JSON.stringify(o.job, null, 2)}\n`;
    writeFileAtomic(join(o.outDir, 'job.json'), specJson);
    const jobId = await Promise.race([admin.submit(specJson), failed, stop]);
    o.log(`job ${jobId} submitted; waiting for the banks to load their data and train …`);
    const end = await Promise.race([admin.follow(jobId, o.onRound), failed, stop]);
    if (end.status !== 'completed') throw new Error(`job ${jobId} ended ${end.status}${end.reason ? `: ${end.reason}` : ''}`);

    // Read while the coordinator still runs: its WAL is live, so a read-only connection needs no recovery
    // (after a hard kill, opening a left-over WAL read-only fails).
    const finished = await readFinishedJob(coordDir, jobId);
    admin.close();
    admin = undefined;
    await supervisor.stopAll(10_000);
    o.log('federation stopped; measuring on the common test set and training the baselines …');
    const comparison = await Promise.race([profile.compare(banks, finished, o.holdoutFraction, o.seed), stop]);
    return demoReport(jobId, finished.job, finished.rounds.length, comparison, performance.now() - t0, profile.metrics, profile.extras?.(comparison), finished.rounds);
  } finally {
    admin?.close();
    await supervisor.stopAll();
  }
}
