/** `fedfin predict`: scores new records locally with an exported model (read → map → validate → desensitise → encode → model → probability). */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { AtomicWriter } from '../common/atomic-file.js';
import { FedfinError } from '../common/errors.js';
import { cryptoRandom } from '../common/random.js';
import { pinPolicyLevels } from '../client/data/local-data.js';
import { readAcceptedRecords, readMappingFile, type RejectSite } from '../client/data/read-records.js';
import { createRowPlan, desensitizedSchema, desensitizeRecord, loadKeyFile, loadPolicy, MIN_KEY_BYTES, resolvePolicy } from '../privacy/desensitize/index.js';
import { encodeInto } from '../schema/encoding.js';
import { resolveSchema } from '../schema/registry.js';
import { loadLayersModelDir, predictLogits } from '../tasks/model-artifacts.js';
import { readModelMetadata } from '../tasks/model-package.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import { printJson, type CliIo } from './io.js';
import { rebuildModelEncoding } from './predict-encoding.js';

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

/**
 * Scores `data` with the model in `modelDir` and writes `row,score` (1-based data row, probability) to
 * `out` atomically. Rows that fail validation are skipped and counted; desensitisation uses the bank's
 * policy (levels pinned as the daemon pins them) and key; without a policy, the schema's default rules.
 * @throws FedfinError('encoding-mismatch') naming differing fields when the data's encoding is not the
 *   model's; FileError for missing files; FedfinError('data-invalid') when no row can be scored.
 */
export async function predictFile(o: PredictOptions): Promise<PredictSummary> {
  const meta = readModelMetadata(o.modelDir);
  const schema = resolveSchema(o.schema ?? meta.schema.id);
  const mapping = o.mapping === undefined ? undefined : readMappingFile(o.mapping);
  const policy = pinPolicyLevels(o.policy ? loadPolicy(o.policy, schema) : resolvePolicy({ schema: schema.id, domain: 'fedfin-predict' }, schema, 'default policy'));
  // Pseudonyms are direct identifiers and never encoded, so without the bank's key a fresh one changes no score.
  const key = o.key ? loadKeyFile(o.key) : new Uint8Array(MIN_KEY_BYTES);
  if (!o.key) cryptoRandom().fill(key);
  try {
    const plan = createRowPlan(schema, policy, key);
    const spec = rebuildModelEncoding(meta, desensitizedSchema(schema, policy, plan.levels), o.data);
    const read = await readAcceptedRecords(o.data, schema, mapping, undefined);
    if (read.records.length === 0) throw new FedfinError('data-invalid', `${o.data}: no row can be scored (${read.rowsRead} read, ${read.rejected} rejected)`);
    const x = new Float32Array(read.records.length * spec.numFeatures);
    read.records.forEach((r, i) => encodeInto(spec, desensitizeRecord(r, plan), x, i * spec.numFeatures));
    await initTfBackend();
    const model = await loadLayersModelDir(o.modelDir);
    let logits: Float32Array;
    try {
      logits = predictLogits(model, x, spec.numFeatures);
    } finally {
      model.dispose();
    }
    const writer = new AtomicWriter(o.out);
    let sum = 0;
    try {
      const lines: string[] = ['row,score'];
      for (let i = 0; i < logits.length; i++) {
        const p = 1 / (1 + Math.exp(-logits[i]!));
        sum += p;
        lines.push(`${read.rowNumbers[i]!},${p.toPrecision(7)}`);
        if (lines.length >= 8192) await writer.write(`${lines.splice(0).join('\n')}\n`);
      }
      if (lines.length > 0) await writer.write(`${lines.join('\n')}\n`);
      await writer.commit();
    } catch (err) {
      writer.abort();
      throw err;
    }
    return {
      model: o.modelDir, jobId: meta.jobId, round: meta.round, out: o.out, rowsRead: read.rowsRead, scored: logits.length, rejected: read.rejected,
      firstRejects: read.firstRejects, featureHash: meta.encoding.featureHash, specHash: spec.specHash, meanScore: sum / logits.length,
    };
  } finally {
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
    .requiredOption('--out <file>', 'scores CSV to write (row,score), atomically')
    .option('--mapping <file>', 'column mapping onto the model\'s schema')
    .option('--schema <ref>', 'schema id or file (default: the model\'s schema id)')
    .option('--policy <file>', 'the bank\'s desensitisation policy (as the daemon uses it)')
    .option('--key <file>', 'the bank\'s pseudonymisation key file')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { model: string; data: string; out: string; mapping?: string; schema?: string; policy?: string; key?: string; json?: boolean }) => {
      const s = await predictFile({ modelDir: resolve(opts.model), data: opts.data, out: resolve(opts.out), mapping: opts.mapping, schema: opts.schema, policy: opts.policy, key: opts.key });
      if (opts.json) printJson(io, s);
      else {
        io.out(`scored ${s.scored} of ${s.rowsRead} rows with job ${s.jobId} round ${s.round} → ${s.out} (mean score ${s.meanScore.toFixed(4)})`);
        if (s.rejected > 0) io.out(`skipped ${s.rejected} rows that failed validation; first: ${s.firstRejects.map((r) => `row ${r.row} (${r.field})`).join(', ')}`);
      }
    });
}
