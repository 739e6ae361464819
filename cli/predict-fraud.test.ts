/**
 * Tests of `fedfin predict` on transaction models with hand-built packages: the feature step runs from
 * the model's record, a custom schema with other field names (roles) scores exactly as transaction.v1,
 * no later row changes an earlier score, and mismatching feature steps or missing roles are refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureHash, placeholderSpec } from '../client/data/feature-schema.js';
import { pinPolicyLevels } from '../client/data/local-data.js';
import { seededRandom } from '../common/seeded-random.js';
import { createRowPlan, desensitizedSchema, resolvePolicy } from '../privacy/desensitize/index.js';
import { TRANSACTION_V1 } from '../schema/builtin/transaction-v1.js';
import { momentFields } from '../schema/encoding-stats.js';
import { makeSchema, type CanonicalRecord, type DatasetSchema } from '../schema/field.js';
import { schemaToJson } from '../schema/registry.js';
import { featureConfigFor, featuredSchema } from '../tasks/features/feature-step.js';
import { featureStepRecord } from '../tasks/features/model-feature-step.js';
import { writeModelPackage } from '../tasks/model-artifacts.js';
import { privacyStatement, type ModelMetadata } from '../tasks/model-package.js';
import { initMlpWeights } from '../tasks/models/mlp.js';
import { useScratchDir } from '../test/helpers/scratch.js';
import { predictFile } from './predict.js';

/** transaction.v1's field names → a custom schema's. */
const RENAME: Record<string, string> = {
  transaction_id: 'tx_ref', account_id: 'acct_ref', card_number: 'pan', customer_name: 'holder', timestamp: 'booked_at', amount: 'amt_eur',
  currency: 'ccy', merchant_category_code: 'mcc', merchant_country: 'merch_ctry', channel: 'chan', card_present: 'chip_read',
  device_id: 'device_fp', customer_postcode: 'zip', fraud: 'is_fraud',
};
const CARDS: DatasetSchema = makeSchema({
  name: 'cards', version: 2, kind: 'transaction', description: 'a bank\'s own card extract', label: 'is_fraud',
  roles: { account: 'acct_ref', timestamp: 'booked_at', amount: 'amt_eur', merchantCategory: 'mcc', merchantCountry: 'merch_ctry', device: 'device_fp' },
  fields: TRANSACTION_V1.fields.map((f) => ({ ...f, name: RENAME[f.name]!, categories: f.categories ? [...f.categories] : undefined })),
});
const COLUMNS = ['account_id', 'timestamp', 'amount', 'currency', 'merchant_category_code', 'merchant_country', 'channel', 'card_present', 'device_id', 'fraud'];

/** Three accounts over ten days; a rare large foreign night-time amount on a new device. */
function transactions(n: number, seed: string): CanonicalRecord[] {
  const src = seededRandom(seed);
  const buf = new Uint8Array(4);
  const rng = { next: () => (src.fill(buf), new DataView(buf.buffer).getUint32(0) / 2 ** 32) };
  const t0 = Date.UTC(2024, 2, 1);
  return Array.from({ length: n }, () => {
    const odd = rng.next() < 0.1;
    return {
      account_id: ['A-1', 'a-1', 'B-2', 'C-3'][Math.floor(rng.next() * 4)]!,
      timestamp: new Date(t0 + Math.floor(rng.next() * 10 * 86_400_000)).toISOString(),
      amount: Math.round((odd ? 900 : 40) * (0.5 + rng.next()) * 100) / 100,
      currency: 'EUR', merchant_category_code: odd ? '7995' : ['5411', '5812'][Math.floor(rng.next() * 2)]!, merchant_country: odd ? 'US' : 'NL',
      channel: odd ? 'online' : 'pos', card_present: !odd, device_id: odd ? `d${Math.floor(rng.next() * 1e6)}` : 'd0', fraud: odd ? 1 : 0,
    };
  });
}

const csv = (rows: readonly CanonicalRecord[], names: (c: string) => string): string =>
  [COLUMNS.map(names).join(','), ...rows.map((r) => COLUMNS.map((c) => (r[c] === null ? '' : String(r[c]))).join(','))].join('\n') + '\n';

/** A package whose encoding is `schema`'s featured, default-policy encoding (as a job on it would record), with seeded weights. */
async function modelFor(dir: string, schema: DatasetSchema, features: ModelMetadata['features'] | 'omit' = featureStepRecord(schema)): Promise<void> {
  const full = featuredSchema(schema);
  const policy = pinPolicyLevels(resolvePolicy({ schema: schema.id, domain: 'fedfin-predict' }, full, 'default policy'));
  const des = desensitizedSchema(full, policy, createRowPlan(full, policy, new Uint8Array(32)).levels);
  const numFeatures = placeholderSpec(des, false).numFeatures;
  const stats = Object.fromEntries(momentFields(des).map((f, i) => [f.name, { mean: 0.1 * i, std: 1 + i }]));
  const meta: ModelMetadata = {
    format: 'fedfin-model', version: 1, jobId: 'job-f', jobName: 'fraud', task: 'fraud-detection', schema: { id: schema.id, hash: '0'.repeat(64) },
    model: { kind: 'mlp', numFeatures, hiddenUnits: [6], activation: 'relu', output: 'logit' },
    encoding: { schemaId: schema.id, featureHash: featureHash(des, false), numFeatures, includeSensitive: false, stats, spec: null },
    ...(features === 'omit' ? {} : { features }),
    round: 3, roundsCompleted: 3, roundsTotal: 3, jobStatus: 'completed', metrics: {}, privacy: privacyStatement(undefined, []), exportedAt: new Date(0).toISOString(),
  };
  await writeModelPackage(dir, meta, initMlpWeights({ numFeatures, hiddenUnits: [6], activation: 'relu' }, seededRandom('predict-fraud-model')));
}

const scoresOf = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n').slice(1);

describe('fedfin predict with the feature step', () => {
  const tmp = useScratchDir('fedfin-predict-fraud-');
  const rows = transactions(300, 'tx');
  let v1Model = '';
  const setup = async () => {
    v1Model = join(tmp.path, 'model-v1');
    await modelFor(v1Model, TRANSACTION_V1);
    return { data: tmp.file('tx.csv', csv(rows, (c) => c)) };
  };

  it('scores a custom schema with other field names (roles) exactly as transaction.v1, writing only row and score', async () => {
    expect(featureConfigFor(CARDS)).toMatchObject({ account: 'acct_ref', timestamp: 'booked_at', amount: 'amt_eur', novelty: ['mcc', 'merch_ctry', 'device_fp'] });
    const { data } = await setup();
    const out = join(tmp.path, 'v1.csv');
    const s = await predictFile({ modelDir: v1Model, data, out });
    expect(s).toMatchObject({ scored: 300, rejected: 0, featureStep: 'transaction-history v1', task: 'fraud-detection' });
    const cardsModel = join(tmp.path, 'model-cards');
    await modelFor(cardsModel, CARDS);
    const schemaFile = tmp.file('cards.json', JSON.stringify(schemaToJson(CARDS)));
    const cardsData = tmp.file('cards.csv', csv(rows, (c) => RENAME[c]!));
    const out2 = join(tmp.path, 'cards-scores.csv');
    await predictFile({ modelDir: cardsModel, data: cardsData, out: out2, schema: schemaFile });
    const a = scoresOf(out);
    expect(scoresOf(out2)).toEqual(a);
    expect(a.every((l) => /^\d+,[0-9.e-]+$/.test(l))).toBe(true);
    expect(new Set(a.map((l) => l.split(',')[1])).size).toBeGreaterThan(10);
    await expect(predictFile({ modelDir: cardsModel, data: cardsData, out: join(tmp.path, 'x.csv') })).rejects.toThrow('custom schema cards.v2: pass its file with --schema');
  });

  it('never lets a later row change an earlier row\'s score (history from the file\'s earlier rows only), and reads packages without the record', async () => {
    const { data } = await setup();
    const base = join(tmp.path, 'base.csv');
    await predictFile({ modelDir: v1Model, data, out: base });
    const later = transactions(40, 'later').map((r) => ({ ...r, timestamp: new Date(Date.parse(String(r.timestamp)) + 30 * 86_400_000).toISOString() }));
    const extended = join(tmp.path, 'ext.csv');
    await predictFile({ modelDir: v1Model, data: tmp.file('tx-ext.csv', csv([...rows, ...later], (c) => c)), out: extended });
    expect(scoresOf(extended).slice(0, 300)).toEqual(scoresOf(base));
    // An earlier row removed does change later ones: the features really come from the history.
    const shortened = join(tmp.path, 'short.csv');
    await predictFile({ modelDir: v1Model, data: tmp.file('tx-short.csv', csv(rows.slice(1), (c) => c)), out: shortened });
    expect(scoresOf(shortened).map((l) => l.split(',')[1])).not.toEqual(scoresOf(base).slice(1).map((l) => l.split(',')[1]));
    const legacy = join(tmp.path, 'model-legacy');
    await modelFor(legacy, TRANSACTION_V1, 'omit');
    await predictFile({ modelDir: legacy, data, out: join(tmp.path, 'legacy.csv') });
    expect(scoresOf(join(tmp.path, 'legacy.csv'))).toEqual(scoresOf(base));
  });

  it('refuses a model whose feature step differs (roles, version, none), and a custom schema missing a role, naming them; nothing written', async () => {
    const { data } = await setup();
    const out = join(tmp.path, 'never.csv');
    const rec = featureStepRecord(TRANSACTION_V1)!;
    const cases: [ModelMetadata['features'], string][] = [
      [{ ...rec, account: 'transaction_id' }, 'role account: the model read field "transaction_id", this schema gives "account_id"'],
      [{ ...rec, version: 2 }, 'transaction-history v2, this fedfin computes transaction-history v1'],
      [null, 'the model was trained without engineered features'],
    ];
    for (const [features, message] of cases) {
      const dir = join(tmp.path, `bad-${String(features?.version)}-${String(features?.account)}`);
      await modelFor(dir, TRANSACTION_V1, features);
      await expect(predictFile({ modelDir: dir, data, out })).rejects.toThrow(message);
    }
    const noRoles = { ...schemaToJson(CARDS), roles: undefined };
    const schemaFile = tmp.file('cards-noroles.json', JSON.stringify(noRoles));
    await expect(predictFile({ modelDir: v1Model, data, out, schema: schemaFile })).rejects.toThrow('schema cards.v2 (kind transaction) has no field for role "account", "timestamp", "amount"');
    expect(existsSync(out)).toBe(false);
  });
});
