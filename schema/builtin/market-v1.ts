/** `market.v1`: one daily price bar of one instrument; the forecasting task derives next-day returns from it. */
import { makeSchema, type DatasetSchema } from '../field.js';

const price = (name: string, description: string) =>
  ({ name, type: 'number', unit: 'price', description, required: true, min: 0, privacy: 'feature' }) as const;

/**
 * Market data is not personal data, so every field is a `feature`; a bank still keeps it local
 * because its positions and data licences are confidential. There is no label field: the
 * forecasting task computes the target (next-day return) from consecutive bars of one symbol, so
 * rows must be kept per symbol in date order. Prices carry unit `price` rather than a currency
 * because bars of several quote currencies may share a dataset; returns are unit-free.
 */
export const MARKET_V1: DatasetSchema = makeSchema({
  name: 'market',
  version: 1,
  kind: 'market',
  description: 'A daily OHLCV bar of one instrument (open, high, low, close, volume); no label field — the task derives next-day returns.',
  fields: [
    { name: 'symbol', type: 'string', description: 'Instrument ticker or identifier (e.g. ISIN or exchange ticker)', required: true, maxLength: 16, privacy: 'feature' },
    { name: 'date', type: 'date', description: 'Trading day (exchange local date)', required: true, privacy: 'feature' },
    price('open', 'Opening price of the day, in the instrument\'s quote currency'),
    price('high', 'Highest price of the day'),
    price('low', 'Lowest price of the day'),
    price('close', 'Closing price of the day (split- and dividend-adjusted where the source provides it)'),
    { name: 'volume', type: 'number', unit: 'shares', description: 'Number of shares or units traded that day', required: true, min: 0, privacy: 'feature' },
  ],
});
