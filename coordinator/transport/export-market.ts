/** ExportModel for market-forecast jobs: the regression model's metadata (LSTM or MLP), window and feature config, target scale, privacy per window. */
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type { Weights } from '../../common/weights.js';
import { parseEncodingStats } from '../../schema/encoding-stats.js';
import { canonicalJson } from '../../schema/encoding.js';
import { parseJobSpec } from '../../schema/job-spec.js';
import { resolveSchema } from '../../schema/registry.js';
import { marketSpecHash } from '../../tasks/market-forecast.js';
import { marketFeatureHash, marketPrivacyStatement, type MarketModelMetadata } from '../../tasks/market-forecast/package.js';
import { DAY_FEATURES, FEATURES_PER_STEP } from '../../tasks/market-forecast/windows.js';
import { PACKAGE_VERSION, type BankSpend } from '../../tasks/model-package.js';
import { isLstm, modelTemplate } from '../../tasks/models/model-spec.js';
import { getTask } from '../../tasks/registry.js';
import type { JobRecord, Store } from '../store/store.js';
import { lastPerBank } from './admin-ops-service.js';
import { RpcError } from './status.js';

/**
 * The metadata of a market-forecast export. The coordinator holds everything `fedfin predict` needs:
 * the job's forecast settings, the pooled day-feature statistics (standardisation and the target
 * scale) and the feature hash every bank reported, which is recomputed here from the settings so a
 * package can never describe windows other than the ones the banks trained on.
 * @throws RpcError(FAILED_PRECONDITION) when the statistics, feature hash or checkpoint do not fit the job.
 */
export async function marketExportMetadata(store: Store, job: JobRecord, round: number, now: Date): Promise<MarketModelMetadata> {
  const spec = parseJobSpec(job.specJson, `job spec of ${job.jobId}`);
  const schema = resolveSchema(spec.schema);
  const fail = (why: string): never => {
    throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${job.jobId} (market-forecast) cannot be exported: ${why}`);
  };
  if (!job.encodingStatsJson || !job.featureHash) return fail('it has no encoding statistics yet');
  const stats = parseEncodingStats(JSON.parse(job.encodingStatsJson), `encoding stats of ${job.jobId}`);
  const f = spec.forecast;
  const missing = DAY_FEATURES.filter((n) => stats[n] === undefined);
  if (missing.length > 0) fail(`its encoding statistics lack ${missing.join(', ')}`);
  const featureHash = marketFeatureHash(f);
  if (featureHash !== job.featureHash) fail(`the banks' feature hash ${job.featureHash.slice(0, 12)}… is not the hash of its forecast settings (${featureHash.slice(0, 12)}…)`);
  const numFeatures = f.windowDays * FEATURES_PER_STEP;
  const ms = getTask('market-forecast').modelSpec(spec, numFeatures);
  const shapes = (w: Weights) => w.map((t) => `${t.name}[${t.shape.join('x')}]`).join(', ');
  const latest = await store.latestCheckpoint(job.jobId);
  if (!latest || shapes(latest.weights) !== shapes(modelTemplate(ms))) fail(`its checkpoint (${latest ? shapes(latest.weights) : 'none'}) is not the job's model (${shapes(modelTemplate(ms))})`);
  const model: MarketModelMetadata['model'] = isLstm(ms)
    ? { kind: 'lstm', numFeatures, timesteps: ms.timesteps, featuresPerStep: ms.featuresPerStep, units: ms.units, output: 'scaled-return' }
    : { kind: 'mlp', numFeatures, hiddenUnits: [...ms.hiddenUnits], activation: ms.activation, output: 'scaled-return' };
  const ledger = (await store.ledger({ jobId: job.jobId })).filter((e) => e.round <= round);
  const spends: BankSpend[] = [...lastPerBank(ledger).values()].map((b) => ({ memberId: b.last.memberId, epsilon: b.last.epsilonTotal, rounds: b.rounds, noiseMultiplier: b.last.noiseMultiplier }));
  const dp = spec.privacy.mode === 'dp-sgd' ? { delta: spec.privacy.delta, maxEpsilon: spec.privacy.maxEpsilon, clippingNorm: spec.privacy.clippingNorm } : undefined;
  const metrics = (await store.listRounds(job.jobId)).find((r) => r.round === round)?.metrics ?? {};
  return {
    format: 'fedfin-model',
    version: PACKAGE_VERSION,
    jobId: job.jobId,
    jobName: job.name,
    task: 'market-forecast',
    schema: { id: schema.id, hash: createHash('sha256').update(canonicalJson(schema)).digest('hex') },
    model,
    encoding: { schemaId: schema.id, featureHash: job.featureHash, numFeatures, includeSensitive: spec.encoding.includeSensitive, stats: { ...stats }, spec: null },
    market: {
      windowDays: f.windowDays,
      holdoutFraction: f.holdoutFraction,
      maxMissingWeekdays: f.maxMissingWeekdays,
      costBps: f.costBps,
      features: [...DAY_FEATURES],
      target: { kind: 'next-day-log-return', scale: stats['logReturn']!.std, centred: false },
      specHash: marketSpecHash(f, stats),
    },
    round,
    roundsCompleted: job.roundsDone,
    roundsTotal: job.roundsTotal,
    jobStatus: job.status,
    metrics: { ...metrics },
    privacy: marketPrivacyStatement(dp, spends, f.windowDays),
    exportedAt: now.toISOString(),
  };
}
