/** Prepared SQLite statements kept per database: hot paths prepare each SQL text once, not once per call. */
import type Database from 'better-sqlite3';

/**
 * `prepare(sql)` for `db`, returning the same prepared statement for the same SQL text. better-sqlite3
 * statements are reusable and re-bind their parameters on every run; preparing one costs a parse of the
 * SQL, which used to happen per result and per audit entry. Statement modes (`pluck()`, `raw()`) stick to
 * the cached statement, so give a plucking call site SQL of its own. The cache is unbounded: pass only
 * SQL texts fixed in the source, never text built from data.
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
}
