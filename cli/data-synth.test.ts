/** Tests of `fedfin data synth` through main(): summary output, --json, and usage errors. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

const root = mkdtempSync(join(tmpdir(), 'fedfin-cli-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'fedfin', ...args], { out: (t) => (out += t), err: (t) => (err += t), isTty: false });
  return { code, out, err };
}

describe('fedfin data synth', () => {
  it('writes the banks and prints a summary table with the Bayes AUC, when given valid options', async () => {
    const dir = join(root, 'table');
    const r = await cli('data', 'synth', '--schema', 'credit.v1', '--banks', '2', '--rows', '300', '--seed', '7', '--out', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/bank\s+rows\s+file\s+label rate\s+locale/);
    expect(r.out).toMatch(/bank-2\s+300\s+bank-2\.csv\s+\d+\.\d\d%\s+de/);
    expect(r.out).toMatch(/Bayes AUC \(true probabilities vs labels, pooled\): 0\.\d{4}/);
    expect(readdirSync(dir).sort()).toEqual(['bank-1.csv', 'bank-1.mapping.json', 'bank-2.csv', 'bank-2.mapping.json', 'truth.json']);
  });

  it('prints the summary as JSON matching truth.json, when --json is given', async () => {
    const dir = join(root, 'json');
    const r = await cli('data', 'synth', '--schema', 'market.v1', '--banks', '3', '--rows', '100', '--skew', '0.2', '--out', dir, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    expect(summary).toMatchObject({ schema: 'market.v1', seed: 7, skew: 0.2, bayesAuc: null });
    expect(summary.banks.map((b: { rows: number }) => b.rows)).toEqual([100, 100, 100]);
    expect(truth).toMatchObject({ schema: 'market.v1', seed: 7, banks: 3, rowsPerBank: 100 });
  });

  it.each([
    [['--schema', 'loans.v9'], /unknown schema "loans.v9"/],
    [['--schema', 'credit.v1', '--banks', '0'], /--banks: expected an integer ≥ 1/],
    [['--schema', 'credit.v1', '--rows', '0'], /--rows: expected an integer ≥ 1/],
    [['--schema', 'credit.v1', '--rows', 'many'], /--rows/],
    [['--schema', 'credit.v1', '--skew', '1.5'], /--skew: expected a number in \[0, 1\]/],
    [['--schema', 'credit.v1', '--skew', '-0.1'], /--skew: expected a number in \[0, 1\]/],
  ])('exits 2 with a usage message and writes nothing, when given %j', async (args, message) => {
    const dir = join(root, `bad-${String(args.join('_'))}`);
    const r = await cli('data', 'synth', ...args, '--out', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(() => readdirSync(dir)).toThrow();
  });

  it('exits 2, when --out is missing', async () => {
    const r = await cli('data', 'synth', '--schema', 'credit.v1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out/);
  });
});
