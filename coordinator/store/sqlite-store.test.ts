import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, openSqliteStore } from './sqlite-store.js';
import { storeContract } from './store.contract.js';

storeContract('sqlite (in memory)', () => createSqliteStore(new Database(':memory:')));
storeContract('sqlite (file, WAL)', () => openSqliteStore(mkdtempSync(join(tmpdir(), 'fedfin-store-'))));

describe('sqlite store', () => {
  it('keeps committed rounds across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-store-'));
    const s = openSqliteStore(dir);
    await s.createJob({ jobId: 'j', name: 'n', task: 't', specJson: '{}', roundsTotal: 2, createdAt: 'x' });
    await s.close();
    const again = openSqliteStore(dir);
    expect((await again.getJob('j'))?.roundsTotal).toBe(2);
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens read-only without writing, for measurements and offline verification', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-store-'));
    const s = openSqliteStore(dir);
    await s.createJob({ jobId: 'j', name: 'n', task: 't', specJson: '{}', roundsTotal: 2, createdAt: 'x' });
    await s.close();
    const ro = createSqliteStore(new Database(join(dir, 'coordinator.db'), { readonly: true }));
    expect((await ro.getJob('j'))?.name).toBe('n');
    await expect(ro.createJob({ jobId: 'k', name: 'n', task: 't', specJson: '{}', roundsTotal: 1, createdAt: 'x' })).rejects.toThrow(/readonly/);
    await ro.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
