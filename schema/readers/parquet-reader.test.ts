/** Tests of the Parquet reader, on files written with hyparquet-writer (several row groups). */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import fc from 'fast-check';
import { FedfinError } from '../../common/errors.js';
import { openDataFile, isReject } from './index.js';
import { parquetValueText } from './parquet-reader.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'fedfin-pq-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parquet reader', () => {
  it('streams every row of every row group with 1-based numbers, when the file has 3 groups', async () => {
    // Prepare
    const n = 2500;
    const ages = Array.from({ length: n }, (_, i) => 18 + (i % 60));
    const names = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `n${i}`));
    const buf = parquetWriteBuffer({ columnData: [{ name: 'age', data: ages, type: 'INT32' }, { name: 'name', data: names, type: 'STRING' }], rowGroupSize: 1000 });
    const path = join(dir, 'a.parquet');
    writeFileSync(path, new Uint8Array(buf));
    // Execute
    const r = await openDataFile(path);
    const rows = [];
    for await (const it of r.rows()) rows.push(it);
    // Assert
    expect(r.header).toEqual(['age', 'name']);
    expect(rows).toHaveLength(n);
    expect(rows.some(isReject)).toBe(false);
    expect(rows[0]).toEqual({ row: 1, values: ['18', null] });
    expect(rows[2497]).toEqual({ row: 2498, values: [String(18 + (2497 % 60)), 'n2497'] });
    expect(rows[2499]).toEqual({ row: 2500, values: [String(18 + (2499 % 60)), null] });
  });

  it('fails with data-invalid naming the file, when the file is not Parquet', async () => {
    const path = join(dir, 'b.parquet');
    writeFileSync(path, 'a,b\n1,2\n');
    await expect(openDataFile(path)).rejects.toThrow(/b\.parquet: not a readable Parquet file/);
  });

  // Arbitrary bytes; flipped and truncated valid files are in parquet-guard.test.ts.
  it('returns rows or a typed error and nothing else, for arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
      const path = join(dir, 'fuzz.parquet');
      writeFileSync(path, Buffer.concat([Buffer.from('PAR1'), Buffer.from(bytes)]));
      try {
        const r = await openDataFile(path);
        for await (const item of r.rows()) expect(item.row).toBeGreaterThan(0);
      } catch (err) {
        expect(err).toBeInstanceOf(FedfinError);
      }
    }), { numRuns: 150 });
  });

  it('renders dates, bigints and nested values, when converting cells to text', () => {
    expect(parquetValueText(new Date('2024-02-29T00:00:00Z'))).toBe('2024-02-29');
    expect(parquetValueText(new Date('2024-02-29T10:00:00Z'))).toBe('2024-02-29T10:00:00.000Z');
    expect(parquetValueText(12n)).toBe('12');
    expect(parquetValueText([1])).toBeUndefined();
  });
});
