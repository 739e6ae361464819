/** market.v1 for `synthesize`: the five extract layouts, their mapping files, one bank's bars and the run's truth.json section. */
import type { ColumnMapping, MappingSpec } from '../../schema/mapping-spec.js';
import { dateParse, formatDate, formatNumber, mappingFor, numberMapping, type BankProfile, type BankShape, type ColumnSpec } from './bank-shapes.js';
import type { MarketRecord } from './synth-market.js';
import type { GeneratedBank } from './index.js';
import type { Sampler } from './sampling.js';
import { MARKET_MODEL, marketFactors, marketSignal, synthMarketBank, type MarketFactors } from './synth-market.js';
import { directionalHitRate } from './truth.js';

interface Layout {
  /** Headers for symbol, date, open, high, low, close, volume. */
  readonly headers: string;
  /** Prices in pence/cents (×100). */
  readonly minorUnits?: boolean;
  /** Volume in thousands of shares. */
  readonly volumeThousands?: boolean;
  /** An extra bank-internal column (header, value), listed under `ignore`. */
  readonly extra?: readonly [string, string];
}

const LAYOUTS: readonly Layout[] = [
  { headers: 'SYMBOL TRADE_DATE OPEN_PX HIGH_PX LOW_PX CLOSE_PX VOLUME', extra: ['CCY', 'EUR'] },
  { headers: 'wertpapier datum eroeffnung hoch tief schluss umsatz_stueck' },
  { headers: 'ticker date open_p high_p low_p close_p volume', minorUnits: true, extra: ['currency', 'GBX'] },
  { headers: 'code_valeur date_seance ouverture plus_haut plus_bas cloture volume' },
  { headers: 'simbolo fecha apertura maximo minimo cierre volumenMiles', volumeThousands: true },
];
const FIELDS = ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The market.v1 extract layout of one bank. */
export function marketShape(p: BankProfile): BankShape<MarketRecord> {
  const layout = LAYOUTS[p.archetype]!;
  const headers = layout.headers.split(' ');
  const columns: ColumnSpec<MarketRecord>[] = FIELDS.map((field, i) => {
    const header = headers[i]!;
    let format = (r: MarketRecord): string => String(r[field]);
    let mapping: ColumnMapping = { column: header };
    if (field === 'date') {
      format = (r) => formatDate(r.date, p.dateStyle);
      if (p.dateStyle !== 'YYYY-MM-DD') mapping = { column: header, parse: dateParse(p) };
    } else if (field === 'volume') {
      format = layout.volumeThousands ? (r) => formatNumber(r.volume / 1000, 3, p.decimal) : (r) => String(r.volume);
      mapping = numberMapping(p, header, layout.volumeThousands ? { convert: 'thousands-to-units', round: true } : {});
    } else if (field !== 'symbol') {
      format = layout.minorUnits ? (r) => String(Math.round(r[field] * 100)) : (r) => formatNumber(r[field], 2, p.decimal);
      mapping = numberMapping(p, header, layout.minorUnits ? { convert: 'cents-to-units' } : {});
    }
    return { header, format, field, mapping };
  });
  if (layout.extra) {
    const [header, value] = layout.extra;
    columns.push({ header, format: () => value });
  }
  return { columns, ...(layout.extra ? { ignore: [layout.extra[0]] } : {}) };
}

/** The mapping file of one bank's market extract. */
export function marketMapping(p: BankProfile): MappingSpec {
  return mappingFor('market.v1', p, marketShape(p), `bank-${p.index} daily bars (${p.locale}; delimiter "${p.delimiter}", decimal "${p.decimal}", dates ${p.dateStyle})`);
}

/** Generates one market bank; the shared factors come from the run seed so banks' series are correlated. */
export function marketBank(profile: BankProfile, rows: number, skew: number, rng: Sampler, factors: MarketFactors): GeneratedBank<MarketRecord> {
  const records = synthMarketBank(profile, rows, skew, factors, rng);
  const symbols = [...new Set(records.map((r) => r.symbol))];
  const oracle = marketOracle(records);
  return {
    profile,
    columns: marketShape(profile).columns,
    records,
    mapping: marketMapping(profile),
    truth: { rows, labelRate: null, symbols, firstDate: records[0]?.date ?? null, lastDate: MARKET_MODEL.endDate, oracleDirectionalAccuracy: directionalHitRate(oracle.predicted, oracle.realised) },
  };
}

/**
 * The generating process's own forecast (drift + `marketSignal` of the bars up to the day before)
 * and the realised log return, for every day of every symbol that has two earlier days.
 * @param records ordered by symbol then date, as `synthMarketBank` writes them.
 */
export function marketOracle(records: readonly MarketRecord[]): { predicted: number[]; realised: number[] } {
  const predicted: number[] = [];
  const realised: number[] = [];
  let start = 0;
  while (start < records.length) {
    let end = start;
    while (end < records.length && records[end]!.symbol === records[start]!.symbol) end++;
    const bars = records.slice(start, end);
    const logReturns = bars.map((b, d) => (d > 0 ? Math.log(b.close / bars[d - 1]!.close) : Number.NaN));
    const logVolumeChanges = bars.map((b, d) => (d > 0 ? Math.log((b.volume + 1) / (bars[d - 1]!.volume + 1)) : Number.NaN));
    for (let d = 2; d < bars.length; d++) {
      predicted.push(MARKET_MODEL.drift + marketSignal(logReturns, logVolumeChanges, d - 1));
      realised.push(logReturns[d]!);
    }
    start = end;
  }
  return { predicted, realised };
}

/** Shared factors for a run: as many business days as the longest series can need. */
export function runFactors(seed: number | string, rows: number): MarketFactors {
  return marketFactors(seed, rows);
}

/** The market part of truth.json: the factor model and its GARCH parameters. */
export function marketTruth(): Record<string, unknown> {
  return {
    label: null,
    model:
      'r[i,t] = drift + m[i,t] + bm_i * f_t + bs_i * ((1 - skew) * s_t + skew * s[a]_t) + k_a * e[i,t]; f, s, s[a], e GARCH(1,1) with Gaussian innovations; k_a = 1 + skew * (volMultiplier[a] - 1); ' +
      'm[i,t] = S * (continuation * tanh(x[i,t-1] / S) * tanh(v[i,t-1] / V) - reversal * tanh((x[i,t-1] + ... + x[i,t-K]) / (S * sqrt(K)))) with x = ln(C_t / C_{t-1}), v = ln((V_t + 1) / (V_{t-1} + 1)) of the published bars, S = signal.returnScale, V = signal.volumeScale, K = signal.reversalDays',
    oracle: 'perBank[].oracleDirectionalAccuracy: share of days whose direction drift + m[i,t] (the best forecast from the bars) gets right — the ceiling for any model',
    parameters: MARKET_MODEL,
    bayesAuc: null,
  };
}
