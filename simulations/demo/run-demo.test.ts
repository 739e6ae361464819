/** Tests of runDemo's failure paths with a fake fedfin binary: an early daemon exit and an interrupt stop every child. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { isAlive as alive, pidsIn, useScratchDir } from '../../test/helpers/scratch.js';
import { runDemo, type DemoAdminPort, type DemoOptions } from './run-demo.js';
import { ChildExitedError } from './supervisor.js';

// The fake: `coordinator start` reports an address and idles; `client start` for bank-2 fails after a
// few stderr lines (the others idle).
const FAKE_BIN = `
const [cmd, , ...rest] = process.argv.slice(2);
if (cmd === 'coordinator') console.log(JSON.stringify({ address: '127.0.0.1:1' }));
if (cmd === 'client' && rest.at(-1).includes('bank-2')) {
  console.error('loading data');
  console.error('error: bank.csv: k = 5 cannot be reached');
  process.exit(1);
}
setInterval(() => {}, 1000);
`;

describe('runDemo', () => {
  const scratch = useScratchDir('fedfin-run-demo-');
  let logged: string[] = [];
  let options: DemoOptions;
  const never: DemoAdminPort = { submit: async () => 'job-x', follow: () => new Promise(() => {}), close: () => {} };

  beforeEach(() => {
    logged = [];
    const bin = scratch.file('fake-fedfin.mjs', FAKE_BIN);
    options = {
      outDir: join(scratch.path, 'out'),
      seed: 1,
      rowsPerBank: 120,
      bankFractions: [1, 1, 0.5],
      skew: 0.5,
      testFraction: 0.2,
      holdoutFraction: 0.2,
      job: { name: 'j', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 2 },
      bankMaxEpsilon: 10,
      connect: () => never,
      log: (l) => logged.push(l),
      onRound: () => {},
      signal: new AbortController().signal,
      bin,
    };
  });

  /** The pids runDemo reported starting: the coordinator and each daemon. */
  const pids = (): number[] => pidsIn(logged);

  it('rejects naming the daemon and its last stderr lines and stops every child, when a daemon exits early', async () => {
    const err = (await runDemo(options).catch((e: unknown) => e)) as ChildExitedError;
    expect(err).toBeInstanceOf(ChildExitedError);
    expect(err.childName).toBe('bank-2');
    expect(err.message).toContain('bank-2 exited early (code 1)');
    expect(err.stderrTail).toEqual(['loading data', 'error: bank.csv: k = 5 cannot be reached']);
    expect(pids()).toHaveLength(4);
    expect(pids().filter(alive)).toEqual([]);
  });

  it('rejects with "interrupted" and stops every child, when the signal aborts while the job runs', async () => {
    const controller = new AbortController();
    writeFileSync(options.bin!, FAKE_BIN.replace("rest.at(-1).includes('bank-2')", 'false'));
    const running = runDemo({ ...options, signal: controller.signal, log: (l) => {
      logged.push(l);
      if (l.startsWith('job ')) setTimeout(() => controller.abort(), 300);
    } });
    await expect(running).rejects.toThrow('interrupted');
    expect(pids()).toHaveLength(4);
    expect(pids().filter(alive)).toEqual([]);
  });
});
