/** `fedfin predict`: scores new records locally with an exported model (read → map → validate → desensitise → encode → model → probability). */
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
import { compileMapping } from '../schema/mapping.js';
import { isReject, openDataFile } from '../schema/readers/index.js';
import { compileValidator } from '../schema/validate.js';
import { resolveSchema } from '../schema/registry.js';
import { loadLayersModelDir, predictLogits } from '../tasks/model-artifacts.js';
import { readModelMetadata } from '../tasks/model-package.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import { printJson, type CliIo } from './io.js';
import { rebuildModelEncoding } from './predict-encoding.js';
import { isMarketMetadata, readAnyModelMetadata } from '../tasks/model-package-kinds.js';
import { formatMarketPredict, predictMarketFile } from './predict-market.js';

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
  readonly round: number;
  readonly out: string;
  readonly rowsRead: number;
  readonly scored: number;
  readonly rejected: number;
  readonly firstRejects: readonly RejectSite[];
  readonly featureHash: string;
  readonly specHash: string;
  readonly meanScore: number;
}

/** Milliseconds spent per stage of a scoring run (setup — metadata, policy, model load — is not counted). */
export interface PredictPhases {
  /** Reading, splitting, mapping and validating rows. */
  read: number;
  desensitize: number;
  encode: number;
  infer: number;
  /** Formatting scores and writing them (including the final fsync and rename). */
  write: number;
}

/** Phase timers at zero, to pass to predictFile. */
export function emptyPredictPhases(): PredictPhases {
  return { read: 0, desensitize: 0, encode: 0, infer: 0, write: 0 };
}

const MAX_REJECT_SITES = 5;
/** Rows encoded, scored and written per step: bounds memory and keeps writes large (~200 KB). */
const STEP_ROWS = 8192;

/**
 * Scores `data` with the model in `modelDir` and writes `row,score` (1-based data row, probability) to
 * `out` atomically. Rows that fail validation are skipped and counted; desensitisation uses the bank's
 * policy (levels pinned as the daemon pins them) and key; without a policy, the schema's default rules.
 * Rows stream through read → map → validate → desensitise → encode → model in steps of 8192, so memory
 * stays bounded by the step, not the file. Scoring needs no k-anonymity pass: nothing but scores leaves.
 * @param phases when given, receives the milliseconds spent per stage (for `npm run bench -- tasks`).
 * @throws FedfinError('encoding-mismatch') naming differing fields when the data's encoding is not the
 *   model's; FileError for missing files; FedfinError('data-invalid') when no row can be scored.
 */
export async function predictFile(o: PredictOptions, phases?: PredictPhases): Promise<PredictSummary> {
  const meta = readModelMetadata(o.modelDir);
  const schema = resolveSchema(o.schema ?? meta.schema.id);
  const mapping = o.mapping === undefined ? undefined : readMappingFile(o.mapping);
  const policy = pinPolicyLevels(o.policy ? loadPolicy(o.policy, schema) : resolvePolicy({ schema: schema.id, domain: 'fedfin-predict' }, schema, 'default policy'));
  // Pseudonyms are direct identifiers and never encoded, so without the bank's key a fresh one changes no score.
  const key = o.key ? loadKeyFile(o.key) : new Uint8Array(MIN_KEY_BYTES);
  if (!o.key) cryptoRandom().fill(key);
  const t = phases ?? emptyPredictPhases();
  let writer: AtomicWriter | undefined;
  let model: LayersModel | undefined;
  try {
    const plan = createRowPlan(schema, policy, key);
    const spec = rebuildModelEncoding(meta, desensitizedSchema(schema, policy, plan.levels), o.data);
    const reader = await openDataFile(o.data, { delimiter: mapping?.delimiter });
    const compiled = compileMapping(mapping, schema, reader.header, o.data);
    const validator = compileValidator(schema);
    await initTfBackend();
    model = await loadLayersModelDir(o.modelDir);
    writer = new AtomicWriter(o.out);
    const d = spec.numFeatures;
    const x = new Float32Array(STEP_ROWS * d);
    const rowOf = new Int32Array(STEP_ROWS);
    const firstRejects: RejectSite[] = [];
    let filled = 0;
    let rowsRead = 0;
    let rejected = 0;
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
    const batches = reader.batches()[Symbol.asyncIterator]();
    for (;;) {
      let c = performance.now();
      const next = await batches.next();
      if (next.done) {
        t.read += performance.now() - c;
        break;
      }
      for (const item of next.value) {
        rowsRead++;
        const mapped = isReject(item) ? undefined : compiled.apply(item.values, item.row);
        const errs = mapped === undefined ? [{ field: '(row)' }] : mapped.record ? validator.validate(mapped.record, item.row) : mapped.errors;
        if (errs && errs.length > 0) {
          rejected++;
          if (firstRejects.length < MAX_REJECT_SITES) firstRejects.push({ row: item.row, field: errs[0]!.field });
          continue;
        }
        if (!mapped?.record) continue;
        const now = performance.now();
        t.read += now - c;
        const r = desensitizeRecord(mapped.record, plan);
        c = performance.now();
        t.desensitize += c - now;
        encodeInto(spec, r, x, filled * d);
        rowOf[filled++] = item.row;
        const after = performance.now();
        t.encode += after - c;
        c = after;
        if (filled === STEP_ROWS) {
          await flush();
          c = performance.now();
        }
      }
      t.read += performance.now() - c;
    }
    if (filled > 0) await flush();
    if (scored === 0) throw new FedfinError('data-invalid', `${o.data}: no row can be scored (${rowsRead} read, ${rejected} rejected)`);
    const c = performance.now();
    await writer.commit();
    t.write += performance.now() - c;
    writer = undefined;
    return {
      model: o.modelDir, jobId: meta.jobId, round: meta.round, out: o.out, rowsRead, scored, rejected,
      firstRejects, featureHash: meta.encoding.featureHash, specHash: spec.specHash, meanScore: sum / scored,
    };
  } finally {
    writer?.abort();
    model?.dispose();
    key.fill(0);
  }
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
        if (s.rejected > 0) io.out(`skipped ${s.rejected} rows that failed validation; first: ${s.firstRejects.map((r) => `row ${r.row} (${r.field})`).join(', ')}`);
      }
    });
}
