/** Tests of the built-in schemas and the registry: fixed field names, field model rules, JSON round trip. */
import { describe, expect, it } from 'vitest';
import { DatasetSchemaSchema, fieldOf } from './field.js';
import { BUILTIN_SCHEMAS, listBuiltinSchemas, parseSchemaJson, resolveSchema, schemaToJson } from './registry.js';
import { TRANSACTION_V1 } from './builtin/transaction-v1.js';
import { MARKET_V1 } from './builtin/market-v1.js';
import { FedfinError } from '../common/errors.js';

describe('built-in schemas', () => {
  it('keeps the agreed field names in the agreed order, for transaction.v1', () => {
    expect(TRANSACTION_V1.fields.map((f) => f.name)).toEqual([
      'transaction_id', 'account_id', 'card_number', 'customer_name', 'timestamp', 'amount', 'currency',
      'merchant_category_code', 'merchant_country', 'channel', 'card_present', 'device_id', 'customer_postcode', 'fraud',
    ]);
    expect(TRANSACTION_V1.label).toBe('fraud');
    expect(fieldOf(TRANSACTION_V1, 'fraud')).toMatchObject({ type: 'integer', min: 0, max: 1, required: true, privacy: 'label' });
    expect(fieldOf(TRANSACTION_V1, 'currency')?.categories).toEqual(['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'JPY']);
    expect(fieldOf(TRANSACTION_V1, 'channel')?.categories).toEqual(['pos', 'online', 'atm', 'mobile', 'phone']);
    expect(fieldOf(TRANSACTION_V1, 'merchant_category_code')).toMatchObject({ type: 'string', maxLength: 4, required: true });
    expect(fieldOf(TRANSACTION_V1, 'merchant_country')).toMatchObject({ type: 'string', maxLength: 2 });
    expect(fieldOf(TRANSACTION_V1, 'timestamp')).toMatchObject({ type: 'timestamp', required: true, privacy: 'quasi-identifier' });
    expect(fieldOf(TRANSACTION_V1, 'amount')).toMatchObject({ unit: 'EUR', min: 0, required: true });
  });

  it('keeps the agreed field names in the agreed order, for market.v1', () => {
    expect(MARKET_V1.fields.map((f) => f.name)).toEqual(['symbol', 'date', 'open', 'high', 'low', 'close', 'volume']);
    expect(MARKET_V1.label).toBeUndefined();
    expect(MARKET_V1.fields.every((f) => f.required && f.privacy === 'feature')).toBe(true);
    for (const n of ['open', 'high', 'low', 'close']) expect(fieldOf(MARKET_V1, n)).toMatchObject({ type: 'number', unit: 'price', min: 0 });
    expect(fieldOf(MARKET_V1, 'volume')).toMatchObject({ unit: 'shares', min: 0 });
  });

  it('declares a unit on every numeric non-label field and a bound or vocabulary where one applies, for every built-in', () => {
    for (const s of listBuiltinSchemas()) {
      for (const f of s.fields) {
        if ((f.type === 'number' || f.type === 'integer') && f.privacy !== 'label') expect(f.unit, `${s.id}.${f.name}`).toBeDefined();
        if (f.type === 'number' || f.type === 'integer') expect(f.min, `${s.id}.${f.name}`).toBeDefined();
        if (f.type === 'string') expect(f.maxLength, `${s.id}.${f.name}`).toBeDefined();
        if (f.type === 'category') expect(f.categories?.length, `${s.id}.${f.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('validates against the custom-schema zod schema and round-trips through parseSchemaJson, for every built-in', () => {
    for (const s of listBuiltinSchemas()) {
      const json = schemaToJson(s);
      expect(DatasetSchemaSchema.safeParse(json).success, s.id).toBe(true);
      expect(parseSchemaJson(JSON.stringify(json), s.id)).toEqual(s);
    }
  });
});

describe('registry', () => {
  it('lists the three built-ins sorted by id, when asked', () => {
    expect(listBuiltinSchemas().map((s) => s.id)).toEqual(['credit.v1', 'market.v1', 'transaction.v1']);
    expect(BUILTIN_SCHEMAS.size).toBe(3);
  });

  it('resolves built-in ids, and names the known ids when the id is unknown', () => {
    expect(resolveSchema('transaction.v1')).toBe(TRANSACTION_V1);
    expect(resolveSchema('market.v1')).toBe(MARKET_V1);
    expect(() => resolveSchema('market.v2')).toThrow(/unknown schema "market.v2".*credit.v1, transaction.v1, market.v1/);
    expect(() => resolveSchema('market.v2')).toThrow(FedfinError);
  });
});
