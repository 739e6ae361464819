/** `fedfin data validate`: read a bank extract through its mapping, validate every row, print counts, ranges and the first rejects. */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ConfigError, FedfinError, FileError, UsageError, hasCode } from '../common/errors.js';
import { MappingSpecSchema, type MappingSpec } from '../schema/mapping-spec.js';
import { resolveSchema } from '../schema/registry.js';
import { DATA_FORMATS, type DataFormat } from '../schema/readers/index.js';
import { validateData, type ValidationReport } from '../schema/validate.js';
import type { FieldStats } from '../schema/validate-stats.js';
import { marketSeriesIssues, renderSeriesIssues } from './data-validate-market.js';
import { ExitSignal, EXIT, printJson, type CliIo } from './io.js';

interface ValidateFlags {
  schema: string;
  mapping?: string;
  maxReject: number;
  format?: DataFormat;
  delimiter?: string;
  json?: boolean;
}

/** Shown in the human output. */
const SHOWN_REJECTS = 10;

function nonNegativeInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${text}"`);
  return n;
}

/**
 * Reads and checks a mapping file.
 * @throws UsageError for a missing/unreadable file or invalid JSON, ConfigError (zod paths) for a bad shape.
 */
export function loadMapping(file: string): MappingSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(new FileError(file, missing ? 'no such mapping file' : `cannot read the mapping file (${(err as Error).message})`).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`mapping ${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = MappingSpecSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`mapping ${file}`, parsed.error.issues);
  return parsed.data;
}

function fmt(v: number | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
}

function observed(s: FieldStats): string {
  if (s.top) return s.top.map((t) => `${t.value} ${t.count}`).join(', ');
  if (s.min !== undefined) return `${fmt(s.min)} … ${fmt(s.max)}`;
  return '';
}

/** The human report: counts, a compact per-field table, unmapped columns, the first rejects. */
export function renderReport(r: ValidationReport, maxReject: number): string {
  const lines = [`${r.file} (${r.format}): ${r.rows} rows read, ${r.accepted} accepted, ${r.rejected} rejected (max ${maxReject})`, ''];
  const width = Math.max(5, ...r.fields.map((f) => f.field.length));
  lines.push(`${'field'.padEnd(width)}  missing  observed`);
  for (const f of r.fields) lines.push(`${f.field.padEnd(width)}  ${`${(f.missingRate * 100).toFixed(1)}%`.padStart(7)}  ${observed(f)}`);
  if (r.unmappedColumns.length > 0) lines.push('', `unmapped columns (not used, not in "ignore"): ${r.unmappedColumns.join(', ')}`);
  if (r.errors.length > 0) {
    lines.push('', `first rejects${r.errors.length > SHOWN_REJECTS ? ` (${SHOWN_REJECTS} of ${r.errors.length} shown; --json lists up to 100)` : ''}:`);
    for (const e of r.errors.slice(0, SHOWN_REJECTS)) lines.push(`  ${e.message}`);
  }
  return lines.join('\n');
}

/** Registers `data validate` on the `data` group. */
export function registerDataValidate(group: Command, io: CliIo): void {
  group
    .command('validate')
    .summary('check a data file against a schema')
    .description('check a data file against a schema (through a mapping), report rejects and per-field statistics')
    .argument('<data>', 'the data file (.csv/.tsv/.txt, .parquet, .jsonl/.ndjson)')
    .requiredOption('--schema <name|file>', 'schema id (e.g. credit.v1) or path to a custom schema .json')
    .option('--mapping <file>', 'mapping file (JSON); without it file columns must be named like schema fields')
    .option('--max-reject <n>', 'rejected rows tolerated before exiting 1', nonNegativeInt, 0)
    .addOption(new Option('--format <format>', 'file format, overriding the extension').choices(DATA_FORMATS))
    .option('--delimiter <char>', 'CSV delimiter, overriding the mapping and detection')
    .option('--json', 'print the report as JSON')
    .action(async (data: string, flags: ValidateFlags) => {
      if (flags.delimiter !== undefined && flags.delimiter.length !== 1 && flags.delimiter !== '\\t') {
        throw new UsageError(`--delimiter: expected one character, got "${flags.delimiter}"`);
      }
      const schema = resolveSchema(flags.schema);
      const mapping = flags.mapping === undefined ? undefined : loadMapping(flags.mapping);
      if (mapping && mapping.schema !== schema.id) {
        throw new UsageError(`mapping ${flags.mapping}: maps onto schema ${mapping.schema}, but --schema is ${schema.id}`);
      }
      const report = await validateData({
        file: data,
        schema,
        mapping,
        maxReject: flags.maxReject,
        format: flags.format,
        delimiter: flags.delimiter === '\\t' ? '\t' : flags.delimiter,
      }).catch((err: unknown) => {
        // compileMapping does not know the mapping's file name; the user needs it to find the entry.
        if (flags.mapping !== undefined && hasCode(err, 'mapping-invalid')) throw new FedfinError('mapping-invalid', `mapping ${flags.mapping}: ${(err as Error).message}`, { cause: err });
        throw err;
      });
      const series = report.ok ? await marketSeriesIssues(data, schema, mapping, flags.format) : undefined;
      if (flags.json) printJson(io, series === undefined ? report : { ...report, ok: series.length === 0, seriesIssues: series });
      else io.out(renderReport(report, flags.maxReject) + (series === undefined ? '' : `\n${renderSeriesIssues(series)}`));
      if (!report.ok || (series !== undefined && series.length > 0)) throw new ExitSignal(EXIT.failure);
    });
}
