/** Tests of the demo's process supervision with tiny fake child scripts: readiness, early exits, and no orphans. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive as alive, useScratchDir } from '../../test/helpers/scratch.js';
import { ChildExitedError, Supervisor } from './supervisor.js';

describe('Supervisor', () => {
  // Registered first so that its afterEach runs last, after stopAll.
  const scratch = useScratchDir('fedfin-supervisor-');
  const script = (name: string, body: string): string => scratch.file(name, body);
  let sup: Supervisor;
  beforeEach(() => {
    sup = new Supervisor();
  });
  afterEach(async () => {
    await sup.stopAll(2000);
  });

  it('returns the value parsed from a stdout line, when the child reports ready', async () => {
    const f = script('ready.mjs', 'console.log("starting"); console.log(JSON.stringify({ address: "127.0.0.1:1234" })); setInterval(() => {}, 1000);');
    const s = sup.start('fake', process.execPath, [f]);
    const address = await sup.waitForLine(s, (l) => (l.startsWith('{') ? (JSON.parse(l) as { address: string }).address : undefined), 10_000);
    expect(address).toBe('127.0.0.1:1234');
  });

  it('rejects with the exit code and the last stderr lines, when a child exits early', async () => {
    const f = script('crash.mjs', 'for (let i = 1; i <= 20; i++) console.error("line " + i); process.exit(3);');
    const failure = sup.failure();
    sup.start('bank-x', process.execPath, [f]);
    const err = (await failure.catch((e: unknown) => e)) as ChildExitedError;
    expect(err).toBeInstanceOf(ChildExitedError);
    expect(err.code).toBe(3);
    expect(err.stderrTail.at(-1)).toBe('line 20');
    expect(err.stderrTail).toHaveLength(12);
    expect(err.message).toContain('bank-x exited early (code 3)');
  });

  it('kills the child and the grandchild it spawned, when stopAll runs on a child that ignores SIGTERM', async () => {
    // Prepare: the child ignores SIGTERM and starts a grandchild in the same process group.
    const grand = script('grand.mjs', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000);');
    const f = script('parent.mjs', `import { spawn } from 'node:child_process'; process.on('SIGTERM', () => {}); const g = spawn(process.execPath, [${JSON.stringify(grand)}], { stdio: 'ignore' }); console.log('grandchild ' + g.pid); setInterval(() => {}, 1000);`);
    const s = sup.start('stubborn', process.execPath, [f]);
    const grandPid = await sup.waitForLine(s, (l) => (l.startsWith('grandchild ') ? Number(l.slice(11)) : undefined), 10_000);
    expect(alive(s.pid) && alive(grandPid)).toBe(true);
    // Execute
    await sup.stopAll(300);
    // Assert: the grandchild may need a moment to be reaped by init.
    for (let i = 0; i < 50 && alive(grandPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(s.pid)).toBe(false);
    expect(alive(grandPid)).toBe(false);
  });

  it('does not report an exit as a failure, when the child ends because stopAll stopped it', async () => {
    const f = script('idle.mjs', 'console.log("up"); setInterval(() => {}, 1000);');
    let failed = false;
    sup.failure().catch(() => (failed = true));
    const s = sup.start('idle', process.execPath, [f]);
    await sup.waitForLine(s, (l) => (l === 'up' ? true : undefined), 10_000);
    await sup.stopAll(2000);
    await new Promise((r) => setTimeout(r, 100));
    expect(failed).toBe(false);
  });
});
