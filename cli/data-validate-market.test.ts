/** `fedfin data validate --schema market.v1`: duplicated dates and gaps per symbol are reported with the symbol and dates, exit 1. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { main } from './main.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedfin-cli-market-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function validate(rows: readonly string[], ...flags: string[]): Promise<{ code: number; out: string }> {
  const file = join(dir, `bars-${rows.length}.csv`);
  writeFileSync(file, ['symbol,date,open,high,low,close,volume', ...rows].join('\n') + '\n');
  let out = '';
  const io: CliIo = { out: (s) => void (out += `${s}\n`), err: () => undefined, isTty: false };
  const code = await main(['node', 'fedfin', 'data', 'validate', file, '--schema', 'market.v1', ...flags], io);
  return { code, out };
}

const bar = (symbol: string, date: string) => `${symbol},${date},10,11,9,10.5,1000`;

describe('data validate on market files', () => {
  it('accepts contiguous series and says so', async () => {
    const r = await validate([bar('AAA', '2024-01-02'), bar('AAA', '2024-01-03'), bar('BBB', '2024-01-02')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('series: every symbol has one bar per date');
  });

  it('names the symbol and dates of a duplicate and of a gap, and exits 1', async () => {
    const r = await validate([bar('AAA', '2024-01-02'), bar('AAA', '2024-01-02'), bar('BBB', '2024-01-02'), bar('BBB', '2024-01-15')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('AAA: date 2024-01-02 appears 2 times');
    expect(r.out).toContain('BBB: gap 2024-01-02 → 2024-01-15 (8 weekdays missing)');
  });

  it('lists the issues under seriesIssues with --json', async () => {
    const r = await validate([bar('AAA', '2024-01-02'), bar('AAA', '2024-01-02')], '--json');
    const v = JSON.parse(r.out) as { ok: boolean; seriesIssues: unknown[] };
    expect(v.ok).toBe(false);
    expect(v.seriesIssues).toEqual([{ symbol: 'AAA', kind: 'duplicate', dates: ['2024-01-02'], count: 2 }]);
  });
});
