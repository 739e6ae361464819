/** Tests of the JSON Lines reader: header from the first object, rejects naming the line. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FedfinError } from '../../common/errors.js';
import { openDataFile, type SourceItem } from './index.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'fedfin-jsonl-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(name: string, content: string | Buffer): Promise<{ header: readonly string[]; items: SourceItem[] }> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const r = await openDataFile(path, { maxFieldBytes: 1000 });
  const items: SourceItem[] = [];
  for await (const it of r.rows()) items.push(it);
  return { header: r.header, items };
}

describe('jsonl reader', () => {
  it('streams objects as text values, when every line is an object', async () => {
    const { header, items } = await readAll('a.jsonl', '{"a":1,"b":"x","c":true}\n{"a":2.5,"c":null}\n\n{"b":"y"}');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(items).toEqual([
      { row: 1, values: ['1', 'x', 'true'] },
      { row: 2, values: ['2.5', null, null] },
      { row: 4, values: [null, 'y', null] },
    ]);
  });

  it('rejects naming the line, when a line is malformed, nested or has an unknown key', async () => {
    const { items } = await readAll('b.ndjson', '{"a":1}\n{"a":\n{"a":[1]}\n{"z":1}\n[1]\n');
    expect(items.slice(1).map((i) => ('reject' in i ? i.reject.slice(0, 21) : 'row'))).toEqual([
      'row 2: malformed JSON',
      'row 3: key "a" holds ',
      'row 4: key "z" is not',
      'row 5: expected a JSO',
    ]);
  });

  it('returns rows, rejects or typed errors and nothing else, for arbitrary bytes and arbitrary JSON lines', async () => {
    const line = fc.oneof(fc.json(), fc.string(), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }).map((o) => JSON.stringify(o)));
    const input = fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), fc.array(line, { maxLength: 6 }).map((ls) => ls.join('\n')));
    await fc.assert(fc.asyncProperty(input, async (content) => {
      const path = join(dir, 'fuzz.jsonl');
      writeFileSync(path, content);
      try {
        const r = await openDataFile(path, { maxFieldBytes: 100 });
        for await (const item of r.rows()) expect('reject' in item ? typeof item.reject : item.values.length).toBe('reject' in item ? 'string' : r.header.length);
      } catch (err) {
        expect(err).toBeInstanceOf(FedfinError);
      }
    }), { numRuns: 200 });
  });

  it('names the place but never quotes the line, when a malformed line holds an e-mail address', async () => {
    const { items } = await readAll('pii.jsonl', '{"email":"a@b.c","n":1}\n{"email":"jane.doe@example.com" "n":2}\n');
    expect(items[1]).toEqual({ row: 2, reject: 'row 2: malformed JSON at character 33' });
  });

  it('throws data-invalid naming the file, when the first line is not an object or a line is too long', async () => {
    await expect(readAll('c.jsonl', 'nope\n{"a":1}\n')).rejects.toThrow(/c\.jsonl: row 1: malformed JSON/);
    await expect(readAll('d.jsonl', `{"a":1}\n{"a":"${'x'.repeat(2000)}"}\n`)).rejects.toThrow(/d\.jsonl: row 2: line exceeds the maximum size of 1000 bytes/);
    await expect(readAll('e.jsonl', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d, 0x0a]))).rejects.toBeInstanceOf(FedfinError);
  });
});
