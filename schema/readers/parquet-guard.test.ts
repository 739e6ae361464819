/** Tests of the corrupt-Parquet defences: the page-header guard and the decoding thread's deadline and isolation. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import fc from 'fast-check';
import { FedfinError } from '../../common/errors.js';
import { openParquet } from './parquet-reader.js';

let dir: string;
let good: Buffer;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedfin-pqg-'));
  const n = 3000;
  good = Buffer.from(parquetWriteBuffer({
    columnData: [
      { name: 'age', data: Int32Array.from({ length: n }, (_, i) => 18 + (i % 60)), type: 'INT32' },
      { name: 'name', data: Array.from({ length: n }, (_, i) => (i % 5 === 4 ? null : `n${i}`)), type: 'STRING' },
    ],
    rowGroupSize: 1000,
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string, decodeTimeoutMs?: number): Promise<number> {
  const r = await openParquet(path, decodeTimeoutMs === undefined ? {} : { decodeTimeoutMs });
  let n = 0;
  for await (const item of r.rows()) if (item.row > 0) n++;
  return n;
}

describe('parquet corrupt-file defences', () => {
  it('names the rows, column and byte of a page header that lacks a required field, when one byte is flipped', async () => {
    // Byte 281 is inside the first data page header of column age (hyparquet-writer's layout): hyparquet
    // alone reads the missing level lengths as undefined and loops.
    const path = join(dir, 'flipped.parquet');
    const b = Buffer.from(good);
    b[281] = 0xf0;
    writeFileSync(path, b);
    await expect(readAll(path)).rejects.toThrow(/flipped\.parquet: rows 1–1000: column age: page at byte \d+ lacks its required .* \(the file is corrupt or truncated\)/);
  });

  it('stops a decoding that misses its deadline with data-invalid, and decodes the next file on a fresh thread', async () => {
    const path = join(dir, 'good.parquet');
    writeFileSync(path, good);
    const err = await readAll(path, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FedfinError);
    expect((err as FedfinError).code).toBe('data-invalid');
    expect((err as Error).message).toMatch(/good\.parquet: rows 1–1000: decoding did not finish within 1 ms/);
    expect(await readAll(path)).toBe(3000);
  });

  // Byte flips and truncations of a valid file once made hyparquet spin forever or leave unhandled
  // rejections (which end a Node process); every outcome must now be rows or a typed error, promptly.
  it('returns rows or a typed error, never a hang or a crash, for flipped or truncated valid files', async () => {
    const flip = fc.record({ at: fc.nat({ max: 11_000 }), value: fc.integer({ min: 0, max: 255 }) });
    await fc.assert(fc.asyncProperty(fc.array(flip, { minLength: 1, maxLength: 3 }), fc.option(fc.nat({ max: 11_000 }), { nil: undefined }), async (flips, cut) => {
      const b = Buffer.from(good);
      for (const f of flips) b[4 + (f.at % (b.length - 12))] = f.value;
      const bytes = cut === undefined ? b : Buffer.concat([b.subarray(0, 8 + (cut % (b.length - 16))), b.subarray(b.length - 8)]);
      const path = join(dir, 'fuzz.parquet');
      writeFileSync(path, bytes);
      try {
        await readAll(path, 5_000);
      } catch (err) {
        expect(err).toBeInstanceOf(FedfinError);
      }
    }), { numRuns: 120 });
  }, 60_000);
});
