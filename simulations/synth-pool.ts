/**
 * Synthetic data for a simulation from several generated banks at once: each bank's CSV (its own layout and
 * mapping) read through its mapping and written back as ONE CSV in the schema's field names, for simulate to
 * split again. Market data needs it: a generated bank holds 5–10 symbols, an institution-level split many more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { readAcceptedRecords, readMappingFile } from '../client/data/read-records.js';
import { resolveSchema } from '../schema/registry.js';
import { csvCell } from './synth/csv-writer.js';
import { synthesize, type SynthOptions } from './synth/index.js';

/** What `synthesizePooled` wrote: one CSV whose header is the schema's field names (no mapping needed). */
export interface PooledSynth {
  readonly file: string;
  readonly rows: number;
}

/**
 * Generates `banks` synthetic banks of `rows` rows each (as `data synth` does, same seed → same bytes) and
 * pools them into `file`, bank after bank, in canonical values (dates `YYYY-MM-DD`, timestamps ISO-8601,
 * booleans `true`/`false`, empty for missing).
 * @throws FedfinError/RangeError as `synthesize` and the mapping readers do.
 */
export async function synthesizePooled(o: Omit<SynthOptions, 'outDir'>, file: string): Promise<PooledSynth> {
  const schema = resolveSchema(o.schema);
  const staging = mkdtempSync(`${file}.parts-`);
  try {
    const summary = await synthesize({ ...o, outDir: staging });
    const at = (p: string): string => (isAbsolute(p) ? p : join(staging, p));
    const names = schema.fields.map((f) => f.name);
    const lines = [names.join(',')];
    for (const b of summary.banks) {
      const read = await readAcceptedRecords(at(b.file), schema, readMappingFile(at(b.mapping)), 'csv');
      for (const r of read.records) lines.push(names.map((n) => (r[n] === null || r[n] === undefined ? '' : csvCell(String(r[n] as string | number | boolean), ','))).join(','));
    }
    writeFileAtomic(file, `${lines.join('\n')}\n`);
    return { file, rows: lines.length - 1 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
