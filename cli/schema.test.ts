/** Tests of `fedfin schema list|show|infer`, run through `main` with captured output. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import type { CliIo } from './io.js';
import { parseSchemaJson, schemaToJson } from '../schema/registry.js';
import { CREDIT_V1 } from '../schema/builtin/credit-v1.js';

const GERMAN = '/work/shared/data/german_credit.csv';
const dir = mkdtempSync(join(tmpdir(), 'fedfin-cli-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`), err: (t) => void (err += t.endsWith('\n') ? t : `${t}\n`), isTty: false };
  const code = await main(['node', 'fedfin', ...args], io);
  return { code, out, err };
}

describe('fedfin schema list', () => {
  it('lists the three built-ins, as a table and as JSON', async () => {
    const table = await run('schema', 'list');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/credit\.v1\s+credit\s+39\s+default/);
    expect(table.out).toMatch(/market\.v1\s+market\s+7\s+-/);
    expect(table.out).toMatch(/transaction\.v1\s+transaction\s+14\s+fraud/);
    const json = await run('schema', 'list', '--json');
    expect((JSON.parse(json.out) as { id: string }[]).map((s) => s.id)).toEqual(['credit.v1', 'market.v1', 'transaction.v1']);
  });
});

describe('fedfin schema show', () => {
  it('prints a table with type, unit, range, required and privacy, for a built-in id', async () => {
    const r = await run('schema', 'show', 'market.v1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^field\s+type\s+unit\s+range \/ categories\s+required\s+privacy$/m);
    expect(r.out).toMatch(/^volume\s+number\s+shares\s+≥ 0\s+yes\s+feature$/m);
    expect(r.out).toMatch(/^date\s+date\s+YYYY-MM-DD\s+yes\s+feature$/m);
    const tx = await run('schema', 'show', 'transaction.v1');
    expect(tx.out).toMatch(/^channel\s+category\s+pos \| online \| atm \| mobile \| phone\s+yes\s+feature$/m);
    expect(tx.out).toMatch(/^fraud\s+integer\s+0 \.\. 1\s+yes\s+label$/m);
  });

  it('pins the human-readable table, for market.v1', async () => {
    expect((await run('schema', 'show', 'market.v1')).out).toMatchInlineSnapshot(`
      "market.v1 (market) — A daily OHLCV bar of one instrument (open, high, low, close, volume); no label field — the task derives next-day returns.
      label: (none); 7 fields

      field   type    unit    range / categories  required  privacy
      ------  ------  ------  ------------------  --------  -------
      symbol  string          ≤ 16 chars          yes       feature
      date    date            YYYY-MM-DD          yes       feature
      open    number  price   ≥ 0                 yes       feature
      high    number  price   ≥ 0                 yes       feature
      low     number  price   ≥ 0                 yes       feature
      close   number  price   ≥ 0                 yes       feature
      volume  number  shares  ≥ 0                 yes       feature
      "
    `);
  });

  it('prints schema JSON that parses back to the same schema, with --json', async () => {
    const r = await run('schema', 'show', 'credit.v1', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(schemaToJson(CREDIT_V1));
    expect(parseSchemaJson(r.out, 'stdout')).toEqual(CREDIT_V1);
  });

  it('prints the JSON Schema export, with --json-schema', async () => {
    const r = await run('schema', 'show', 'transaction.v1', '--json-schema');
    const doc = JSON.parse(r.out) as { $schema: string; properties: Record<string, { format?: string }>; required: string[] };
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.properties['timestamp']?.format).toBe('date-time');
    expect(doc.required).toEqual(['timestamp', 'amount', 'merchant_category_code', 'channel', 'fraud']);
  });

  it('shows a custom schema file, and exits 1 naming the file or the known ids when the reference is bad', async () => {
    const file = join(dir, 'market-copy.json');
    writeFileSync(file, JSON.stringify({ name: 'prices', version: 2, fields: [{ name: 'px', type: 'number', min: 0, unit: 'price', privacy: 'feature' }] }));
    const ok = await run('schema', 'show', file);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^prices\.v2 \(custom\)/);
    const missing = await run('schema', 'show', join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`${join(dir, 'nope.json')}: no such file`);
    const unknown = await run('schema', 'show', 'credit.v9');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown schema "credit\.v9"/);
  });

  it('exits 2 with each zod issue listed, when a custom schema file is invalid', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'Bad Name', version: 1, fields: [{ name: 'c', type: 'category', privacy: 'feature' }] }));
    const r = await run('schema', 'show', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/name: expected snake_case name/);
    expect(r.err).toMatch(/fields\.0\.categories: a category field needs "categories"/);
  });
});

describe('fedfin schema infer', () => {
  it('writes a draft that round-trips and prints a summary, for german_credit.csv with --label class', async () => {
    const out = join(dir, 'german.json');
    const r = await run('schema', 'infer', '--data', GERMAN, '--label', 'class', '--out', out, '--name', 'german');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Drafted german\.v1 from .*german_credit\.csv: 1000 rows, 21 columns, delimiter ","/);
    expect(r.out).toMatch(/personal_status_sex: sensitive \(name mentions "sex"/);
    expect(r.out).toMatch(/class: label \(the --label column\)/);
    const schema = parseSchemaJson(readFileSync(out, 'utf8'), out);
    expect(schema.id).toBe('german.v1');
    expect(schema.fields).toHaveLength(21);
  });

  it('explains each flagged identifier in the JSON summary, with --json', async () => {
    const data = join(dir, 'clients.csv');
    writeFileSync(data, 'client_id,Email,amount,default\nk1,a@b.de,10,0\nk2,c@d.de,12.5,1\nk3,e@f.de,7,0\n');
    const out = join(dir, 'clients.json');
    const r = await run('schema', 'infer', '--data', data, '--label', 'default', '--out', out, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { schema: string; columns: { field: string; privacy: string; reasons: string[] }[] };
    expect(summary.schema).toBe('clients.v1');
    const ids = summary.columns.filter((c) => c.privacy === 'direct-identifier');
    expect(ids.map((c) => c.field)).toEqual(['client_id', 'email']);
    expect(ids[1]!.reasons.join(' ')).toMatch(/email addresses/);
    expect(existsSync(out)).toBe(true);
  });

  it('fails with a clear message and writes nothing, when the data is missing, empty or lacks the label', async () => {
    const out = join(dir, 'never.json');
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const cases: [string[], RegExp][] = [
      [['--data', join(dir, 'missing.csv')], /missing\.csv: no such file/],
      [['--data', empty], /empty\.csv: empty file/],
      [['--data', GERMAN, '--label', 'target'], /german_credit\.csv: label column "target" not found/],
    ];
    for (const [args, message] of cases) {
      const r = await run('schema', 'infer', ...args, '--out', out);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
    expect(readdirSync(dir).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('exits 2, when flags are missing or invalid', async () => {
    expect((await run('schema', 'infer', '--data', GERMAN)).code).toBe(2);
    expect((await run('schema', 'infer', '--data', GERMAN, '--out', join(dir, 'x.json'), '--category-cap', '0')).code).toBe(2);
    expect((await run('schema', 'infer', '--data', GERMAN, '--out', join(dir, 'x.json'), '--name', 'Not Snake')).code).toBe(2);
    expect((await run('schema', 'infer', '--data', GERMAN, '--out', GERMAN)).code).toBe(2);
    expect((await run('schema', 'show', 'credit.v1', '--json', '--markdown')).code).toBe(2);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});

describe('docs/schema.md', () => {
  it('carries the current field table of every built-in, as printed by schema show --markdown', async () => {
    const doc = readFileSync(new URL('../docs/schema.md', import.meta.url), 'utf8');
    for (const id of ['credit.v1', 'transaction.v1', 'market.v1']) {
      const r = await run('schema', 'show', id, '--markdown');
      expect(r.code).toBe(0);
      expect(doc, `table of ${id} in docs/schema.md`).toContain(r.out.trimEnd());
    }
  });
});

describe('fedfin help', () => {
  /** The lines under "Commands:" that are wrapped continuations (deeply indented) rather than one command each. */
  const wrapped = (help: string): string[] => {
    const commands = help.split('Commands:\n')[1] ?? '';
    return commands.split('\n').filter((l) => /^ {4,}\S/.test(l));
  };

  it('prints one line per command within 80 columns, for the schema and data groups', async () => {
    for (const args of [['schema', '--help'], ['data', '--help']]) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Commands:');
      expect(wrapped(r.out)).toEqual([]);
      expect(r.out.split('\n').filter((l) => l.length > 80)).toEqual([]);
    }
  });
});

describe('docs index', () => {
  it('links every page of docs/, when docs/README.md is read', () => {
    const docs = new URL('../docs/', import.meta.url).pathname;
    const index = readFileSync(join(docs, 'README.md'), 'utf8');
    const missing = readdirSync(docs).filter((f) => f.endsWith('.md') && f !== 'README.md' && !index.includes(`](${f})`));
    expect(missing).toEqual([]);
  });
});
