/** Streaming JSON Lines reader: one JSON object per line; the first object's keys are the header. */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { FedfinError } from '../../common/errors.js';
import { batched, type DataReader, type SourceItem } from './index.js';

/** Yields each non-empty line as a Buffer with its 1-based line number; bounds the line length. */
async function* lines(file: string, maxLineBytes: number): AsyncGenerator<{ line: number; bytes: Buffer }> {
  let carry: Buffer[] = [];
  let carryLen = 0;
  let line = 0;
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        line++;
        const piece = chunk.subarray(start, nl);
        const bytes = carryLen > 0 ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        carryLen = 0;
        start = nl + 1;
        if (bytes.length > maxLineBytes) throw tooLong(file, line, maxLineBytes);
        if (bytes.length > 0 && !(bytes.length === 1 && bytes[0] === 13)) yield { line, bytes };
      }
      if (start < chunk.length) {
        carry.push(chunk.subarray(start));
        carryLen += chunk.length - start;
        if (carryLen > maxLineBytes) throw tooLong(file, line + 1, maxLineBytes);
      }
    }
    if (carryLen > 0) yield { line: line + 1, bytes: Buffer.concat(carry) };
  } finally {
    stream.destroy();
  }
}

function tooLong(file: string, line: number, max: number): FedfinError {
  return new FedfinError('data-invalid', `${file}: row ${line}: line exceeds the maximum size of ${max} bytes`);
}

/** JSON scalars become text the mapping parses like CSV text; nested values are rejected. */
function toText(v: unknown): string | null | undefined {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Where JSON.parse failed, without its message: V8 quotes the whole line there (`"…" is not valid
 * JSON`), and the line may hold identifiers.
 */
function jsonErrorPlace(message: string): string {
  const at = /at position (\d+)/.exec(message);
  return at ? ` at character ${Number(at[1]) + 1}` : '';
}

type ParsedLine = { ok: true; obj: Record<string, unknown> } | { ok: false; why: string };

function parseLine(file: string, line: number, bytes: Buffer): ParsedLine {
  if (!isUtf8(bytes)) throw new FedfinError('data-invalid', `${file}: invalid UTF-8 at row ${line}; save the file as UTF-8`);
  let text = bytes.toString('utf8');
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    return { ok: false, why: `malformed JSON${jsonErrorPlace((err as Error).message)}` };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, why: 'expected a JSON object' };
  return { ok: true, obj: obj as Record<string, unknown> };
}

/**
 * Opens a JSON Lines file. Rows are numbered by line. The header is the key list of the first
 * object; a later object may omit keys (→ null) but a key outside the header, a nested value or a
 * malformed line is a reject naming the row.
 * @throws FedfinError('data-invalid') when the first line is not a JSON object, for invalid UTF-8,
 *   or for a line over `maxLineBytes`.
 */
export async function openJsonl(file: string, maxLineBytes: number): Promise<DataReader> {
  const it = lines(file, maxLineBytes);
  const first = await it.next();
  if (first.done) throw new FedfinError('data-invalid', `${file}: empty file, expected a JSON object per line`);
  const firstRow = first.value.line;
  const parsed = parseLine(file, firstRow, first.value.bytes);
  if (!parsed.ok) {
    await it.return(undefined);
    throw new FedfinError('data-invalid', `${file}: row ${first.value.line}: ${parsed.why}; the first line names the columns`);
  }
  const header = Object.keys(parsed.obj);
  const index = new Map(header.map((h, i) => [h, i]));

  const convert = (line: number, obj: Record<string, unknown>): SourceItem => {
    const values: (string | null)[] = new Array<string | null>(header.length).fill(null);
    for (const key in obj) {
      const i = index.get(key);
      if (i === undefined) return { row: line, reject: `row ${line}: key "${key}" is not in the header (the first line's keys)` };
      const t = toText(obj[key]);
      if (t === undefined) return { row: line, reject: `row ${line}: key "${key}" holds a nested value, expected a string, number, boolean or null` };
      values[i] = t;
    }
    return { row: line, values };
  };

  async function* rows(): AsyncGenerator<SourceItem> {
    try {
      yield convert(firstRow, parsed.ok ? parsed.obj : {});
      for (let r = await it.next(); !r.done; r = await it.next()) {
        const p = parseLine(file, r.value.line, r.value.bytes);
        yield p.ok ? convert(r.value.line, p.obj) : { row: r.value.line, reject: `row ${r.value.line}: ${p.why}` };
      }
    } finally {
      await it.return(undefined);
    }
  }
  return { file, format: 'jsonl', header, rows, batches: () => batched(rows()) };
}
