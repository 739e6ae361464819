/** `fedfin client start` with provisioned kits: three bank daemons over mutual TLS run a secure-aggregation job to the end; a kit for another member is refused. */
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBankFixture, type BankFixture } from '../../client/testing/bank-fixture.js';
import { registerClientCommands } from '../../cli/client.js';
import { handleError, type CliIo } from '../../cli/io.js';
import { loadKit } from '../../security/kit.js';
import { jobSpec, submitJob, tempDir, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { provisionTestFederation, startSecureCoordinator, type TestFederation } from '../helpers/secure-federation.js';

function capture(): CliIo & { errText: string[] } {
  const errText: string[] = [];
  return { errText, out: () => undefined, err: (t) => void errText.push(t), isTty: false };
}

/** Runs `client …` on a program holding only the client group, as cli/client.test.ts does. */
async function run(args: string[], io: CliIo, stopSignal?: AbortSignal): Promise<number> {
  const program = new Command('fedfin').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: (s) => io.err(s) });
  registerClientCommands(program, io, stopSignal ? { stopSignal } : {});
  for (const c of program.commands) for (const s of [c, ...c.commands]) s.exitOverride();
  try {
    await program.parseAsync(['node', 'fedfin', ...args]);
    return 0;
  } catch (err) {
    return handleError(io, err);
  }
}

const MEMBERS = ['bank-a', 'bank-b', 'bank-c'];
let fed: TestFederation;
const banks: BankFixture[] = [];
beforeAll(async () => {
  fed = await provisionTestFederation({ members: MEMBERS });
});
afterAll(() => {
  for (const b of banks.splice(0)) b.cleanup();
  fed.cleanup();
});

describe('fedfin client start with a provisioned kit', () => {
  it('runs a secure-aggregation job to completion over mutual TLS, signing with the kit identity, and exits 0 when stopped', async () => {
    const dir = tempDir();
    const coord = await startSecureCoordinator(fed, dir.dir, { livenessMs: 10_000 });
    const stop = new AbortController();
    try {
      const ios = MEMBERS.map(() => capture());
      const runs = MEMBERS.map((memberId, i) => {
        const bank = makeBankFixture(300, i + 1);
        banks.push(bank);
        bank.writeConfig({ memberId, coordinator: coord.address, kit: fed.kit(memberId), sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 10, delta: 1e-5, minBanksPerRound: 2, requireDp: false } });
        return run(['client', 'start', '--config', bank.configFile, '--log-json'], ios[i]!, stop.signal);
      });
      const job = await submitJob(coord.admin, jobSpec({ minBanks: 3, rounds: 2, secureAggregation: { enabled: true }, timeouts: { fitMs: 60_000, evaluateMs: 60_000 } }));
      const final = await waitForJobEnd(coord.store, job.job_id, 90_000);
      expect(final.status, final.reason).toBe('completed');
      expect((await coord.store.listRounds(job.job_id)).map((r) => r.participants.length)).toEqual([3, 3]);
      // Each daemon joined with its kit's provisioned identity key (what its SecAgg advertisements are verified against).
      for (const m of MEMBERS) expect(Buffer.from(coord.coordinator.registry.session(m)!.identityPublicKey!)).toEqual(Buffer.from(loadKit(fed.kit(m)).identity!.publicKey));
      stop.abort();
      expect(await Promise.all(runs)).toEqual([0, 0, 0]);
      for (const io of ios) {
        const msgs = io.errText.map((l) => (JSON.parse(l) as { msg: string }).msg);
        expect(msgs).toEqual(expect.arrayContaining(['mutual TLS with the federation kit', 'joined the federation', 'stopped']));
        expect(msgs).not.toContain('INSECURE: plaintext gRPC to the coordinator, no authentication; for loopback tests and demos only');
      }
    } finally {
      stop.abort();
      await coord.stop();
      dir.cleanup();
    }
  }, 120_000);

  it('exits 2 naming the kit and both member ids, when the config points at another member\'s kit', async () => {
    const bank = makeBankFixture(50);
    banks.push(bank);
    bank.writeConfig({ memberId: 'bank-a', coordinator: '127.0.0.1:1', kit: fed.kit('bank-b') });
    const io = capture();
    expect(await run(['client', 'start', '--config', bank.configFile], io)).toBe(2);
    expect(io.errText.join('\n')).toMatch(/kit .* is for member bank-b, but the config's memberId is bank-a/);
  });
});
