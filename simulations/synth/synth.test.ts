/** End-to-end tests of `synthesize`: reproducibility, mapping files against their CSVs, validation through schema/validate, all-or-nothing output. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { MappingSpecSchema } from '../../schema/mapping-spec.js';
import { resolveSchema } from '../../schema/registry.js';
import { acceptedRecords, validateData } from '../../schema/validate.js';
import { SYNTH_SCHEMAS, synthesize, type SynthSchema } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'fedfin-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `run-${n++}`);

async function run(schema: SynthSchema, rows = 600, seed: number | string = 7, skew = 0.6, banks = 5): Promise<string> {
  const dir = freshDir();
  await synthesize({ schema, banks, rows, seed, skew, outDir: dir });
  return dir;
}

function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

function readCsv(file: string, delimiter: string): string[][] {
  return parse(readFileSync(file, 'utf8'), { delimiter, relax_column_count: false }) as string[][];
}

describe('synthesize', () => {
  it.each(SYNTH_SCHEMAS)('writes byte-identical files, when run twice with the same seed (%s)', async (schema) => {
    const a = hashes(await run(schema, 400, 11));
    const b = hashes(await run(schema, 400, 11));
    expect(Object.keys(a)).toEqual([...Array.from({ length: 5 }, (_, i) => [`bank-${i + 1}.csv`, `bank-${i + 1}.mapping.json`]).flat(), 'truth.json'].sort());
    expect(b).toEqual(a);
  });

  it('writes different data, when the seed differs', async () => {
    const a = hashes(await run('credit.v1', 200, 1));
    const b = hashes(await run('credit.v1', 200, 2));
    expect(b['bank-1.csv']).not.toBe(a['bank-1.csv']);
  });

  it.each(SYNTH_SCHEMAS)('writes mapping files that parse, name real columns and fields, and cover every code used (%s)', async (schema) => {
    const dir = await run(schema);
    const ds = resolveSchema(schema);
    const fieldNames = new Set(ds.fields.map((f) => f.name));
    for (let i = 1; i <= 5; i++) {
      const spec = MappingSpecSchema.parse(JSON.parse(readFileSync(join(dir, `bank-${i}.mapping.json`), 'utf8')));
      expect(spec.schema).toBe(schema);
      const [header, ...body] = readCsv(join(dir, `bank-${i}.csv`), spec.delimiter ?? ',');
      expect(body).toHaveLength(600);
      const cols = new Set(header);
      const used = new Set<string>(spec.ignore ?? []);
      for (const [field, m] of Object.entries(spec.fields)) {
        expect(fieldNames.has(field), `${field} is a ${schema} field`).toBe(true);
        if ('column' in m) {
          expect(cols.has(m.column), `bank-${i}: column ${m.column}`).toBe(true);
          used.add(m.column);
          if (m.codes) {
            const idx = header!.indexOf(m.column);
            for (const row of body) expect(Object.hasOwn(m.codes, row[idx]!), `bank-${i}: code "${row[idx]}" of ${m.column}`).toBe(true);
          }
        } else if ('derive' in m) {
          const idents = m.derive.match(/[A-Za-z_][A-Za-z0-9_]*/g)!.filter((t) => !['floor', 'years_between', 'min', 'max', 'abs', 'round'].includes(t));
          for (const id of idents) {
            expect(cols.has(id), `bank-${i}: derive references ${id}`).toBe(true);
            used.add(id);
          }
        }
      }
      for (const f of ds.fields.filter((x) => x.required)) expect(spec.fields[f.name], `bank-${i} maps required ${f.name}`).toBeDefined();
      expect([...cols].filter((c) => !used.has(c)), `bank-${i}: columns neither mapped nor ignored`).toEqual([]);
    }
  });

  it.each(SYNTH_SCHEMAS)('produces banks that validate with 0 rejects and the label rate of truth.json, when mapped (%s)', async (schema) => {
    const dir = await run(schema, 800);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    const ds = resolveSchema(schema);
    for (let i = 1; i <= 5; i++) {
      const mapping = MappingSpecSchema.parse(JSON.parse(readFileSync(join(dir, `bank-${i}.mapping.json`), 'utf8')));
      const report = await validateData({ file: join(dir, `bank-${i}.csv`), schema: ds, mapping });
      expect(report.errors.slice(0, 3)).toEqual([]);
      expect(report).toMatchObject({ rows: 800, accepted: 800, rejected: 0, unmappedColumns: [] });
      if (ds.label) {
        let positives = 0;
        for await (const r of acceptedRecords({ file: join(dir, `bank-${i}.csv`), schema: ds, mapping })) positives += r[ds.label] === 1 ? 1 : 0;
        expect(positives / 800).toBeCloseTo(truth.perBank[i - 1].labelRate, 6);
      }
    }
  });

  it('keeps bank 1 identical, when only the number of banks changes', async () => {
    const a = hashes(await run('transaction.v1', 300, 5, 0.5, 1));
    const b = hashes(await run('transaction.v1', 300, 5, 0.5, 3));
    expect(b['bank-1.csv']).toBe(a['bank-1.csv']);
  });

  it('leaves nothing of the run in the directory, when a file cannot be written', async () => {
    // Prepare: a directory squatting on bank-3.csv makes the final rename fail after others were renamed.
    const dir = freshDir();
    mkdirSync(join(dir, 'bank-3.csv'), { recursive: true });
    // Execute
    await expect(synthesize({ schema: 'credit.v1', banks: 4, rows: 50, seed: 1, skew: 0, outDir: dir })).rejects.toThrow();
    // Assert
    expect(readdirSync(dir)).toEqual(['bank-3.csv']);
  });

  it('rejects out-of-range options, when called directly', async () => {
    const outDir = freshDir();
    await expect(synthesize({ schema: 'credit.v1', banks: 0, rows: 1, seed: 1, skew: 0, outDir })).rejects.toThrow(RangeError);
    await expect(synthesize({ schema: 'credit.v1', banks: 1, rows: 1, seed: 1, skew: 1.5, outDir })).rejects.toThrow(/"skew" expected number in \[0, 1\]/);
  });
});
