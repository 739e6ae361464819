/** `fedfin data desensitize`: read a bank extract, apply a desensitisation policy with the bank's key, write the CSV and its report atomically. */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AtomicWriter, writeFileAtomic } from '../common/atomic-file.js';
import { UsageError } from '../common/errors.js';
import type { CanonicalValue, DatasetSchema } from '../schema/field.js';
import type { DesensitizedRecord } from '../schema/desensitized.js';
import { resolveSchema } from '../schema/registry.js';
import { acceptedRecords } from '../schema/validate.js';
import { desensitizeDataset, loadKeyFile, loadPolicy, type DesensitizationReport } from '../privacy/desensitize/index.js';
import { loadMapping } from './data-validate.js';
import { ExitSignal, EXIT, printJson, type CliIo } from './io.js';

interface DesensitizeFlags {
  schema: string;
  mapping?: string;
  policy: string;
  key: string;
  maxReject: number;
  json?: boolean;
}

function nonNegativeInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${text}"`);
  return n;
}

/** One CSV cell (RFC 4180 quoting); missing is the empty cell. */
export function csvCell(value: CanonicalValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Streams desensitised records as CSV (header = the desensitised schema's fields) into an atomic writer. */
async function writeCsv(writer: AtomicWriter, schema: DatasetSchema, records: readonly DesensitizedRecord[]): Promise<void> {
  const names = schema.fields.map((f) => f.name);
  await writer.write(`${names.map(csvCell).join(',')}\n`);
  const CHUNK = 2000;
  for (let i = 0; i < records.length; i += CHUNK) {
    const lines = records.slice(i, i + CHUNK).map((r) => names.map((n) => csvCell(r[n] ?? null)).join(','));
    await writer.write(`${lines.join('\n')}\n`);
  }
}

/** The human summary: k reached against the policy's k, rows suppressed, fields dropped. */
export function renderSummary(r: DesensitizationReport, out: string, reportPath: string): string {
  const k = r.kAnonymity;
  const gen = r.fields.generalized.map((g) => `${g.field} (${g.method}, level ${g.level}${g.level > g.baseLevel ? `, raised from ${g.baseLevel}` : ''})`);
  const lines = [
    `desensitised ${r.rows.in} rows → ${r.rows.out} written to ${out} (${r.rows.suppressed} suppressed)`,
    `k-anonymity: k = ${k.reached} reached, policy k = ${k.target} (${k.satisfied ? 'ok' : 'NOT met'}) over ${k.quasiIdentifiers.join(', ') || 'no quasi-identifiers'}; ${k.classes} classes`,
    ...(r.lDiversity ? [`l-diversity of ${r.lDiversity.field}: l = ${r.lDiversity.reached}${r.lDiversity.target === null ? '' : ` (policy l = ${r.lDiversity.target})`}`] : []),
    `dropped: ${r.fields.dropped.join(', ') || '(none)'}`,
    `pseudonymised: ${r.fields.pseudonymized.join(', ') || '(none)'}`,
    `generalised: ${gen.join(', ') || '(none)'}`,
    ...r.warnings.map((w) => `warning: ${w}`),
    `report: ${reportPath}`,
    'note: pseudonymised data is still personal data (GDPR Art. 4(5), Recital 26) — this is not anonymisation.',
  ];
  return lines.join('\n');
}

/** Registers `data desensitize` on the `data` group. */
export function registerDataDesensitize(group: Command, io: CliIo): void {
  group
    .command('desensitize')
    .summary('desensitise a data file to k-anonymity')
    .description('drop/pseudonymise identifiers, generalise quasi-identifiers to k-anonymity; write OUT (CSV) and OUT.report.json')
    .argument('<in>', 'the data file (.csv/.tsv/.txt, .parquet, .jsonl/.ndjson)')
    .argument('<out>', 'the desensitised CSV to write (its report goes to OUT.report.json)')
    .requiredOption('--schema <name|file>', 'schema id (e.g. credit.v1) or path to a custom schema .json')
    .option('--mapping <file>', 'mapping file (JSON); without it file columns must be named like schema fields')
    .requiredOption('--policy <file>', 'desensitisation policy (JSON, see docs/desensitization.md)')
    .requiredOption('--key <file>', 'the bank-held pseudonymisation key: ≥ 32 bytes, mode 0600, owned by you')
    .option('--max-reject <n>', 'rejected input rows tolerated (they are skipped)', nonNegativeInt, 0)
    .option('--json', 'print the report as JSON')
    .action(async (input: string, out: string, flags: DesensitizeFlags) => {
      if (resolve(input) === resolve(out)) throw new UsageError('OUT must differ from IN: desensitize never overwrites its input');
      const schema = resolveSchema(flags.schema);
      const mapping = flags.mapping === undefined ? undefined : loadMapping(flags.mapping);
      if (mapping && mapping.schema !== schema.id) throw new UsageError(`mapping ${flags.mapping}: maps onto schema ${mapping.schema}, but --schema is ${schema.id}`);
      const policy = loadPolicy(flags.policy, schema);
      // The key is checked before any data is read, so a bad key leaves nothing behind.
      const key = loadKeyFile(flags.key);
      try {
        const records = [];
        for await (const r of acceptedRecords({ file: input, schema, mapping, maxReject: flags.maxReject })) records.push(r);
        const result = desensitizeDataset(schema, policy, key, records);
        const reportPath = `${out}.report.json`;
        const writer = new AtomicWriter(out);
        try {
          await writeCsv(writer, result.schema, result.records);
          writeFileAtomic(reportPath, `${JSON.stringify(result.report, null, 2)}\n`);
          await writer.commit();
        } catch (err) {
          writer.abort();
          throw err;
        }
        if (flags.json) printJson(io, { out, reportFile: reportPath, ...result.report });
        else io.out(renderSummary(result.report, out, reportPath));
        if (result.report.rows.out === 0 && result.report.rows.in > 0) throw new ExitSignal(EXIT.failure);
      } finally {
        key.fill(0);
      }
    });
}
