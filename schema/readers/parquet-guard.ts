/** A structural check of a Parquet row group's page headers before hyparquet decodes it (corrupt files must fail, not hang). */
import type { AsyncBuffer, FileMetaData, PageHeader } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { FedfinError } from '../../common/errors.js';

/**
 * Walks every column chunk of row group `groupIndex` page header by page header, and checks what
 * hyparquet 1.33 trusts: the chunk's byte range lies inside the file, every page's sizes and value
 * count are non-negative, each page ends after its header and inside the chunk, and the pages' value
 * counts stay within the chunk's. A negative `compressed_page_size` moves hyparquet's read offset
 * backwards and its page loop never ends (a synchronous spin: no timeout can stop it), which is why
 * this runs first. Costs one header parse per page, no decompression.
 *
 * @param file the path, for messages.
 * @throws FedfinError('data-invalid') naming the file, the rows of the group, the column and what was expected.
 */
export async function checkRowGroupPages(file: string, buffer: AsyncBuffer, metadata: FileMetaData, groupIndex: number, rowStart: number): Promise<void> {
  const group = metadata.row_groups[groupIndex]!;
  const rows = Number(group.num_rows);
  const where = `${file}: rows ${rowStart + 1}–${rowStart + Math.max(rows, 0)}`;
  const fail = (column: string, what: string): never => {
    throw new FedfinError('data-invalid', `${where}: column ${column}: ${what} (the file is corrupt or truncated)`);
  };
  if (!Number.isSafeInteger(rows) || rows < 0) fail('(row group)', `num_rows is ${rows}, expected a count ≥ 0`);
  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    if (!meta) continue; // hyparquet reports missing column metadata itself
    const column = meta.path_in_schema.join('.');
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const end = start + Number(meta.total_compressed_size);
    const numValues = Number(meta.num_values);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start || end > buffer.byteLength) {
      fail(column, `its bytes ${start}–${end} are not inside the file's ${buffer.byteLength} bytes`);
    }
    if (!Number.isSafeInteger(numValues) || numValues < 0) fail(column, `num_values is ${numValues}, expected a count ≥ 0`);
    const view = new DataView(await buffer.slice(start, end));
    const reader = { view, offset: 0 };
    let values = 0;
    while (reader.offset < view.byteLength - 1) {
      const at = reader.offset;
      let header: PageHeader;
      try {
        header = parquetHeader(reader);
      } catch (err) {
        return fail(column, `unreadable page header at byte ${start + at} (${(err as Error).message})`);
      }
      const size = header.compressed_page_size;
      const pageValues = header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? header.dictionary_page_header?.num_values ?? 0;
      if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(header.uncompressed_page_size) || header.uncompressed_page_size < 0) {
        fail(column, `page at byte ${start + at} has sizes ${size} / ${header.uncompressed_page_size}, expected ≥ 0`);
      }
      if (!Number.isSafeInteger(pageValues) || pageValues < 0) fail(column, `page at byte ${start + at} holds ${pageValues} values, expected a count ≥ 0`);
      const missing = missingField(header);
      if (missing) fail(column, `page at byte ${start + at} lacks its required ${missing}`);
      if (reader.offset + size > view.byteLength) fail(column, `page at byte ${start + at} runs ${reader.offset + size - view.byteLength} bytes past the column chunk`);
      if (header.type !== 'DICTIONARY_PAGE') values += pageValues;
      if (values > numValues) fail(column, `its pages hold more values than the ${numValues} its metadata declares`);
      reader.offset += size;
    }
  }
}

/** The first required Thrift field (parquet.thrift) a page header lacks; hyparquet reads an absent one as undefined and may loop. */
function missingField(h: PageHeader): string | undefined {
  if (h.type === undefined) return 'type';
  const v1 = h.data_page_header;
  const v2 = h.data_page_header_v2;
  const dict = h.dictionary_page_header;
  if (h.type === 'DATA_PAGE' && (!v1 || v1.encoding === undefined || v1.definition_level_encoding === undefined || v1.repetition_level_encoding === undefined)) return 'data page header field';
  if (h.type === 'DICTIONARY_PAGE' && (!dict || dict.encoding === undefined)) return 'dictionary page header field';
  if (h.type === 'DATA_PAGE_V2') {
    if (!v2 || v2.encoding === undefined || !Number.isSafeInteger(v2.num_rows) || !Number.isSafeInteger(v2.num_nulls)) return 'data page v2 header field';
    const levels = v2.definition_levels_byte_length + v2.repetition_levels_byte_length;
    if (!(v2.definition_levels_byte_length >= 0 && v2.repetition_levels_byte_length >= 0 && levels <= h.compressed_page_size)) return 'level lengths within the page';
  }
  return undefined;
}
