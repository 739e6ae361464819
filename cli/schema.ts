/** `fedfin schema …` subcommands: list the built-ins, show one schema (table, JSON or JSON Schema), infer a draft from a CSV. */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../common/errors.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import type { DatasetSchema, FieldSpec } from '../schema/field.js';
import { listBuiltinSchemas, resolveSchema, schemaToJson } from '../schema/registry.js';
import { toJsonSchema } from '../schema/json-schema.js';
import { inferSchema, type InferredSchema } from '../schema/infer.js';
import { printJson, type CliIo } from './io.js';

/** Renders rows as left-aligned, space-padded columns under a header line. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const MAX_CATEGORY_TEXT = 48;

/** The range column of `schema show`: bounds, vocabulary or length limit. */
export function rangeText(f: FieldSpec): string {
  if (f.categories) {
    const all = f.categories.join(' | ');
    return all.length <= MAX_CATEGORY_TEXT ? all : `${all.slice(0, MAX_CATEGORY_TEXT).replace(/ \|? ?[^|]*$/, '')} | … (${f.categories.length} values)`;
  }
  if (f.min !== undefined && f.max !== undefined) return `${f.min} .. ${f.max}`;
  if (f.min !== undefined) return `≥ ${f.min}`;
  if (f.max !== undefined) return `≤ ${f.max}`;
  if (f.maxLength !== undefined) return `≤ ${f.maxLength} chars`;
  if (f.type === 'date') return 'YYYY-MM-DD';
  if (f.type === 'timestamp') return 'ISO-8601';
  return '';
}

/** The human-readable `schema show` output. */
export function renderSchema(s: DatasetSchema): string {
  const roles = Object.entries(s.roles ?? {}).map(([r, f]) => `${r}=${f}`);
  const head = [`${s.id} (${s.kind}) — ${s.description}`, `label: ${s.label ?? '(none)'}; ${s.fields.length} fields`, ...(roles.length > 0 ? [`roles: ${roles.join(', ')}`] : []), ''];
  const rows = s.fields.map((f) => [f.name, f.type, f.unit ?? '', rangeText(f), f.required ? 'yes' : 'no', f.privacy]);
  return [...head, renderTable(['field', 'type', 'unit', 'range / categories', 'required', 'privacy'], rows)].join('\n');
}

/**
 * The schema as a Markdown table (every category listed), as docs/schema.md carries it.
 * A test checks that the doc holds this exact table for each built-in.
 */
export function renderSchemaMarkdown(s: DatasetSchema): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|');
  const range = (f: FieldSpec) => (f.categories ? f.categories.map((c) => `\`${c}\``).join(', ') : rangeText(f));
  const rows = s.fields.map((f) => `| \`${f.name}\` | ${f.type} | ${f.unit ?? ''} | ${esc(range(f))} | ${f.required ? 'yes' : 'no'} | ${f.privacy} | ${esc(f.description)} |`);
  return ['| field | type | unit | range / categories | required | privacy | description |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

const delimiterName = (d: string | undefined) => (d === '\t' ? 'tab' : JSON.stringify(d ?? ','));

/** The human-readable `schema infer` summary: one row per column, then everything flagged and why. */
export function renderInferSummary(r: InferredSchema, data: string, out: string): string {
  const s = r.schema;
  const lines = [
    `Drafted ${s.id} from ${data}: ${r.rows} rows, ${r.columns.length} columns, delimiter ${delimiterName(r.delimiter)}.`,
    `Wrote ${out}. Review it before use: ranges and categories are observed values, units are not inferred.`,
    '',
    renderTable(
      ['column', 'field', 'type', 'required', 'privacy'],
      r.columns.map((c) => [c.column, c.field.name, c.field.type, c.field.required ? 'yes' : 'no', c.field.privacy]),
    ),
  ];
  const flagged = r.columns.filter((c) => c.field.privacy !== 'feature' || c.notes.length > 0);
  if (flagged.length > 0) {
    lines.push('', 'Flagged for review:');
    for (const c of flagged) {
      const why = [...c.reasons, ...c.notes.map((n) => `note: ${n}`)].join('; ');
      const name = c.column === c.field.name ? c.column : `${c.column} → ${c.field.name}`;
      lines.push(`  - ${name}: ${c.field.privacy}${why ? ` (${why})` : ''}`);
    }
  }
  const ids = r.columns.filter((c) => c.field.privacy === 'direct-identifier').length;
  lines.push('', `${ids} direct identifier(s) flagged; they are dropped or pseudonymised by desensitisation and never reach a model.`);
  return lines.join('\n');
}

/** Registers the `schema` group and its subcommands. */
export function registerSchemaCommands(program: Command, io: CliIo): void {
  const group = program.command('schema').description('show, export or infer unified finance schemas');

  group
    .command('list')
    .description('list the built-in schemas')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const all = listBuiltinSchemas();
      if (opts.json) {
        printJson(io, all.map((s) => ({ id: s.id, kind: s.kind, version: s.version, fields: s.fields.length, label: s.label ?? null, description: s.description })));
        return;
      }
      io.out(renderTable(['id', 'kind', 'fields', 'label', 'description'], all.map((s) => [s.id, s.kind, String(s.fields.length), s.label ?? '-', s.description])));
    });

  group
    .command('show')
    .summary('show a schema (table, JSON or JSON Schema)')
    .description('show a schema: a built-in id (credit.v1) or a custom schema .json file')
    .argument('<schema>', 'built-in id or path to a custom schema .json file')
    .option('--json', 'print the schema as a custom-schema JSON file')
    .option('--json-schema', 'print a JSON Schema (draft 2020-12) describing one canonical record')
    .option('--markdown', 'print the field table as Markdown (as in docs/schema.md)')
    .action((ref: string, opts: { json?: boolean; jsonSchema?: boolean; markdown?: boolean }) => {
      if ([opts.json, opts.jsonSchema, opts.markdown].filter(Boolean).length > 1) throw new UsageError('choose one of --json, --json-schema and --markdown');
      const s = resolveSchema(ref);
      if (opts.jsonSchema) printJson(io, toJsonSchema(s));
      else if (opts.markdown) io.out(renderSchemaMarkdown(s));
      else if (opts.json) printJson(io, schemaToJson(s));
      else io.out(renderSchema(s));
    });

  group
    .command('infer')
    .summary('draft a custom schema from a CSV file')
    .description('draft a custom schema from a CSV file, for a human to review')
    .requiredOption('--data <file>', 'CSV file with a header line (delimiter , ; tab or | detected)')
    .requiredOption('--out <file>', 'where to write the drafted schema JSON (written atomically)')
    .option('--label <column>', 'source column holding the training target')
    .option('--name <name>', 'schema name in snake_case (default: the file name)')
    .option('--category-cap <n>', 'text columns with at most n distinct values become categories', positiveInt, 20)
    .option('--sample-rows <n>', 'profile only the first n rows (default: all)', positiveInt)
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { data: string; out: string; label?: string; name?: string; categoryCap: number; sampleRows?: number; json?: boolean }) => {
      if (resolve(opts.out) === resolve(opts.data)) throw new UsageError('--out must not be the --data file');
      const r = await inferSchema(opts.data, {
        categoryCap: opts.categoryCap,
        ...(opts.label !== undefined ? { label: opts.label } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.sampleRows !== undefined ? { sampleRows: opts.sampleRows } : {}),
      });
      writeFileAtomic(opts.out, `${JSON.stringify(schemaToJson(r.schema), null, 2)}\n`);
      if (!opts.json) {
        io.out(renderInferSummary(r, opts.data, opts.out));
        return;
      }
      printJson(io, {
        out: opts.out,
        schema: r.schema.id,
        rows: r.rows,
        delimiter: r.delimiter ?? null,
        columns: r.columns.map((c) => ({ column: c.column, field: c.field.name, type: c.field.type, required: c.field.required, privacy: c.field.privacy, reasons: c.reasons, notes: c.notes })),
      });
    });
}
