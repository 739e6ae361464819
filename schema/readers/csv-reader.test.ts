/** Tests of the CSV reader: header, delimiter detection, BOM, column-count rejects, UTF-8 and size errors. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FedfinError } from '../../common/errors.js';
import { openDataFile, isReject, type SourceItem } from './index.js';
import { detectDelimiter } from './csv-reader.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'fedfin-csv-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer, ext = '.csv'): string {
  const p = join(dir, `f${n++}${ext}`);
  writeFileSync(p, content);
  return p;
}

async function readAll(path: string, opts = {}): Promise<{ header: readonly string[]; items: SourceItem[]; delimiter?: string }> {
  const r = await openDataFile(path, opts);
  const items: SourceItem[] = [];
  for await (const it of r.rows()) items.push(it);
  return { header: r.header, items, delimiter: r.delimiter };
}

async function failure(p: Promise<unknown>): Promise<FedfinError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FedfinError) return err;
    throw err;
  }
  throw new Error('expected a FedfinError');
}

describe('csv reader', () => {
  it('reads header and 1-based rows, when the file is plain comma-separated', async () => {
    const { header, items } = await readAll(file('a,b\n1,2\n3,"x, y"\n'));
    expect(header).toEqual(['a', 'b']);
    expect(items).toEqual([{ row: 1, values: ['1', '2'] }, { row: 2, values: ['3', 'x, y'] }]);
  });

  it('detects the delimiter and strips the BOM, when the file is ;-separated with a BOM', async () => {
    const { header, items, delimiter } = await readAll(file('\uFEFFa;b;c\r\n1;2,5;3\r\n'));
    expect(delimiter).toBe(';');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(items[0]).toEqual({ row: 1, values: ['1', '2,5', '3'] });
  });

  it('picks tab and pipe, when those separate the header', () => {
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a|b|"c,d"')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('rejects a row naming it, when the row has the wrong number of columns', async () => {
    const { items } = await readAll(file('a,b,c\n1,2,3\n4,5\n6,7,8\n'));
    expect(items.filter(isReject)).toEqual([{ row: 2, reject: 'row 2: expected 3 columns, got 2' }]);
    expect(items).toHaveLength(3);
  });

  it('fails naming file, row and column, when a field is 10 MB', async () => {
    const path = file(`a,b\n1,2\n3,${'x'.repeat(10 * 1024 * 1024)}\n`);
    const err = await failure(readAll(path));
    expect(err.code).toBe('data-invalid');
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/row 2, column b: field exceeds the maximum size of 1048576 bytes/);
  });

  it('accepts a large field, when the limit is raised', async () => {
    const { items } = await readAll(file(`a\n${'y'.repeat(2_000_000)}\n`), { maxFieldBytes: 4_000_000 });
    expect(items).toHaveLength(1);
  });

  it('fails naming file and row, when the bytes are not UTF-8', async () => {
    const path = file(Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
    const err = await failure(readAll(path));
    expect(err.code).toBe('data-invalid');
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/invalid UTF-8 at row 2 \(line 3/);
  });

  it('names file, row and column and suggests a conversion, when a Latin-1 file holds umlauts', async () => {
    const latin1 = Buffer.from('name;city;age\nAnna;Berlin;30\nJ\u00fcrgen;M\u00fcnchen;41\n', 'latin1');
    const err = await failure(readAll(file(latin1)));
    expect(err.message).toMatch(/invalid UTF-8 at row 2 \(line 3, column name, byte offset \d+\); save the file as UTF-8 .*iconv -f windows-1252/);
    const late = Buffer.concat([Buffer.from(`a,b,c\n${'x'.repeat(300_000)},1,`), Buffer.from('M\u00fcller\n', 'latin1')]);
    expect((await failure(readAll(file(late)))).message).toMatch(/at row 1 \(line 2, column c,/);
  });

  it('accepts multi-byte characters, when they straddle read chunks', async () => {
    const body = `${'ä'.repeat(200_000)},ö\n`;
    const { items } = await readAll(file(`a,b\n${body}`));
    expect(items[0]).toEqual({ row: 1, values: ['ä'.repeat(200_000), 'ö'] });
  });

  it('throws typed errors, when the file is missing, empty or a directory', async () => {
    expect((await failure(openDataFile(join(dir, 'nope.csv')))).code).toBe('file-not-found');
    const empty = file('');
    const e = await failure(openDataFile(empty));
    expect(e.code).toBe('data-invalid');
    expect(e.message).toBe(`${empty}: empty file, expected a header row`);
    const sub = join(dir, 'sub.csv');
    mkdirSync(sub);
    const d = await failure(openDataFile(sub));
    expect(d.code).toBe('file-unreadable');
    expect(d.message).toContain('is a directory');
  });

  it('names the row, when a quote is never closed', async () => {
    const err = await failure(readAll(file('a,b\n1,"2\n')));
    expect(err.code).toBe('data-invalid');
    expect(err.message).toMatch(/CSV syntax error|quote/);
  });

  it('returns rows, rejects or typed errors and never anything else, for arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const path = file(Buffer.from(bytes));
        try {
          const { items } = await readAll(path, { maxFieldBytes: 64 });
          for (const it of items) expect(it.row).toBeGreaterThan(0);
        } catch (err) {
          expect(err).toBeInstanceOf(FedfinError);
        } finally {
          rmSync(path, { force: true });
        }
      }),
      { numRuns: 150 },
    );
  });
});
