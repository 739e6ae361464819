/** Every kind of exported model package (record-level classifier, market regressor): parse, read and write by the metadata's task. */
import { ConfigError, FedfinError } from '../common/errors.js';
import type { Weights } from '../common/weights.js';
import { writeMarketModelPackage } from './market-forecast/model-files.js';
import { MarketModelMetadataSchema, type MarketModelMetadata } from './market-forecast/package.js';
import { writeModelPackage } from './model-artifacts.js';
import { parseModelMetadata, readMetadataText, type ModelMetadata } from './model-package.js';

/** The metadata of any exported model; `task` tells the kinds apart. */
export type AnyModelMetadata = ModelMetadata | MarketModelMetadata;

/** True for a market-forecast package (an LSTM or MLP regressor over per-symbol windows). */
export function isMarketMetadata(meta: AnyModelMetadata): meta is MarketModelMetadata {
  return meta.task === 'market-forecast';
}

/**
 * Validates metadata JSON of any kind: a market-forecast package against its own schema, any other
 * task against the classifier schema (parseModelMetadata).
 * @throws ConfigError with zod's issues; FedfinError('config-invalid') for bad JSON.
 */
export function parseAnyModelMetadata(text: string, source: string): AnyModelMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FedfinError('config-invalid', `${source}: not valid JSON (${(err as Error).message})`);
  }
  if ((raw as { task?: unknown } | null)?.task !== 'market-forecast') return parseModelMetadata(text, source);
  const parsed = MarketModelMetadataSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  return parsed.data;
}

/**
 * Reads and validates `DIR/fedfin-model.json` of any kind.
 * @throws FileError naming a missing or unreadable file; as parseAnyModelMetadata.
 */
export function readAnyModelMetadata(dir: string): AnyModelMetadata {
  const { text, file } = readMetadataText(dir);
  return parseAnyModelMetadata(text, file);
}

/** Writes the model directory of either kind (weights.bin, model.json, fedfin-model.json last; each atomically). */
export async function writeAnyModelPackage(dir: string, meta: AnyModelMetadata, weights: Weights): Promise<{ files: string[]; bytes: number }> {
  return isMarketMetadata(meta) ? writeMarketModelPackage(dir, meta, weights) : writeModelPackage(dir, meta, weights);
}
