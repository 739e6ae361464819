/** `fedfin predict` for market-forecast models: the bank's file → per-symbol series → the job's windows → next-day return forecasts, with RMSE and direction where the next day is known. */
import type { LayersModel } from '@tensorflow/tfjs';
import { AtomicWriter } from '../common/atomic-file.js';
import { FedfinError } from '../common/errors.js';
import { cryptoRandom } from '../common/random.js';
import { pinPolicyLevels } from '../client/data/local-data.js';
import { readAcceptedRecords, readMappingFile, type RejectSite } from '../client/data/read-records.js';
import { createRowPlan, desensitizedSchema, desensitizeRecord, loadKeyFile, loadPolicy, MIN_KEY_BYTES, resolvePolicy } from '../privacy/desensitize/index.js';
import { parseEncodingStats } from '../schema/encoding-stats.js';
import { resolveSchema } from '../schema/registry.js';
import { scoringWindows, type ScoringWindows } from '../tasks/market-forecast/forecast-windows.js';
import { marketPackageDifferences } from '../tasks/market-forecast/package-check.js';
import type { MarketModelMetadata } from '../tasks/market-forecast/package.js';
import { regressionMetrics, regressionSums } from '../tasks/market-forecast/regression-metrics.js';
import { loadSeries, type SymbolSeries } from '../tasks/market-forecast/series.js';
import { loadLayersModelDir, predictLogits } from '../tasks/model-artifacts.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import { csvCell } from './data-desensitize.js';
import type { PredictOptions } from './predict.js';

/** RMSE, MAE and direction over windows whose next day is known; the backtest too for the job's holdout. */
export interface ForecastAccuracy {
  readonly windows: number;
  readonly rmse: number;
  readonly mae: number;
  readonly directionalAccuracy: number;
  readonly sharpe?: number;
  readonly annualReturn?: number;
  readonly maxDrawdown?: number;
  readonly turnover?: number;
  readonly buyHoldSharpe?: number;
}

/** One symbol's forecast for the day after its last bar. */
export interface LatestForecast {
  readonly symbol: string;
  readonly date: string;
  readonly predictedReturn: number;
  readonly direction: 'up' | 'down';
}

/** Counts and accuracy of a market forecasting run. */
export interface MarketPredictSummary {
  readonly task: 'market-forecast';
  readonly model: string;
  readonly jobId: string;
  readonly round: number;
  readonly out: string;
  readonly rowsRead: number;
  readonly rejected: number;
  readonly firstRejects: readonly RejectSite[];
  readonly symbols: number;
  /** Rows written: every window with a known next day plus one forecast per symbol. */
  readonly windows: number;
  readonly forecasts: readonly LatestForecast[];
  /** Over every window with a known next day (train and holdout periods). */
  readonly known: ForecastAccuracy;
  /** Over the job's holdout windows only: what the federation's evaluation measured on this data. */
  readonly holdout: ForecastAccuracy;
  readonly featureHash: string;
  readonly specHash: string;
}

/** Accuracy of the windows whose split is in `splits` (regressionSums over them, symbol-grouped and date-ordered as built). */
function accuracy(w: ScoringWindows, predicted: Float64Array, splits: readonly string[], costBps: number, backtest: boolean): ForecastAccuracy {
  const ex: { symbol: number; date: string; predicted: number; realised: number }[] = [];
  for (let i = 0; i < w.numWindows; i++) if (splits.includes(w.split[i]!)) ex.push({ symbol: w.symbolIndex[i]!, date: w.targetDates[i]!, predicted: predicted[i]!, realised: w.realised[i]! });
  if (ex.length === 0) return { windows: 0, rmse: Number.NaN, mae: Number.NaN, directionalAccuracy: Number.NaN };
  const m = regressionMetrics(regressionSums(ex, costBps));
  const base = { windows: ex.length, rmse: m['rmse']!, mae: m['mae']!, directionalAccuracy: m['directionalAccuracy']! };
  if (!backtest) return base;
  return { ...base, sharpe: m['sharpe']!, annualReturn: m['annualReturn']!, maxDrawdown: m['maxDrawdown']!, turnover: m['turnover']!, buyHoldSharpe: m['buyHoldSharpe']! };
}

/** The bank's bars as the daemon reads them: mapped, validated, desensitised with its policy (or the schema's defaults). */
async function readBars(meta: MarketModelMetadata, o: PredictOptions): Promise<{ series: SymbolSeries[]; rowsRead: number; rejected: number; firstRejects: readonly RejectSite[] }> {
  const schema = resolveSchema(o.schema ?? meta.schema.id);
  const mapping = o.mapping === undefined ? undefined : readMappingFile(o.mapping);
  if (mapping && mapping.schema !== schema.id) throw new FedfinError('mapping-invalid', `mapping ${o.mapping}: maps onto schema ${mapping.schema}, but the model's data is ${schema.id}`);
  const policy = pinPolicyLevels(o.policy ? loadPolicy(o.policy, schema) : resolvePolicy({ schema: schema.id, domain: 'fedfin-predict' }, schema, 'default policy'));
  const key = o.key ? loadKeyFile(o.key) : new Uint8Array(MIN_KEY_BYTES);
  if (!o.key) cryptoRandom().fill(key); // pseudonyms never enter a window
  try {
    const plan = createRowPlan(schema, policy, key);
    const diffs = marketPackageDifferences(meta, schema, desensitizedSchema(schema, policy, plan.levels));
    if (diffs.length > 0) {
      throw new FedfinError('encoding-mismatch', `${o.data}: cannot build the windows of model ${meta.jobId}; differing: ${diffs.join('; ')}. Use the schema, mapping and desensitisation policy the bank trained with.`);
    }
    const read = await readAcceptedRecords(o.data, schema, mapping, undefined);
    if (read.records.length === 0) throw new FedfinError('data-invalid', `${o.data}: no row can be used (${read.rowsRead} read, ${read.rejected} rejected)`);
    const series = loadSeries(read.records.map((r) => desensitizeRecord(r, plan)), meta.market.maxMissingWeekdays, o.data);
    return { series, rowsRead: read.rowsRead, rejected: read.rejected, firstRejects: read.firstRejects };
  } finally {
    key.fill(0);
  }
}

/**
 * Forecasts with a market model: every window of the job's train and holdout periods (next day
 * known: its realised return is written too) and each symbol's latest window, the actual forecast.
 * Writes `symbol,date,targetDate,predictedReturn,direction,realisedReturn,split` atomically: `date`
 * is the window's last day, `targetDate` the next bar's (empty for a forecast), returns are log returns.
 * @throws FedfinError('encoding-mismatch') naming the differing field before any row is read;
 *   FedfinError('data-invalid') listing duplicated dates and gaps by symbol and date, or when no
 *   symbol has windowDays + 1 days; FileError for missing files.
 */
export async function predictMarketFile(meta: MarketModelMetadata, o: PredictOptions): Promise<MarketPredictSummary> {
  const bars = await readBars(meta, o);
  const m = meta.market;
  const w = scoringWindows(bars.series, m.windowDays, m.holdoutFraction, parseEncodingStats(meta.encoding.stats, `encoding stats of the model ${meta.jobId}`));
  if (w.numWindows === 0) throw new FedfinError('data-invalid', `${o.data}: no symbol has the ${m.windowDays + 1} days a ${m.windowDays}-day window needs`);
  let model: LayersModel | undefined;
  let writer: AtomicWriter | undefined;
  try {
    await initTfBackend();
    model = await loadLayersModelDir(o.modelDir);
    const outputs = predictLogits(model, w.features, w.numFeatures);
    const predicted = Float64Array.from(outputs, (v) => v * w.targetScale);
    writer = new AtomicWriter(o.out);
    let text = 'symbol,date,targetDate,predictedReturn,direction,realisedReturn,split\n';
    const forecasts: LatestForecast[] = [];
    for (let i = 0; i < w.numWindows; i++) {
      const symbol = bars.series[w.symbolIndex[i]!]!.symbol;
      const direction = predicted[i]! > 0 ? 'up' : 'down';
      const known = w.targetDates[i] !== null;
      text += `${csvCell(symbol)},${w.asOfDates[i]},${w.targetDates[i] ?? ''},${predicted[i]!.toPrecision(7)},${direction},${known ? w.realised[i]!.toPrecision(7) : ''},${w.split[i]}\n`;
      if (!known) forecasts.push({ symbol, date: w.asOfDates[i]!, predictedReturn: predicted[i]!, direction });
      if (text.length > 1 << 18) {
        await writer.write(text);
        text = '';
      }
    }
    await writer.write(text);
    await writer.commit();
    writer = undefined;
    return {
      task: 'market-forecast', model: o.modelDir, jobId: meta.jobId, round: meta.round, out: o.out,
      rowsRead: bars.rowsRead, rejected: bars.rejected, firstRejects: bars.firstRejects, symbols: bars.series.length, windows: w.numWindows, forecasts,
      known: accuracy(w, predicted, ['train', 'holdout'], m.costBps, false),
      holdout: accuracy(w, predicted, ['holdout'], m.costBps, true),
      featureHash: meta.encoding.featureHash, specHash: m.specHash,
    };
  } finally {
    writer?.abort();
    model?.dispose();
  }
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');

/** The human summary of a market forecasting run. */
export function formatMarketPredict(s: MarketPredictSummary): string {
  const acc = (a: ForecastAccuracy) => (a.windows === 0 ? 'none' : `${a.windows} windows, RMSE ${a.rmse.toPrecision(4)}, direction ${pct(a.directionalAccuracy)}`);
  const lines = [
    `forecast ${s.symbols} symbols with job ${s.jobId} round ${s.round} → ${s.out} (${s.windows} windows)`,
    `next day known: ${acc(s.known)}`,
    `job holdout period: ${acc(s.holdout)}${s.holdout.sharpe === undefined || !Number.isFinite(s.holdout.sharpe) ? '' : `, long/flat Sharpe ${s.holdout.sharpe.toFixed(2)} (buy-and-hold ${s.holdout.buyHoldSharpe?.toFixed(2) ?? 'n/a'})`}`,
    ...s.forecasts.slice(0, 10).map((f) => `  ${f.symbol} after ${f.date}: ${f.direction} ${(100 * f.predictedReturn).toFixed(3)} %`),
  ];
  if (s.forecasts.length > 10) lines.push(`  … and ${s.forecasts.length - 10} more in ${s.out}`);
  if (s.rejected > 0) lines.push(`skipped ${s.rejected} rows that failed validation; first: ${s.firstRejects.map((r) => `row ${r.row} (${r.field})`).join(', ')}`);
  return lines.join('\n');
}
