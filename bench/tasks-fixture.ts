/** Fixtures of `npm run bench -- tasks`: a synthetic credit extract with its mapping, and an exported credit-scoring model that fits it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../common/seeded-random.js';
import { featureHash } from '../client/data/feature-schema.js';
import { pinPolicyLevels } from '../client/data/local-data.js';
import { readAcceptedRecords, readMappingFile } from '../client/data/read-records.js';
import { createRowPlan, desensitizedSchema, desensitizeRecord, resolvePolicy } from '../privacy/desensitize/index.js';
import { computeMoments, momentsToStats } from '../schema/encoding-stats.js';
import { createEncodingSpec, encodeInto, type EncodingSpec } from '../schema/encoding.js';
import { resolveSchema } from '../schema/registry.js';
import { synthesize } from '../simulations/synth/index.js';
import { writeModelPackage } from '../tasks/model-artifacts.js';
import { privacyStatement, type ModelMetadata } from '../tasks/model-package.js';
import { initMlpWeights, type MlpSpec } from '../tasks/models/mlp.js';

/** Files of one bench run, removed by `cleanup`. */
export interface PredictFixture {
  readonly dir: string;
  readonly csv: string;
  readonly mapping: string;
  readonly modelDir: string;
  readonly rows: number;
  /** The accepted rows, desensitised and encoded as predict encodes them (for the bare-model baseline). */
  readonly encoded: Float32Array;
  readonly spec: EncodingSpec;
  readonly model: MlpSpec;
  cleanup(): void;
}

/**
 * Writes `rows` synthetic credit.v1 rows of bank 1 (simulations/synth, its own column names and mapping) and
 * an exported MLP whose encoding statistics come from those rows under the default policy, as a job's would.
 * @param hiddenUnits the exported model's hidden layers (credit-scoring's MLP is 32-16).
 */
export async function predictFixture(rows: number, hiddenUnits: readonly number[]): Promise<PredictFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bench-tasks-'));
  try {
    const synth = await synthesize({ schema: 'credit.v1', banks: 1, rows, seed: 'bench-tasks', skew: 0.5, outDir: dir });
    const bank = synth.banks[0]!;
    const csv = join(dir, bank.file);
    const mapping = join(dir, bank.mapping);
    const schema = resolveSchema('credit.v1');
    const policy = pinPolicyLevels(resolvePolicy({ schema: schema.id, domain: 'fedfin-predict' }, schema, 'default policy'));
    const plan = createRowPlan(schema, policy, new Uint8Array(32).fill(7));
    const desSchema = desensitizedSchema(schema, policy, plan.levels);
    const read = await readAcceptedRecords(csv, schema, readMappingFile(mapping), undefined);
    const records = read.records.map((r) => desensitizeRecord(r, plan));
    const stats = momentsToStats(computeMoments(records, desSchema));
    const spec = createEncodingSpec(desSchema, stats, { includeSensitive: false });
    const encoded = new Float32Array(records.length * spec.numFeatures);
    records.forEach((r, i) => encodeInto(spec, r, encoded, i * spec.numFeatures));
    const model: MlpSpec = { numFeatures: spec.numFeatures, hiddenUnits: [...hiddenUnits], activation: 'relu' };
    const meta: ModelMetadata = {
      format: 'fedfin-model', version: 1, jobId: 'bench-job', jobName: 'bench', task: 'credit-scoring',
      schema: { id: schema.id, hash: '0'.repeat(64) },
      model: { kind: 'mlp', numFeatures: spec.numFeatures, hiddenUnits: [...hiddenUnits], activation: 'relu', output: 'logit' },
      encoding: { schemaId: schema.id, featureHash: featureHash(desSchema, false), numFeatures: spec.numFeatures, includeSensitive: false, stats, spec: null },
      round: 1, roundsCompleted: 1, roundsTotal: 1, jobStatus: 'completed', metrics: {}, privacy: privacyStatement(undefined, []), exportedAt: new Date(0).toISOString(),
    };
    const modelDir = join(dir, 'model');
    await writeModelPackage(modelDir, meta, initMlpWeights(model, seededRandom('bench-tasks-model')));
    return { dir, csv, mapping, modelDir, rows: read.records.length, encoded, spec, model, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
