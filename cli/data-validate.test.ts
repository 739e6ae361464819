/** Tests of `fedfin data validate`: output, JSON, exit codes 0/1/2 and the messages users see. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import type { CliIo } from './io.js';

const MAPPING = new URL('../examples/german-credit/mapping.json', import.meta.url).pathname;
const GERMAN = '/work/shared/data/german_credit.csv';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'fedfin-cli-val-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => { out += s.endsWith('\n') ? s : `${s}\n`; }, err: (s) => { err += s.endsWith('\n') ? s : `${s}\n`; }, isTty: false };
  const code = await main(['node', 'fedfin', 'data', 'validate', ...args], io);
  return { code, out, err };
}

const HEADER = 'age,loan_amount,loan_term_months,default';

describe('fedfin data validate', () => {
  it('prints counts and a field table and exits 0, when German Credit is validated through its mapping', async () => {
    const r = await run('--schema', 'credit.v1', '--mapping', MAPPING, GERMAN);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1000 rows read, 1000 accepted, 0 rejected (max 0)');
    expect(r.out).toMatch(/loan_term_months\s+0\.0%\s+4 … 72/);
  });

  it('prints the counts, errors and stats as JSON, when --json is given', async () => {
    const r = await run('--schema', 'credit.v1', '--json', '--max-reject', '5', file('a.csv', `${HEADER}\n30,1000,12,0\n17,1000,12,0\n40,abc,12,1\n`));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect({ rows: j.rows, accepted: j.accepted, rejected: j.rejected }).toEqual({ rows: 3, accepted: 1, rejected: 2 });
    expect(j.errors).toEqual([
      { row: 2, field: 'age', message: 'row 2, field age: expected integer in [18, 100], got 17' },
      { row: 3, field: 'loan_amount', message: 'row 3, field loan_amount: expected number, got "abc"' },
    ]);
    expect(j.fields.find((f: { field: string }) => f.field === 'age')).toMatchObject({ min: 30, max: 30 });
  });

  it('exits 1 listing the first rejects, when rejects exceed --max-reject', async () => {
    const r = await run('--schema', 'credit.v1', file('b.csv', `${HEADER}\n30,-5,12,0\n`));
    expect(r.code).toBe(1);
    expect(r.out).toContain('row 1, field loan_amount: expected number in [0, 100000000], got -5');
  });

  it('exits 1 naming the file, when the data file is missing, empty or not UTF-8', async () => {
    const missing = join(dir, 'none.csv');
    expect(await run('--schema', 'credit.v1', missing)).toMatchObject({ code: 1, err: `error: ${missing}: no such file\n` });
    const empty = file('empty.csv', '');
    expect((await run('--schema', 'credit.v1', empty)).err).toContain(`${empty}: empty file`);
    const bad = file('bad.csv', Buffer.concat([Buffer.from(`${HEADER}\n30,`), Buffer.from([0xc3, 0x28]), Buffer.from(',12,0\n')]));
    const r = await run('--schema', 'credit.v1', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}: invalid UTF-8 at row 1`);
  });

  it('prints 1000 accepted with 300 defaults in the documented JSON shape, when German Credit is validated with --json', async () => {
    const r = await run('--schema', 'credit.v1', '--mapping', MAPPING, '--json', GERMAN);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect({ rows: j.rows, accepted: j.accepted, rejected: j.rejected, errors: j.errors }).toEqual({ rows: 1000, accepted: 1000, rejected: 0, errors: [] });
    expect(j.fields.find((f: { field: string }) => f.field === 'default').top).toEqual([{ value: '0', count: 700 }, { value: '1', count: 300 }]);
  });

  it('names row, field and source column, when a mapped value is out of range', async () => {
    const header = 'age_years,credit_amount,duration_months,checking_account_status,class';
    const map = file('range.json', JSON.stringify({ schema: 'credit.v1', fields: { age: { column: 'age_years' }, loan_amount: { column: 'credit_amount' }, loan_term_months: { column: 'duration_months' }, default: { derive: 'class == 2' } }, ignore: ['checking_account_status'] }));
    const r = await run('--schema', 'credit.v1', '--mapping', map, '--json', file('range.csv', `${header}\n150,1000,12,A11,1\n`));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).errors).toEqual([{ row: 1, field: 'age', column: 'age_years', message: 'row 1, field age (column age_years): expected integer in [18, 100], got 150' }]);
  });

  it('exits 1 naming file, row and column, when a Latin-1 file has umlauts or a field is 10 MB', async () => {
    const latin = file('latin1.csv', Buffer.from(`${HEADER},region\n30,1000,12,0,Baden-W\u00fcrttemberg\n`, 'latin1'));
    const r = await run('--schema', 'credit.v1', latin);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(new RegExp(`^error: ${latin}: invalid UTF-8 at row 1 \\(line 2, column region, byte offset \\d+\\); save the file as UTF-8`));
    const big = file('big.csv', `${HEADER},region\n30,1000,12,0,${'x'.repeat(10 * 1024 * 1024)}\n`);
    const r2 = await run('--schema', 'credit.v1', big);
    expect(r2).toMatchObject({ code: 1, out: '' });
    expect(r2.err).toContain(`error: ${big}: row 1, column region: field exceeds the maximum size of 1048576 bytes`);
  });

  it('exits 1 with a delimiter hint, when a ;-separated file is read with delimiter ","', async () => {
    const r = await run('--schema', 'credit.v1', '--delimiter', ',', file('semi.csv', `${HEADER.replaceAll(',', ';')}\n30;1000;12;0\n`));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 column found, expected 4; is the delimiter ";"\?/);
  });

  it('exits 1 naming the field, when a required column is missing or the mapping names an unknown field', async () => {
    const r = await run('--schema', 'credit.v1', file('c.csv', 'age,loan_amount,default\n30,1,0\n'));
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toContain('required field loan_term_months is not provided');
    const map = file('m.json', JSON.stringify({ schema: 'credit.v1', fields: { salary: { column: 'x' } } }));
    const r2 = await run('--schema', 'credit.v1', '--mapping', map, file('d.csv', 'x\n1\n'));
    expect(r2.code).toBe(1);
    expect(r2.err).toContain(`error: mapping ${map}: unknown field "salary": schema credit.v1 has no such field`);
  });

  it('exits 2 naming the mapping file and zod path, when the mapping is unreadable', async () => {
    const bad = file('bad.json', JSON.stringify({ schema: 'credit.v1', fields: { age: { column: 3 } } }));
    const r = await run('--schema', 'credit.v1', '--mapping', bad, GERMAN);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`invalid mapping ${bad}`);
    expect(r.err).toContain('fields.age');
    const notJson = file('nj.json', '{');
    expect(await run('--schema', 'credit.v1', '--mapping', notJson, GERMAN)).toMatchObject({ code: 2 });
    expect((await run('--schema', 'credit.v1', '--mapping', join(dir, 'nope.json'), GERMAN)).code).toBe(2);
  });

  it('exits 2, when flags are bad or the mapping is for another schema', async () => {
    expect((await run('--schema', 'credit.v1', '--max-reject', '-1', GERMAN)).code).toBe(2);
    expect((await run('--schema', 'credit.v1', '--format', 'xls', GERMAN)).code).toBe(2);
    expect((await run(GERMAN)).code).toBe(2);
    const other = file('o.json', JSON.stringify({ schema: 'market.v1', fields: {} }));
    const r = await run('--schema', 'credit.v1', '--mapping', other, GERMAN);
    expect(r.code).toBe(2);
    expect(r.err).toContain('maps onto schema market.v1, but --schema is credit.v1');
  });
});
