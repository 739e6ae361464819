/** Tests of `inferSchema` on the German credit data, on hand-made CSVs with identifiers, and on bad input. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferSchema, detectDelimiter } from './infer.js';
import { fieldOf } from './field.js';
import { parseSchemaJson, schemaToJson } from './registry.js';
import { FedfinError, FileError } from '../common/errors.js';

const GERMAN = '/work/shared/data/german_credit.csv';
const dir = mkdtempSync(join(tmpdir(), 'fedfin-infer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function* rowsOf(rows: Record<string, string>[]): AsyncGenerator<Record<string, string>> {
  for (const r of rows) yield await Promise.resolve(r);
}

describe('inferSchema on german_credit.csv', () => {
  it('drafts 21 fields with coded columns as categories, counts as integers and class as the label', async () => {
    const r = await inferSchema(GERMAN, { label: 'class' });
    expect(r.rows).toBe(1000);
    expect(r.delimiter).toBe(',');
    expect(r.schema.id).toBe('german_credit.v1');
    expect(r.schema.fields).toHaveLength(21);
    expect(r.schema.label).toBe('class');
    expect(fieldOf(r.schema, 'class')).toMatchObject({ type: 'integer', min: 1, max: 2, required: true, privacy: 'label' });
    expect(fieldOf(r.schema, 'purpose')).toMatchObject({ type: 'category', privacy: 'feature' });
    expect(fieldOf(r.schema, 'purpose')?.categories).toHaveLength(10);
    expect(fieldOf(r.schema, 'checking_account_status')?.categories?.[0]).toBe('A14'); // most frequent (394 rows)
    expect(fieldOf(r.schema, 'credit_amount')).toMatchObject({ type: 'integer', min: 250, max: 18424 });
    expect(fieldOf(r.schema, 'duration_months')).toMatchObject({ type: 'integer', min: 4, max: 72 });
    const categories = r.schema.fields.filter((f) => f.type === 'category').map((f) => f.name);
    const integers = r.schema.fields.filter((f) => f.type === 'integer').map((f) => f.name);
    expect(categories).toHaveLength(13);
    expect(integers).toHaveLength(8);
  });

  it('classes protected and quasi-identifying columns and leaves coded telephone unflagged with a note', async () => {
    const r = await inferSchema(GERMAN, { label: 'class' });
    expect(fieldOf(r.schema, 'personal_status_sex')?.privacy).toBe('sensitive');
    expect(fieldOf(r.schema, 'foreign_worker')?.privacy).toBe('sensitive');
    expect(fieldOf(r.schema, 'age_years')?.privacy).toBe('quasi-identifier');
    const tel = r.columns.find((c) => c.column === 'telephone')!;
    expect(tel.field.privacy).toBe('feature');
    expect(tel.notes.join(' ')).toMatch(/phone/);
    expect(r.schema.fields.some((f) => f.privacy === 'direct-identifier')).toBe(false);
  });

  it('round-trips through parseSchemaJson, when the draft is written as JSON', async () => {
    const r = await inferSchema(GERMAN, { label: 'class', name: 'german' });
    expect(parseSchemaJson(JSON.stringify(schemaToJson(r.schema)), 'draft.json')).toEqual(r.schema);
    expect(r.schema.id).toBe('german.v1');
  });

  it('reads only the first rows and says so, when sampleRows is set', async () => {
    const r = await inferSchema(GERMAN, { label: 'class', sampleRows: 50 });
    expect(r.rows).toBe(50);
    expect(r.schema.description).toMatch(/first 50 rows/);
  });
});

describe('inferSchema on hand-made CSVs', () => {
  it('flags email, IBAN and id columns as direct identifiers and types them as strings, when a tiny CSV has them', async () => {
    const path = csv('people.csv', [
      'Customer ID;E-Mail;Payer IBAN;Contact;Balance;Segment',
      'c-001;anna@example.de;DE89 3704 0044 0532 0130 00;+49 30 1234567;1200.50;retail',
      'c-002;ben@example.com;GB82WEST12345698765432;+44 20 7946 0958;-80;retail',
      'c-003;cleo@example.org;DE89370400440532013000;+33 1 23 45 67 89;15000;private',
    ].join('\n'));
    const r = await inferSchema(path, {});
    expect(r.delimiter).toBe(';');
    const byCol = Object.fromEntries(r.columns.map((c) => [c.column, c]));
    for (const col of ['Customer ID', 'E-Mail', 'Payer IBAN', 'Contact']) {
      expect(byCol[col]!.field.privacy, col).toBe('direct-identifier');
      expect(byCol[col]!.field.type, col).toBe('string');
      expect(byCol[col]!.reasons.length, col).toBeGreaterThan(0);
    }
    expect(byCol['E-Mail']!.reasons[0]).toMatch(/email addresses \(3 of 3\)/);
    expect(byCol['Payer IBAN']!.reasons[0]).toMatch(/IBAN/);
    expect(byCol['Contact']!.reasons[0]).toMatch(/phone numbers/);
    expect(byCol['Balance']!.field).toMatchObject({ name: 'balance', type: 'number', min: -80, max: 15000, privacy: 'feature' });
    expect(byCol['Segment']!.field).toMatchObject({ type: 'category', categories: ['retail', 'private'] });
    expect(byCol['E-Mail']!.field.description).toMatch(/source column "E-Mail"/);
    expect(r.schema.fields.map((f) => f.name)).toEqual(['customer_id', 'e_mail', 'payer_iban', 'contact', 'balance', 'segment']);
  });

  it('flags a column unique per row as an identifier, when it has more distinct values than the category cap', async () => {
    const lines = ['ref\tscore\tdob\topened'];
    for (let i = 0; i < 30; i++) lines.push(`R${(i * 7919).toString(36)}\t${i % 5}\t0${1 + (i % 9)}.0${1 + (i % 9)}.1980\t2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:15:00Z`);
    const r = await inferSchema(csv('unique.tsv', lines.join('\n')), { categoryCap: 10 });
    expect(r.delimiter).toBe('\t');
    expect(r.columns[0]!.field.privacy).toBe('direct-identifier');
    expect(r.columns[0]!.reasons[0]).toMatch(/unique per row \(30 distinct/);
    expect(r.columns[1]!.field).toMatchObject({ type: 'integer', min: 0, max: 4, privacy: 'feature' });
    expect(r.columns[2]!.field).toMatchObject({ type: 'date', privacy: 'direct-identifier' });
    expect(r.columns[2]!.notes.join(' ')).toMatch(/date:DD\.MM\.YYYY/);
    expect(r.columns[3]!.field).toMatchObject({ type: 'timestamp', privacy: 'quasi-identifier' });
  });

  it('keeps codes with leading zeros as text, marks optional columns, and detects booleans, when values call for it', async () => {
    const path = csv('codes.csv', 'postcode|flag|note\n01067|yes|\n10115|no|x\n80331|Y|y\n');
    const r = await inferSchema(path, {});
    expect(r.columns[0]!.field).toMatchObject({ type: 'category', privacy: 'quasi-identifier', required: true });
    expect(r.columns[1]!.field).toMatchObject({ type: 'boolean', required: true });
    expect(r.columns[2]!.field).toMatchObject({ type: 'category', required: false });
    expect(r.columns[2]!.field.description).toMatch(/1 missing of 3/);
  });

  it('handles a BOM, CRLF line ends and quoted cells with delimiters and newlines, when a spreadsheet exported the file', async () => {
    const path = csv('excel.csv', '\uFEFF"Customer Name";Amount;"Comment; free, text"\r\n"Doe, Jane";"1,5";"two\r\nlines"\r\n"Roe, Rick";2;ok\r\n');
    const r = await inferSchema(path, {});
    expect(r.delimiter).toBe(';');
    expect(r.rows).toBe(2);
    expect(r.columns.map((c) => c.column)).toEqual(['Customer Name', 'Amount', 'Comment; free, text']);
    expect(r.columns[0]!.field).toMatchObject({ name: 'customer_name', privacy: 'direct-identifier', type: 'string' });
    expect(r.columns[1]!.field.type).toBe('category'); // decimal commas are not parsed: the mapping does that
  });

  it('profiles rows from an async iterable, when given rows instead of a path', async () => {
    const r = await inferSchema(rowsOf([{ a: '1', b: 'x' }, { a: '2.5', b: 'y' }]), { label: 'b', name: 'tiny' });
    expect(r.schema.id).toBe('tiny.v1');
    expect(r.schema.fields.map((f) => [f.name, f.type, f.privacy])).toEqual([['a', 'number', 'feature'], ['b', 'category', 'label']]);
  });
});

describe('inferSchema errors', () => {
  it('throws FileError naming the file, when the file does not exist', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(inferSchema(missing)).rejects.toThrow(FileError);
    await expect(inferSchema(missing)).rejects.toThrow(`${missing}: no such file`);
  });

  it('throws data-invalid, when the file is empty or has only a header', async () => {
    await expect(inferSchema(csv('empty.csv', ''))).rejects.toThrow(/empty file/);
    await expect(inferSchema(csv('header.csv', 'a,b\n'))).rejects.toThrow(/no data rows/);
  });

  it('names the missing label and the columns present, when the label column is absent', async () => {
    const err = await inferSchema(csv('nolabel.csv', 'a,b\n1,2\n'), { label: 'target' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FedfinError);
    expect((err as FedfinError).code).toBe('data-invalid');
    expect((err as Error).message).toMatch(/label column "target" not found; columns are: a, b/);
  });

  it('reports the file, when rows have a different number of fields than the header', async () => {
    await expect(inferSchema(csv('ragged.csv', 'a,b\n1,2\n3\n'))).rejects.toThrow(/ragged\.csv: cannot parse CSV/);
  });

  it('rejects a bad category cap, name or input with a RangeError or TypeError', async () => {
    await expect(inferSchema(GERMAN, { categoryCap: 0 })).rejects.toThrow(RangeError);
    await expect(inferSchema(GERMAN, { name: 'Bad Name' })).rejects.toThrow('inferSchema: "name" expected snake_case name, got "Bad Name"');
    await expect(inferSchema(42 as unknown as string)).rejects.toThrow('inferSchema: "input" expected a CSV path or an async iterable of rows, got 42');
  });
});

describe('detectDelimiter', () => {
  it('picks the most frequent candidate outside quotes, and a comma when there is none', () => {
    expect(detectDelimiter('a;b;"c,d,e"')).toBe(';');
    expect(detectDelimiter('a|b|c')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
  });
});
