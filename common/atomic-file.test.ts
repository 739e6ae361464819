import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicWriter, writeFileAtomic } from './atomic-file.js';

describe('atomic file output', () => {
  it('writes the whole file and leaves no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-atomic-'));
    writeFileAtomic(join(dir, 'a.txt'), 'hello');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello');
    expect(readdirSync(dir)).toEqual(['a.txt']);
    rmSync(dir, { recursive: true });
  });

  it('removes its temp file, when the final rename fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-atomic-'));
    const target = join(dir, 'out');
    mkdirSync(join(target, 'blocker'), { recursive: true }); // a non-empty directory cannot be replaced by a file
    const w = new AtomicWriter(target);
    await w.write('data');
    await expect(w.commit()).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['out']);
    rmSync(dir, { recursive: true });
  });

  it('discards everything on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-atomic-'));
    const w = new AtomicWriter(join(dir, 'x.csv'));
    await w.write('partial');
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
  });
});
