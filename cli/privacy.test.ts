/** `fedfin privacy epsilon|noise` through main(): output, JSON shape, and exit codes for bad flags. */
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import type { CliIo } from './io.js';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s.endsWith('\n') ? s : `${s}\n`), err: (s) => void (err += s.endsWith('\n') ? s : `${s}\n`), isTty: false };
  const code = await main(['node', 'fedfin', ...args], io);
  return { code, out, err };
}

const EPS_ARGS = ['privacy', 'epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1.1', '--steps', '10000', '--delta', '1e-5'];

describe('fedfin privacy epsilon', () => {
  it('prints epsilon and the optimal order, when given a DP-SGD run', async () => {
    const r = await run(...EPS_ARGS);
    expect(r.code).toBe(0);
    expect(r.out).toBe('epsilon = 5.632011 at delta = 0.00001 (RDP, optimal order 4.7, 10000 steps, Poisson sampling q = 0.01)\n');
  });

  it('prints {epsilon, order, delta} JSON, when --json is given', async () => {
    const r = await run(...EPS_ARGS, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { epsilon: number; order: number; delta: number };
    expect(j.epsilon).toBeCloseTo(5.632010670081592, 9);
    expect(j.order).toBe(4.7);
    expect(j.delta).toBe(1e-5);
  });

  it('exits 2 with a message naming the flag, when a flag is non-numeric or out of range', async () => {
    for (const [flag, value] of [['--sample-rate', 'abc'], ['--sample-rate', '1.5'], ['--delta', '1'], ['--steps', '10.5'], ['--noise-multiplier', '-1']] as const) {
      const args = [...EPS_ARGS];
      args[args.indexOf(flag) + 1] = value;
      const r = await run(...args);
      expect(r.code, `${flag} ${value}`).toBe(2);
      expect(r.err).toContain(flag);
      expect(r.err).toContain(`got "${value}"`);
    }
    expect((await run('privacy', 'epsilon', '--sample-rate', '0.01')).code).toBe(2);
  });
});

describe('fedfin privacy noise', () => {
  it('prints a noise multiplier whose epsilon does not exceed the target, when --json is given', async () => {
    const r = await run('privacy', 'noise', '--epsilon', '8', '--delta', '1e-5', '--sample-rate', '0.04', '--steps', '2000', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { noiseMultiplier: number; epsilon: number };
    expect(j.noiseMultiplier).toBeCloseTo(1.356, 2);
    expect(j.epsilon).toBeLessThanOrEqual(8);
  });

  it('prints a human line, when --json is absent', async () => {
    const r = await run('privacy', 'noise', '--epsilon', '1', '--delta', '1e-5', '--sample-rate', '0.01', '--steps', '1000');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^noise multiplier = \d+\.\d+ \(epsilon = 0\.99\d+ <= 1 at delta = 0\.00001/);
  });

  it('exits 2, when the target epsilon is not positive', async () => {
    const r = await run('privacy', 'noise', '--epsilon', '0', '--delta', '1e-5', '--sample-rate', '0.01', '--steps', '10');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--epsilon');
  });
});
