/** `fedfin data synth`: synthetic banks (CSV + mapping file per bank + truth.json) for credit.v1, transaction.v1 and market.v1. */
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../common/errors.js';
import { SYNTH_SCHEMAS, synthesize, type SynthSummary } from '../simulations/synth/index.js';
import { printJson, type CliIo } from './io.js';

const OptionsSchema = z.object({
  schema: z.enum(SYNTH_SCHEMAS, { error: (i) => `--schema: unknown schema ${JSON.stringify(i.input)}; expected one of ${SYNTH_SCHEMAS.join(', ')}` }),
  banks: z.coerce.number({ error: '--banks: expected an integer ≥ 1' }).int('--banks: expected an integer ≥ 1').min(1, '--banks: expected an integer ≥ 1').max(10_000, '--banks: at most 10000'),
  rows: z.coerce.number({ error: '--rows: expected an integer ≥ 1' }).int('--rows: expected an integer ≥ 1').min(1, '--rows: expected an integer ≥ 1').max(100_000_000, '--rows: at most 100000000'),
  seed: z.string().min(1, '--seed: expected a non-empty value'),
  skew: z.coerce.number({ error: '--skew: expected a number in [0, 1]' }).min(0, '--skew: expected a number in [0, 1]').max(1, '--skew: expected a number in [0, 1]'),
  out: z.string().min(1, '--out: expected a directory'),
  json: z.boolean().optional(),
});

/** Renders the summary table: bank, rows, file, label rate, locale, then the Bayes AUC. */
export function formatSynthSummary(s: SynthSummary): string {
  const rows = s.banks.map((b) => [b.bank, String(b.rows), b.file, b.labelRate === null ? '-' : `${(100 * b.labelRate).toFixed(2)}%`, b.locale]);
  const header = ['bank', 'rows', 'file', 'label rate', 'locale'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [`${s.schema}: ${s.banks.length} bank(s) written to ${s.outDir} (seed ${String(s.seed)}, skew ${s.skew})`, line(header), ...rows.map(line)];
  out.push(s.bayesAuc === null ? 'Bayes AUC: n/a for this schema (see truth.json)' : `Bayes AUC (true probabilities vs labels, pooled): ${s.bayesAuc.toFixed(4)}`);
  out.push(`ground truth: ${s.truthFile}`);
  return out.join('\n');
}

/** Registers `data synth` on the `data` group. */
export function registerDataSynth(group: Command, io: CliIo): void {
  group
    .command('synth')
    .summary('write synthetic banks and truth.json')
    .description('write synthetic banks: one CSV + mapping file per bank in bank-specific shapes, plus truth.json')
    .requiredOption('--schema <id>', `schema to generate: ${SYNTH_SCHEMAS.join(' | ')}`)
    .option('--banks <n>', 'number of banks', '5')
    .option('--rows <n>', 'rows PER BANK', '20000')
    .option('--seed <seed>', 'seed; the same seed gives byte-identical files', '7')
    .option('--skew <s>', 'non-IID strength: 0 = one shared population, 1 = strongly different banks', '0.5')
    .requiredOption('--out <dir>', 'output directory')
    .option('--json', 'print the summary as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = OptionsSchema.safeParse(raw);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
      const o = parsed.data;
      // A seed that reads back as the same integer is recorded as a number in truth.json; the stream is keyed by its text either way.
      const seed = String(Number(o.seed)) === o.seed && Number.isSafeInteger(Number(o.seed)) ? Number(o.seed) : o.seed;
      const summary = await synthesize({ schema: o.schema, banks: o.banks, rows: o.rows, seed, skew: o.skew, outDir: o.out });
      if (o.json) printJson(io, summary);
      else io.out(formatSynthSummary(summary));
    });
}
