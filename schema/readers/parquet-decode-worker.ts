/** The Parquet decoding thread: decodes one row group with hyparquet and returns each row's cells as text. */
import { parentPort } from 'node:worker_threads';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { parquetValueText } from './parquet-reader.js';

/** A request: decode rows [rowStart, rowEnd) of `file`, cells in `header` order. */
export interface DecodeRequest {
  readonly id: number;
  readonly file: string;
  /** Names one opening of the file: the thread keeps its footer until another opening is asked for. */
  readonly openingId: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly header: readonly string[];
}
/** Cells as text (null: missing; undefined: a nested value the row is rejected for), or the decoder's message. */
export type DecodeResponse = { readonly id: number; readonly ok: true; readonly rows: (string | null | undefined)[][] } | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (!port) throw new Error('parquet-decode-worker.ts runs as a worker thread only');
// hyparquet decodes a group's columns concurrently; when one fails the others' rejections go unobserved.
// They belong to a request already answered with the first error: not this thread's end.
process.on('unhandledRejection', () => {});

let open: { openingId: number; buffer: AsyncBuffer; metadata: FileMetaData } | undefined;

port.on('message', (req: DecodeRequest) => {
  void (async (): Promise<DecodeResponse> => {
    try {
      if (open?.openingId !== req.openingId) {
        const buffer = await asyncBufferFromFile(req.file);
        open = { openingId: req.openingId, buffer, metadata: await parquetMetadataAsync(buffer) };
      }
      const objects = await parquetReadObjects({ file: open.buffer, metadata: open.metadata, rowStart: req.rowStart, rowEnd: req.rowEnd });
      return { id: req.id, ok: true, rows: objects.map((o) => req.header.map((h) => parquetValueText(o[h]))) };
    } catch (err) {
      return { id: req.id, ok: false, message: (err as Error).message };
    }
  })().then((res) => port.postMessage(res));
});
