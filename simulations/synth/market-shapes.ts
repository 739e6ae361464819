/** The five market.v1 extract layouts and their mapping files. */
import type { ColumnMapping, MappingSpec } from '../../schema/mapping-spec.js';
import { dateParse, formatDate, formatNumber, mappingFor, numberMapping, type BankProfile, type BankShape, type ColumnSpec } from './bank-shapes.js';
import type { MarketRecord } from './synth-market.js';

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
