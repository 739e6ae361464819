/** `synthesize`: writes one CSV and one mapping file per synthetic bank plus truth.json, all or nothing. */
import { join } from 'node:path';
import { assertInRange, assertInt, assertString } from '../../common/assert.js';
import { bankProfile, type BankProfile } from './bank-shapes.js';
import { StagedFiles, csvChunks } from './csv-writer.js';
import { creditBank, creditTruth } from './credit-shapes.js';
import { marketBank, marketTruth, runFactors } from './market-shapes.js';
import { transactionBank, transactionTruth } from './transaction-shapes.js';
import { Sampler } from './sampling.js';
import type { BankTruth, TruthDocument } from './truth.js';
import type { MappingSpec } from '../../schema/mapping-spec.js';
import type { ColumnSpec } from './bank-shapes.js';

/** The schemas `data synth` can generate. */
export const SYNTH_SCHEMAS = ['credit.v1', 'transaction.v1', 'market.v1'] as const;
export type SynthSchema = (typeof SYNTH_SCHEMAS)[number];

/** What to generate. */
export interface SynthOptions {
  readonly schema: SynthSchema;
  /** Number of banks, ≥ 1. */
  readonly banks: number;
  /** Rows PER BANK, ≥ 1. */
  readonly rows: number;
  /** Any integer or string; the same seed gives byte-identical files. */
  readonly seed: number | string;
  /** Non-IID strength in [0, 1]: 0 = one shared population, 1 = each bank its archetype's own. @default 0.5 */
  readonly skew: number;
  /** Output directory (created if missing). */
  readonly outDir: string;
}

/** One bank's line of the run summary. */
export interface BankSummary {
  readonly bank: string;
  readonly rows: number;
  readonly file: string;
  readonly mapping: string;
  readonly labelRate: number | null;
  readonly locale: string;
}

/** What a run wrote. */
export interface SynthSummary {
  readonly schema: SynthSchema;
  readonly seed: number | string;
  readonly skew: number;
  readonly outDir: string;
  readonly banks: readonly BankSummary[];
  /** Bayes-optimal AUC of the true probabilities against the drawn labels, pooled over banks (credit only). */
  readonly bayesAuc: number | null;
  readonly truthFile: string;
}

/** One generated bank, before it is written: its CSV layout and rows, mapping file and truth entry. */
export interface GeneratedBank<R> {
  readonly profile: BankProfile;
  readonly columns: readonly ColumnSpec<R>[];
  readonly records: readonly R[];
  readonly mapping: MappingSpec;
  readonly truth: { readonly rows: number; readonly labelRate: number | null; readonly [key: string]: unknown };
}

/**
 * Generates and writes every bank of a run into `outDir`: `bank-<i>.csv`, `bank-<i>.mapping.json`
 * and `truth.json`. Files are staged and renamed into place only when all are written.
 * @throws RangeError/TypeError for out-of-range options (the CLI validates them first).
 */
export async function synthesize(options: SynthOptions): Promise<SynthSummary> {
  const { schema, banks, rows, seed, skew, outDir } = options;
  if (!SYNTH_SCHEMAS.includes(schema)) throw new RangeError(`synthesize: "schema" expected one of ${SYNTH_SCHEMAS.join(', ')}, got ${String(schema)}`);
  assertInt('synthesize', 'banks', banks, 1, 10_000);
  assertInt('synthesize', 'rows', rows, 1, 100_000_000);
  assertInRange('synthesize', 'skew', skew, 0, 1);
  assertString('synthesize', 'outDir', outDir);
  const staged = new StagedFiles();
  try {
    const generated: GeneratedBank<unknown>[] = [];
    const perBank: BankTruth[] = [];
    const factors = schema === 'market.v1' ? runFactors(seed, rows) : undefined;
    for (let i = 1; i <= banks; i++) {
      // One stream per bank: bank-1 is the same whatever --banks says.
      const rng = new Sampler(`${String(seed)}:${schema}:bank-${i}`);
      const profile = bankProfile(i);
      const g = (schema === 'credit.v1' ? creditBank(profile, rows, skew, rng) : schema === 'transaction.v1' ? transactionBank(profile, rows, skew, rng) : marketBank(profile, rows, skew, rng, factors!)) as GeneratedBank<unknown>;
      const name = `bank-${i}`;
      await staged.stage(join(outDir, `${name}.csv`), csvChunks(g.columns, g.records, profile.delimiter));
      await staged.stage(join(outDir, `${name}.mapping.json`), [`${JSON.stringify(g.mapping, null, 2)}\n`]);
      perBank.push({ bank: name, file: `${name}.csv`, mapping: `${name}.mapping.json`, locale: profile.locale, ...g.truth });
      generated.push(g);
    }
    const extras = schema === 'credit.v1' ? creditTruth(generated as never) : schema === 'transaction.v1' ? transactionTruth() : marketTruth();
    const truth: TruthDocument = { schema, seed, skew, banks, rowsPerBank: rows, generator: 'fedfin data synth (simulations/synth)', ...extras, perBank };
    await staged.stage(join(outDir, 'truth.json'), [`${JSON.stringify(truth, null, 2)}\n`]);
    await staged.commitAll();
    return {
      schema,
      seed,
      skew,
      outDir,
      banks: perBank.map((b) => ({ bank: b.bank, rows: b.rows, file: b.file, mapping: b.mapping, labelRate: b.labelRate, locale: b.locale })),
      bayesAuc: typeof extras['bayesAuc'] === 'number' ? extras['bayesAuc'] : null,
      truthFile: 'truth.json',
    };
  } catch (err) {
    staged.abortAll();
    throw err;
  }
}
