/** CSV output for synthetic extracts: RFC 4180 quoting, bank delimiters, and all-or-nothing staging of every file of a run. */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AtomicWriter } from '../../common/atomic-file.js';
import type { ColumnSpec } from './bank-shapes.js';

const NEEDS_QUOTES = [/[",\r\n]/, /[";\r\n]/];

/** Quotes a cell when it holds the delimiter, a quote or a line break (RFC 4180). */
export function csvCell(text: string, delimiter: string): string {
  if (NEEDS_QUOTES[delimiter === ';' ? 1 : 0]!.test(text) || (delimiter !== ',' && delimiter !== ';' && text.includes(delimiter))) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

/**
 * The text of a CSV file: header line, then one line per record, `\n` line ends.
 * Built in memory because synthetic banks are at most a few hundred MB; files are written with AtomicWriter.
 */
export function* csvChunks<R>(columns: readonly ColumnSpec<R>[], records: readonly R[], delimiter: string, chunkRows = 2000): Generator<string> {
  yield `${columns.map((c) => csvCell(c.header, delimiter)).join(delimiter)}\n`;
  let chunk: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    chunk.push(columns.map((c) => csvCell(c.format(r, i), delimiter)).join(delimiter));
    if (chunk.length >= chunkRows) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
}

/**
 * Stages files as AtomicWriter temp files and renames them all only at the end, so a failed run
 * leaves none of its files behind (files committed before a failure during commit are removed too).
 */
export class StagedFiles {
  private readonly writers: AtomicWriter[] = [];
  private committed = false;

  /** Writes `chunks` to a staged file at `path`. */
  async stage(path: string, chunks: Iterable<string>): Promise<void> {
    const w = new AtomicWriter(path);
    this.writers.push(w);
    for (const c of chunks) await w.write(c);
  }

  /** Renames every staged file into place; on a failure removes what it already renamed. */
  async commitAll(): Promise<void> {
    if (this.committed) return;
    const done: string[] = [];
    try {
      for (const w of this.writers) {
        await w.commit();
        done.push(w.path);
      }
      this.committed = true;
    } catch (err) {
      for (const path of done) rmSync(path, { force: true });
      this.abortAll();
      for (const w of this.writers) if (!done.includes(w.path)) removeOrphanTemp(w.path);
      throw err;
    }
  }

  /** Discards every staged file that was not committed. */
  abortAll(): void {
    for (const w of this.writers) w.abort();
  }
}

/**
 * AtomicWriter.commit marks itself done before its rename, so a failed rename leaves its temp file and
 * abort() no longer removes it. Until common/atomic-file.ts cleans up itself, remove the temp file here
 * (its name pattern is `.<name>.<12 hex>.tmp` beside the target).
 */
function removeOrphanTemp(target: string): void {
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) rmSync(join(dirname(target), name), { force: true });
}
