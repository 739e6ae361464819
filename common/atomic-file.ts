/** Crash-safe file output: write to a temp file beside the target, fsync, then rename over it. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync, mkdirSync, createWriteStream, type WriteStream } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `path` atomically: readers see either the old file or the complete new one,
 * never a partial write. The temp file is removed if anything fails.
 * @param mode file mode, e.g. 0o600 for key material.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * A streaming atomic writer for large outputs (CSV files of millions of rows).
 * Call `commit()` to fsync and rename into place, or `abort()` to delete the temp file.
 */
export class AtomicWriter {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private done = false;

  constructor(
    readonly path: string,
    mode = 0o644,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempPathFor(path);
    this.stream = createWriteStream(this.tmp, { flags: 'wx', mode });
    // Errors surface through write()/commit(); this listener only keeps a late open error of an
    // aborted stream from becoming an unhandled 'error' event.
    this.stream.on('error', () => {});
  }

  /** Writes a chunk, waiting for drain when the stream's buffer is full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Flushes, fsyncs and renames into place. */
  async commit(): Promise<void> {
    if (this.done) return;
    try {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('error', reject);
        this.stream.end(resolve);
      });
      const fd = openSync(this.tmp, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(this.tmp, this.path);
      this.done = true;
    } catch (err) {
      // A failed commit must not leave the temp file behind.
      this.abort();
      throw err;
    }
  }

  /** Discards everything written. Safe to call after a failure or twice. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    rmSync(this.tmp, { force: true });
    // The stream may still open its file after destroy(); remove it again once it has closed.
    this.stream.once('close', () => rmSync(this.tmp, { force: true }));
  }
}
