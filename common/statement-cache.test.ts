import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { statementCache } from './statement-cache.js';

describe('statementCache', () => {
  it('prepares each SQL text once and the cached statement re-binds its parameters per run', () => {
    const db = new Database(':memory:');
    const prepare = statementCache(db);
    prepare('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)').run();
    const insert = prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    expect(prepare('INSERT INTO t (k, v) VALUES (?, ?)')).toBe(insert);
    for (let i = 0; i < 5; i++) prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(`k${i}`, i);
    expect(prepare('SELECT v FROM t WHERE k = ?').get('k3')).toEqual({ v: 3 });
    expect(prepare('SELECT v FROM t WHERE k = ?').get('k4')).toEqual({ v: 4 });
    expect(prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 5 });
    db.close();
  });

  it('keeps one cache per database', () => {
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    expect(statementCache(a)('SELECT 1 AS one')).not.toBe(statementCache(b)('SELECT 1 AS one'));
    a.close();
    b.close();
  });
});
