/** Tests for `fedfin audit verify` on a real coordinator.db: tampered, deleted and swapped rows are named by seq. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../client/ledger/ledger.js';
import { openSqliteStore } from '../coordinator/store/sqlite-store.js';
import { auditEntryHash, signAuditEntry } from '../security/audit-hash.js';
import { generateIdentityKey, identityPublicKeyToPem } from '../security/identity-keys.js';
import { runCli } from '../test/helpers/run-cli.js';

const run = (args: string[]) => runCli(args);

describe('cli audit verify', () => {
  let dir: string;
  let db: () => Database.Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedfin-cli-audit-'));
    const store = openSqliteStore(dir);
    const members = ['bank-a', 'bank-b', 'bank-c'];
    for (let i = 0; i < 8; i++) await store.appendAudit({ type: i % 2 ? 'join' : 'job-submitted', memberId: members[i % 3], actor: i === 0 ? 'ops-1' : undefined, detail: { i, note: `entry ${i + 1}`, nested: { z: 1, a: [i] } } });
    await store.close();
    db = () => new Database(join(dir, 'coordinator.db'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const tamper = (sql: string, ...params: unknown[]): void => {
    const d = db();
    d.prepare(sql).run(...params);
    d.close();
  };

  it('reports OK with the entry count, when the log written by the coordinator store is untouched', async () => {
    const r = await run(['audit', 'verify', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^audit log OK: 8 entries verified \(hash chain only; pass --public-key to check signatures\), head entry 8 [0-9a-f]{16}…$/);
    const j = await run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(JSON.parse(j.out)).toMatchObject({ ok: true, entries: 8, signaturesChecked: false, head: { seq: 8 } });
  });

  it('names entry 3 and exits 1, when its row was edited in SQLite', async () => {
    tamper(`UPDATE audit_events SET detail_json = '{"i":2,"note":"forged"}' WHERE seq = 3`);
    const r = await run(['audit', 'verify', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('audit log BROKEN at entry 3 (hash-mismatch): entry 3 (job-submitted) was edited');
    expect(r.out).toContain('entries 1–2 verify');
  });

  it('names entry 5, when its row was deleted', async () => {
    tamper('DELETE FROM audit_events WHERE seq = 5');
    const r = await run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, entries: 4, firstBad: { seq: 5, problem: 'missing' } });
  });

  it('names entry 2, when rows 2 and 6 were swapped (contents exchanged, seq kept)', async () => {
    const d = db();
    const cols = 'at, type, job_id, member_id, actor, detail_json, prev_hash, hash';
    const a = d.prepare(`SELECT ${cols} FROM audit_events WHERE seq = 2`).get() as Record<string, unknown>;
    const b = d.prepare(`SELECT ${cols} FROM audit_events WHERE seq = 6`).get() as Record<string, unknown>;
    const upd = d.prepare(`UPDATE audit_events SET at=@at, type=@type, job_id=@job_id, member_id=@member_id, actor=@actor, detail_json=@detail_json, prev_hash=@prev_hash, hash=@hash WHERE seq=@seq`);
    upd.run({ ...b, seq: 2 });
    upd.run({ ...a, seq: 6 });
    d.close();
    const r = await run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).firstBad).toMatchObject({ seq: 2, problem: 'prev-mismatch' });
  });

  it('checks signatures with --public-key and catches a recomputed chain, when the coordinator signed its entries', async () => {
    // Prepare: sign every entry as a coordinator with a kit does.
    const key = generateIdentityKey();
    const pub = join(dir, 'audit-signing.pub');
    writeFileSync(pub, identityPublicKeyToPem(key.publicKey));
    const d = db();
    // The store creates the column (NULL = unsigned); sign the entries after the fact.
    for (const r of d.prepare('SELECT seq, hash FROM audit_events').all() as { seq: number; hash: string }[]) d.prepare('UPDATE audit_events SET signature = ? WHERE seq = ?').run(signAuditEntry(r.hash, key.secretKey), r.seq);
    d.close();
    expect((await run(['audit', 'verify', '--data-dir', dir, '--public-key', pub])).out).toContain('8 entries verified, 8 signatures');
    // Execute: rewrite entry 4 and recompute every later hash (what an attacker with DB access but no key can do).
    const w = db();
    let prev = (w.prepare('SELECT hash FROM audit_events WHERE seq = 3').get() as { hash: string }).hash;
    for (const r of w.prepare('SELECT * FROM audit_events WHERE seq >= 4 ORDER BY seq').all() as Record<string, string & number>[]) {
      const detail = r['seq'] === 4 ? { i: 3, note: 'rewritten' } : JSON.parse(r['detail_json']);
      const hash = auditEntryHash(prev, { seq: r['seq'], at: r['at'], type: r['type'], jobId: r['job_id'] ?? undefined, memberId: r['member_id'] ?? undefined, actor: r['actor'] ?? undefined, detail });
      w.prepare('UPDATE audit_events SET detail_json = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(JSON.stringify(detail), prev, hash, r['seq']);
      prev = hash;
    }
    w.close();
    // Assert
    expect((await run(['audit', 'verify', '--data-dir', dir])).code).toBe(0);
    const r = await run(['audit', 'verify', '--data-dir', dir, '--public-key', pub, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).firstBad).toMatchObject({ seq: 4, problem: 'signature-invalid' });
  });

  it('exits 1 naming the file, when there is no coordinator database; 2 for a bad flag', async () => {
    const r = await run(['audit', 'verify', '--data-dir', join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(dir, 'nope', 'coordinator.db'));
    expect((await run(['audit', 'verify', '--data-dir', dir, '--signed-from', 'x'])).code).toBe(2);
  });

  it('verifies a bank daemon ledger with --ledger and names an edited entry, including entries written before the chain existed', async () => {
    const file = join(dir, 'bank.db');
    // An old ledger: the audit table without hash columns, two entries.
    const old = new Database(file);
    old.exec('CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, instruction_id TEXT, detail_json TEXT NOT NULL)');
    old.prepare('INSERT INTO audit (at, type, instruction_id, detail_json) VALUES (?, ?, ?, ?)').run('2026-01-01T00:00:00.000Z', 'started', null, '{"v":1}');
    old.prepare('INSERT INTO audit (at, type, instruction_id, detail_json) VALUES (?, ?, ?, ?)').run('2026-01-01T00:00:01.000Z', 'refused', 'job-1/r1/a1/fit/bank-a', '{"reason":"budget"}');
    old.close();
    const ledger = openLedger(file); // chains the old entries once
    ledger.audit('fit-done', 'job-1/r2/a1/fit/bank-a', { epsilon: 0.5 });
    ledger.audit('refused', undefined, { reason: 'task not accepted' });
    ledger.close();
    const ok = await run(['audit', 'verify', '--ledger', file]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('4 entries verified');
    const d = new Database(file);
    d.prepare("UPDATE audit SET detail_json = '{\"epsilon\":0.1}' WHERE seq = 3").run();
    d.close();
    const bad = await run(['audit', 'verify', '--ledger', file, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, firstBad: { seq: 3, problem: 'hash-mismatch' } });
    expect((await run(['audit', 'verify', '--ledger', file, '--data-dir', dir])).code).toBe(2);
  });
});
