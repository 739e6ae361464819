/** Tests of the coordinator fixture itself: what it tears down between tests, restart(), and how bank() fills in options. */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useCoordinatorFixture } from './coordinator-fixture.js';
import { jobSpec, submitJob } from './coordinator-harness.js';
import type { Script } from './fake-bank.js';

/** Resolves to the socket error code, or 'connected' when something listens at host:port. */
function probe(address: string): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const s = connect(Number(port), host!, () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

describe('useCoordinatorFixture', () => {
  const fx = useCoordinatorFixture();
  // Filled by the first test and checked by the second: vitest runs the tests of a file in order.
  const previous = { dir: '', addresses: [] as string[] };

  it('gives a live coordinator and started banks in a fresh temp dir, when federation() is called', async () => {
    const { coord, banks } = await fx.federation({ 'bank-a': {}, 'bank-b': {} });
    const second = await fx.restart();
    expect(existsSync(fx.dir)).toBe(true);
    expect(await probe(second.address)).toBe('connected');
    expect(banks.map((b) => b.memberId)).toEqual(['bank-a', 'bank-b']);
    expect(fx.banks).toHaveLength(2);
    expect(fx.banks.every((b, i) => b === banks[i])).toBe(true);
    previous.dir = fx.dir;
    previous.addresses = [coord.address, second.address];
  });

  it('has removed the dir, stopped every coordinator and forgotten the banks, when the next test starts', async () => {
    expect(previous.dir).not.toBe('');
    expect(existsSync(previous.dir)).toBe(false);
    for (const a of previous.addresses) expect(await probe(a)).toBe('ECONNREFUSED');
    expect(fx.banks).toHaveLength(0);
    expect(() => fx.coord).toThrow('no coordinator started yet');
    expect(fx.dir).not.toBe(previous.dir);
  });

  it('starts a coordinator on the same port and data dir that still knows the job, when restart() is called', async () => {
    const first = await fx.start();
    const job = await submitJob(first.admin, jobSpec({ rounds: 1 }));
    const second = await fx.restart();
    expect(second.address).toBe(first.address);
    expect(fx.coord).toBe(second);
    expect((await second.store.getJob(job.job_id))?.jobId).toBe(job.job_id);
  });

  it('dials the current coordinator and takes a bare function as the script, when bank() is called', async () => {
    expect(() => fx.bank('bank-a')).toThrow('no coordinator started yet');
    const coord = await fx.start();
    const script: Script = () => ({ kind: 'ignore' });
    const bank = fx.bank('bank-a', script);
    expect(bank.options).toMatchObject({ address: coord.address, memberId: 'bank-a', script });
    expect(fx.bank('bank-b', { address: '127.0.0.1:1', numExamples: 7 }).options).toMatchObject({ address: '127.0.0.1:1', numExamples: 7 });
  });
});
