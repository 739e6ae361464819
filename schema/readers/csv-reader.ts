/** Streaming CSV reader (csv-parse): header row, delimiter detection, BOM, strict UTF-8, bounded field size. */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { parse, CsvError } from 'csv-parse';
import { FedfinError } from '../../common/errors.js';
import type { Readable } from 'node:stream';
import { flatten, type DataReader, type SourceItem } from './index.js';

/** Delimiters tried by detection, in order of preference on a tie. */
export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

const SNIFF_BYTES = 65_536;

/** The first line of the file (BOM stripped), read without streaming the whole file. */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    let text = buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const nl = text.search(/\r?\n/);
    return nl === -1 ? text : text.slice(0, nl);
  } finally {
    closeSync(fd);
  }
}

/** Counts `ch` outside double quotes. */
function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) n++;
  }
  return n;
}

/** Splits one line at `ch` outside double quotes; names only (quotes stripped, trimmed). */
function splitOutsideQuotes(line: string, ch: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (i === line.length || (!quoted && c === ch)) {
      out.push(line.slice(start, i).replaceAll('"', '').trim());
      start = i + 1;
    }
  }
  return out;
}

/**
 * Picks the candidate delimiter that occurs most often (outside quotes) in the header line;
 * `,` when none occurs.
 */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    const n = countOutsideQuotes(headerLine, d);
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Length of an incomplete UTF-8 sequence at the end of `buf` (0 when it ends on a boundary). */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Passes bytes through unchanged but fails on the first invalid UTF-8 sequence, naming the line.
 * Lines are physical lines: the data row is exact unless a quoted field spans lines.
 */
class Utf8Guard extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;
  private lines = 1;
  /** The bytes of the current line that earlier chunks held, so a failure can name its column. */
  private lineHead: Buffer = Buffer.alloc(0);

  /** `columnName(i)` names the i-th column (0-based) once the header is known. */
  constructor(
    private readonly file: string,
    private readonly delimiter: string,
    private readonly columnName: (i: number) => string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    const body = tail > 0 ? buf.subarray(0, buf.length - tail) : buf;
    if (!isUtf8(body)) return done(this.failure(body));
    this.carry = tail > 0 ? Buffer.from(buf.subarray(buf.length - tail)) : Buffer.alloc(0);
    for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) this.lines++;
    const lastNl = body.lastIndexOf(10);
    // Bounded: a line longer than 64 KiB is named by row only.
    const open = lastNl === -1 ? Buffer.concat([this.lineHead, body]) : body.subarray(lastNl + 1);
    this.lineHead = open.length > 65_536 ? Buffer.alloc(0) : Buffer.from(open);
    this.offset += body.length;
    done(null, body);
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length > 0) return done(this.failure(this.carry));
    done();
  }

  private failure(body: Buffer): FedfinError {
    // Find the first bad byte by decoding growing prefixes at line boundaries, then byte by byte.
    let good = 0;
    let lines = this.lines;
    for (let nl = body.indexOf(10); nl !== -1 && isUtf8(body.subarray(0, nl + 1)); nl = body.indexOf(10, nl + 1)) {
      good = nl + 1;
      lines++;
    }
    let bad = good;
    while (bad < body.length && isUtf8(body.subarray(good, bad + 1))) bad++;
    const where = lines === 1 ? 'in the header (line 1' : `at row ${lines - 1} (line ${lines}`;
    const lineStart = good > 0 ? body.subarray(good, bad) : Buffer.concat([this.lineHead, body.subarray(0, bad)]);
    const k = countOutsideQuotes(lineStart.toString('latin1'), this.delimiter);
    const column = lineStart.length > 65_536 ? '' : `, column ${lines === 1 ? `#${k + 1}` : this.columnName(k)}`;
    return new FedfinError(
      'data-invalid',
      `${this.file}: invalid UTF-8 ${where}${column}, byte offset ${this.offset + bad}); save the file as UTF-8 (a Latin-1/Windows-1252 export converts with: iconv -f windows-1252 -t utf-8)`,
    );
  }
}

/**
 * Opens a CSV file: reads the header, detects the delimiter unless given.
 * Rows with the wrong number of columns are rejects; invalid UTF-8, a field over `maxFieldBytes`
 * and a CSV syntax error (unclosed quote …) end the read with FedfinError('data-invalid').
 */
export async function openCsv(file: string, delimiter: string | undefined, maxFieldBytes: number): Promise<DataReader> {
  const headerLine = firstLine(file);
  const delim = delimiter ?? (file.toLowerCase().endsWith('.tsv') ? '\t' : detectDelimiter(headerLine));
  const approxColumns = countOutsideQuotes(headerLine, delim) + 1;
  const parser = parse({
    delimiter: delim,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // A record bound keeps memory finite (an unclosed quote would otherwise swallow the file).
    max_record_size: maxFieldBytes * Math.max(approxColumns, 1) + approxColumns,
  });
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  let header: string[] = [];
  // The guard may fail before the parser yields the header, so it names columns from the sniffed line.
  const sniffed = splitOutsideQuotes(headerLine, delim);
  const guard = new Utf8Guard(file, delim, (i) => header[i] ?? sniffed[i] ?? `#${i + 1}`);
  source.on('error', (err) => guard.destroy(err));
  guard.on('error', (err) => parser.destroy(err));
  source.pipe(guard).pipe(parser);
  const batches = recordBatches(parser);

  const translate = (err: unknown): unknown => {
    if (!(err instanceof CsvError)) return err;
    const info = err as unknown as { records?: number; column?: number | string };
    const row = info.records ?? 0;
    const col = typeof info.column === 'number' ? (header[info.column] ?? `#${info.column + 1}`) : String(info.column ?? '?');
    const where = row === 0 ? 'header' : `row ${row}`;
    if (err.code === 'CSV_MAX_RECORD_SIZE') return new FedfinError('data-invalid', `${file}: ${where}, column ${col}: field exceeds the maximum size of ${maxFieldBytes} bytes (or a quote is not closed)`, { cause: err });
    return new FedfinError('data-invalid', `${file}: ${where}: CSV syntax error (${err.message})`, { cause: err });
  };

  let pending: string[][];
  try {
    const first = await batches.next();
    if (first.done || first.value.length === 0) throw new FedfinError('data-invalid', `${file}: empty file, expected a header row`);
    header = first.value[0]!.map((h) => h.trim());
    pending = first.value.slice(1);
  } catch (err) {
    parser.destroy();
    source.destroy();
    throw translate(err);
  }
  if (header.length === 0 || (header.length === 1 && header[0] === '')) {
    throw new FedfinError('data-invalid', `${file}: empty header row`);
  }
  checkFieldSizes(file, 0, header, header, maxFieldBytes);

  async function* batchItems(): AsyncGenerator<SourceItem[]> {
    const width = header.length;
    let row = 0;
    const convert = (records: string[][]): SourceItem[] => {
      const items: SourceItem[] = new Array<SourceItem>(records.length);
      for (let k = 0; k < records.length; k++) {
        const values = records[k]!;
        row++;
        checkFieldSizes(file, row, values, header, maxFieldBytes);
        items[k] = values.length !== width ? { row, reject: `row ${row}: expected ${width} columns, got ${values.length}` } : { row, values };
      }
      return items;
    };
    try {
      if (pending.length > 0) yield convert(pending);
      for (let r = await batches.next(); !r.done; r = await batches.next()) yield convert(r.value);
    } catch (err) {
      throw translate(err);
    } finally {
      parser.destroy();
      source.destroy();
    }
  }
  return { file, format: 'csv', header, delimiter: delim, batches: batchItems, rows: () => flatten(batchItems()) };
}

const BATCH = 1024;

/** Drains an object stream synchronously between 'readable' events: one await per batch, not per record. */
async function* recordBatches(stream: Readable): AsyncGenerator<string[][]> {
  for (;;) {
    let batch: string[][] = [];
    for (let rec = stream.read() as string[] | null; rec !== null; rec = stream.read() as string[] | null) {
      batch.push(rec);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    if (stream.errored) throw stream.errored;
    if (stream.readableEnded) return;
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        stream.off('readable', done).off('end', done).off('error', fail);
        resolve();
      };
      const fail = (err: Error): void => {
        stream.off('readable', done).off('end', done).off('error', fail);
        reject(err);
      };
      stream.once('readable', done).once('end', done).once('error', fail);
    });
  }
}

function checkFieldSizes(file: string, row: number, values: readonly string[], header: readonly string[], max: number): void {
  for (let i = 0; i < values.length; i++) {
    // String length is ≤ byte length, so only long strings need the exact byte count.
    const v = values[i]!;
    if (v.length > max / 4 && Buffer.byteLength(v, 'utf8') > max) {
      const where = row === 0 ? 'header' : `row ${row}`;
      throw new FedfinError('data-invalid', `${file}: ${where}, column ${header[i] ?? `#${i + 1}`}: field exceeds the maximum size of ${max} bytes`);
    }
  }
}
