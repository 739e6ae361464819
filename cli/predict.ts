/** `fedfin predict`: scores new records locally with an exported model (read → map → validate → [feature step] → desensitise → encode → model → probability). */
import type { LayersModel } from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AtomicWriter } from '../common/atomic-file.js';
import { FedfinError } from '../common/errors.js';
import { cryptoRandom } from '../common/random.js';
import { pinPolicyLevels } from '../client/data/local-data.js';
import { readMappingFile, type RejectSite } from '../client/data/read-records.js';
import { createRowPlan, desensitizedSchema, desensitizeRecord, loadKeyFile, loadPolicy, MIN_KEY_BYTES, resolvePolicy } from '../privacy/desensitize/index.js';
import { encodeInto } from '../schema/encoding.js';
import { BUILTIN_SCHEMAS, resolveSchema } from '../schema/registry.js';
import { modelFeatureConfig } from '../tasks/features/model-feature-step.js';
import { FEATURE_STEP, withEngineeredFields } from '../tasks/features/transaction-features.js';
import { loadLayersModelDir, predictLogits } from '../tasks/model-artifacts.js';
import { readModelMetadata, type ModelMetadata } from '../tasks/model-package.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import { printJson, type CliIo } from './io.js';
import { rebuildModelEncoding } from './predict-encoding.js';
import { isMarketMetadata, readAnyModelMetadata } from '../tasks/model-package-kinds.js';
import { formatMarketPredict, predictMarketFile } from './predict-market.js';
import { emptyRowCounts, featuredRows, streamRows } from './predict-rows.js';

/** What `fedfin predict` needs. */
export interface PredictOptions {
  readonly modelDir: string;
  readonly data: string;
  readonly out: string;
  readonly mapping?: string | undefined;
  /** Schema id or file; defaults to the model's schema id. */
  readonly schema?: string | undefined;
  readonly policy?: string | undefined;
  readonly key?: string | undefined;
}

/** Counts and hashes of a scoring run (never a value). */
export interface PredictSummary {
  readonly model: string;
  readonly jobId: string;
  readonly task: string;
  readonly round: number;
  readonly out: string;
  readonly rowsRead: number;
  readonly scored: number;
  readonly rejected: number;
  readonly firstRejects: readonly RejectSite[];
  readonly featureHash: string;
  readonly specHash: string;
  /** The local feature step run before encoding (`transaction-history v1`), or null. */
  readonly featureStep: string | null;
  readonly meanScore: number;
}

/** Milliseconds spent per stage of a scoring run (setup — metadata, policy, model load — is not counted). */
export interface PredictPhases {
  /** Reading, splitting, mapping and validating rows. */
  read: number;
  /** The engineered-feature step (transaction models; 0 otherwise). */
  features: number;
  desensitize: number;
  encode: number;
  infer: number;
  /** Formatting scores and writing them (including the final fsync and rename). */
  write: number;
}

/** Phase timers at zero, to pass to predictFile. */
export function emptyPredictPhases(): PredictPhases {
  return { read: 0, features: 0, desensitize: 0, encode: 0, infer: 0, write: 0 };
}

/** Rows encoded, scored and written per step: bounds memory and keeps writes large (~200 KB). */
const STEP_ROWS = 8192;

/**
 * Scores `data` with the model in `modelDir` and writes `row,score` (1-based data row, probability) to
 * `out` atomically. One scoring path per kind of model, chosen from the package's `task`; today every
 * exported model is a record-level classifier (credit-scoring, fraud-detection): see scoreRecords.
 * @param phases when given, receives the milliseconds spent per stage (for `npm run bench -- tasks`).
 * @throws as scoreRecords.
 */
export async function predictFile(o: PredictOptions, phases?: PredictPhases): Promise<PredictSummary> {
  const meta = readModelMetadata(o.modelDir);
  // Per-task dispatch: a task whose examples are not one record per row gets its own path here.
  return scoreRecords(o, meta, phases ?? emptyPredictPhases());
}

/**
 * A record-level classifier's scoring: read → map → validate → [feature step] → desensitise → encode →
 * model, the daemon's pipeline. Rows that fail validation are skipped and counted; desensitisation uses
 * the bank's policy (levels pinned as the daemon pins them) and key; without a policy, the schema's
 * default rules. Models whose package records a feature step (fraud-detection on a transaction schema)
 * read the whole file and compute each row's engineered features from the file's earlier rows of the
 * same account, as training did; other models stream in steps of 8192, so memory stays bounded by the
 * step. Scoring needs no k-anonymity pass: nothing but scores leaves.
 * @throws FedfinError('encoding-mismatch') naming differing fields (or feature-step roles) when the data's
 *   encoding is not the model's; FedfinError('schema-invalid') for a transaction schema missing a role;
 *   FileError for missing files; FedfinError('data-invalid') when no row can be scored.
 */
async function scoreRecords(o: PredictOptions, meta: ModelMetadata, t: PredictPhases): Promise<PredictSummary> {
  const schema = resolveSchema(o.schema ?? modelSchemaRef(meta));
  const features = modelFeatureConfig(meta.features, schema, o.data);
  const full = features ? withEngineeredFields(schema, features) : schema;
  const mapping = o.mapping === undefined ? undefined : readMappingFile(o.mapping);
  const policy = pinPolicyLevels(o.policy ? loadPolicy(o.policy, full) : resolvePolicy({ schema: schema.id, domain: 'fedfin-predict' }, full, 'default policy'));
  // Pseudonyms are direct identifiers and never encoded, and the feature step's history only needs
  // them to group one account's rows: without the bank's key a fresh one changes no score.
  const key = o.key ? loadKeyFile(o.key) : new Uint8Array(MIN_KEY_BYTES);
  if (!o.key) cryptoRandom().fill(key);
  let writer: AtomicWriter | undefined;
  let model: LayersModel | undefined;
  try {
    const plan = createRowPlan(full, policy, key);
    const spec = rebuildModelEncoding(meta, desensitizedSchema(full, policy, plan.levels), o.data);
    const counts = emptyRowCounts();
    const source = features
      ? featuredRows(o.data, schema, mapping, { config: features, policy, key }, counts, t, STEP_ROWS)
      : streamRows(o.data, schema, mapping, counts, t);
    await initTfBackend();
    model = await loadLayersModelDir(o.modelDir);
    writer = new AtomicWriter(o.out);
    const d = spec.numFeatures;
    const x = new Float32Array(STEP_ROWS * d);
    const rowOf = new Int32Array(STEP_ROWS);
    let filled = 0;
    let scored = 0;
    let sum = 0;
    let text = 'row,score\n';
    const flush = async (): Promise<void> => {
      let c = performance.now();
      const logits = predictLogits(model!, x.subarray(0, filled * d), d);
      t.infer += performance.now() - c;
      c = performance.now();
      for (let i = 0; i < filled; i++) {
        const p = 1 / (1 + Math.exp(-logits[i]!));
        sum += p;
        text += `${rowOf[i]!},${p.toPrecision(7)}\n`;
      }
      scored += filled;
      filled = 0;
      await writer!.write(text);
      text = '';
      t.write += performance.now() - c;
    };
    for await (const batch of source) {
      for (const { row, record } of batch) {
        const c = performance.now();
        const r = desensitizeRecord(record, plan);
        const mid = performance.now();
        t.desensitize += mid - c;
        encodeInto(spec, r, x, filled * d);
        rowOf[filled++] = row;
        t.encode += performance.now() - mid;
        if (filled === STEP_ROWS) await flush();
      }
    }
    if (filled > 0) await flush();
    if (scored === 0) throw new FedfinError('data-invalid', `${o.data}: no row can be scored (${counts.rowsRead} read, ${counts.rejected} rejected)`);
    const c = performance.now();
    await writer.commit();
    t.write += performance.now() - c;
    writer = undefined;
    return {
      model: o.modelDir, jobId: meta.jobId, task: meta.task, round: meta.round, out: o.out, rowsRead: counts.rowsRead, scored, rejected: counts.rejected,
      firstRejects: counts.firstRejects, featureHash: meta.encoding.featureHash, specHash: spec.specHash,
      featureStep: features ? `${FEATURE_STEP.name} v${FEATURE_STEP.version}` : null, meanScore: sum / scored,
    };
  } finally {
    writer?.abort();
    model?.dispose();
    key.fill(0);
  }
}

/** The model's schema as a reference resolveSchema takes; a custom schema must be passed as its file. */
function modelSchemaRef(meta: ModelMetadata): string {
  if (BUILTIN_SCHEMAS.has(meta.schema.id)) return meta.schema.id;
  throw new FedfinError('usage', `the model was trained on the custom schema ${meta.schema.id}: pass its file with --schema FILE.json`);
}

/**
 * Registers `fedfin predict`. Exit codes: 0 scored; 1 encoding mismatch, missing files or no scorable row; 2 usage.
 */
export function registerPredictCommand(program: Command, io: CliIo): void {
  program
    .command('predict')
    .description('score new records locally with an exported model')
    .requiredOption('--model <dir>', 'exported model directory (fedfin admin models export)')
    .requiredOption('--data <file>', 'records to score (CSV, or any format `fedfin data validate` reads)')
    .requiredOption('--out <file>', 'output CSV, atomically (row,score; market: forecasts)')
    .option('--mapping <file>', 'column mapping onto the model\'s schema')
    .option('--schema <ref>', 'schema id or file (default: the model\'s schema id)')
    .option('--policy <file>', 'the bank\'s desensitisation policy (as the daemon uses it)')
    .option('--key <file>', 'the bank\'s pseudonymisation key file')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { model: string; data: string; out: string; mapping?: string; schema?: string; policy?: string; key?: string; json?: boolean }) => {
      // Market-forecast models forecast per-symbol windows, not records (cli/predict-market.ts).
      const any = readAnyModelMetadata(resolve(opts.model));
      if (isMarketMetadata(any)) {
        const m = await predictMarketFile(any, { modelDir: resolve(opts.model), data: opts.data, out: resolve(opts.out), mapping: opts.mapping, schema: opts.schema, policy: opts.policy, key: opts.key });
        if (opts.json) printJson(io, m);
        else io.out(formatMarketPredict(m));
        return;
      }
      const s = await predictFile({ modelDir: resolve(opts.model), data: opts.data, out: resolve(opts.out), mapping: opts.mapping, schema: opts.schema, policy: opts.policy, key: opts.key });
      if (opts.json) printJson(io, s);
      else {
        io.out(`scored ${s.scored} of ${s.rowsRead} rows with job ${s.jobId} round ${s.round} → ${s.out} (mean score ${s.meanScore.toFixed(4)})`);
        if (s.featureStep) io.out(`engineered features: ${s.featureStep}, per-account history from this file's earlier rows`);
        if (s.rejected > 0) io.out(`skipped ${s.rejected} rows that failed validation; first: ${s.firstRejects.map((r) => `row ${r.row} (${r.field})`).join(', ')}`);
      }
    });
}
