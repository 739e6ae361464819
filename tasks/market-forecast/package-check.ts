/** What differs between an exported market model and the windows this bank's data, schema and policy give: checked before any forecast. */
import type { DatasetSchema } from '../../schema/field.js';
import { marketSpecHash } from '../market-forecast.js';
import { marketFeatureHash, type MarketModelMetadata } from './package.js';
import { DAY_FEATURES } from './windows.js';

/** The market.v1 fields each day feature is computed from (symbol and date order the series). */
const NEEDED_BY: Readonly<Record<string, readonly string[]>> = {
  symbol: ['every window (series are per symbol)'],
  date: ['every window (series are in date order)'],
  open: ['logBody'],
  high: ['logRange'],
  low: ['logRange'],
  close: ['logReturn', 'logBody', 'the target'],
  volume: ['logVolumeChange'],
};

/**
 * Every difference, each naming its field: the schema; a bar field the policy dropped or generalised
 * (the windows need the raw values); the per-day features this fedfin computes against the model's;
 * window length and width against the model's shape; statistics and target scale; and the feature
 * and spec hashes recomputed from the metadata. Empty when the data can be windowed as the banks did.
 * @param raw the schema the data was mapped onto; @param desensitized the same after the bank's policy.
 */
export function marketPackageDifferences(meta: MarketModelMetadata, raw: DatasetSchema, desensitized: DatasetSchema): string[] {
  const out: string[] = [];
  const m = meta.market;
  if (raw.id !== meta.schema.id) out.push(`schema: the model was trained on ${meta.schema.id}, the data is ${raw.id}`);
  const kept = new Map(desensitized.fields.map((f) => [f.name, f]));
  for (const f of raw.fields) {
    const needs = NEEDED_BY[f.name];
    if (!needs) continue;
    const after = kept.get(f.name);
    if (!after) out.push(`${f.name}: dropped by the policy, but ${needs.join(', ')} needs it`);
    else if (after.type !== f.type) out.push(`${f.name}: generalised by the policy (${f.type} → ${after.type}), but ${needs.join(', ')} needs the raw value`);
  }
  if (m.features.join(',') !== DAY_FEATURES.join(',')) out.push(`features: the model reads ${m.features.join(', ')} per day, this fedfin computes ${DAY_FEATURES.join(', ')}`);
  const width = m.windowDays * m.features.length;
  if (meta.model.numFeatures !== width) out.push(`width: the model takes ${meta.model.numFeatures} inputs, windowDays ${m.windowDays} × ${m.features.length} features give ${width}`);
  if (meta.model.kind === 'lstm' && (meta.model.timesteps !== m.windowDays || meta.model.featuresPerStep !== m.features.length)) {
    out.push(`windowDays: the LSTM reads ${meta.model.timesteps} steps of ${meta.model.featuresPerStep}, the package says ${m.windowDays} days of ${m.features.length}`);
  }
  const stats = meta.encoding.stats;
  for (const f of DAY_FEATURES) if (!stats[f]) out.push(`${f}: the model has no standardisation statistics for it`);
  if (stats['logReturn'] && stats['logReturn'].std !== m.target.scale) out.push(`target.scale: ${m.target.scale} is not the logReturn std ${stats['logReturn'].std}`);
  if (marketFeatureHash(m) !== meta.encoding.featureHash) {
    out.push(`featureHash: windowDays ${m.windowDays} and holdoutFraction ${m.holdoutFraction} do not hash to the federation's feature hash ${meta.encoding.featureHash.slice(0, 12)}… (the package was edited, or made by another fedfin version)`);
  } else if (marketSpecHash(m, stats) !== m.specHash) {
    out.push(`specHash: the statistics in the package are not the ones the banks standardised with`);
  }
  return out;
}
