/** Tests for `fedfin client start`: exit 2 on an invalid config, exit 1 naming a missing data file, exit 0 after a graceful stop. */
import { rmSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBankFixture, type BankFixture } from '../client/testing/bank-fixture.js';
import { startFakeFleet, type FakeFleet } from '../client/testing/fake-fleet.js';
import { registerClientCommands, type ClientCommandHooks } from './client.js';
import { handleError, type CliIo } from './io.js';

function capture(): CliIo & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return { outText, errText, out: (t) => void outText.push(t), err: (t) => void errText.push(t), isTty: false };
}

/** Runs `client …` on a program holding only the client group (cli/main.ts wires it for real). */
async function run(args: string[], io: CliIo, hooks: ClientCommandHooks = {}): Promise<number> {
  const program = new Command('fedfin').exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerClientCommands(program, io, hooks);
  for (const c of program.commands) for (const s of [c, ...c.commands]) s.exitOverride().configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) });
  try {
    await program.parseAsync(['node', 'fedfin', ...args]);
    return 0;
  } catch (err) {
    return handleError(io, err);
  }
}

let bank: BankFixture | undefined;
let fleet: FakeFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  bank?.cleanup();
  bank = fleet = undefined;
});

describe('fedfin client start', () => {
  it('exits 2 listing zod paths, when the config is invalid', async () => {
    bank = makeBankFixture(10);
    const cfg = bank.config();
    writeFileSync(bank.configFile, JSON.stringify({ ...cfg, sitePolicy: { ...cfg.sitePolicy, maxEpsilon: 'ten' } }));
    const io = capture();
    expect(await run(['client', 'start', '--config', bank.configFile, '--insecure'], io)).toBe(2);
    expect(io.errText.join('\n')).toMatch(/sitePolicy\.maxEpsilon/);
  });

  it('exits 1 naming the file, when the data file is missing', async () => {
    bank = makeBankFixture(10);
    rmSync(bank.dataFile);
    const io = capture();
    expect(await run(['client', 'start', '--config', bank.configFile, '--insecure'], io)).toBe(1);
    expect(io.errText.join('\n')).toContain(bank.dataFile);
  });

  it('exits 0 after joining and logs the backend and data summary, when stopped gracefully', async () => {
    fleet = await startFakeFleet();
    bank = makeBankFixture(400);
    bank.writeConfig({ coordinator: `127.0.0.1:${fleet.port}` });
    const io = capture();
    const stop = new AbortController();
    const code = run(['client', 'start', '--config', bank.configFile, '--insecure', '--log-json'], io, { stopSignal: stop.signal });
    const end = Date.now() + 15_000;
    while (fleet.joins.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    expect(await code).toBe(0);
    const logs = io.errText.map((l) => JSON.parse(l) as { msg: string; member: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['tfjs backend in use', 'data loaded', 'joined the federation', 'stopped']));
    expect(logs.every((l) => l.member === 'bank-a')).toBe(true);
  });
});
