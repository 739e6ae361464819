/** Tests of schema `roles`: validated against the fields and their types, and kept by the JSON round trip. */
import { describe, expect, it } from 'vitest';
import { TRANSACTION_V1 } from './builtin/transaction-v1.js';
import { parseSchemaJson, schemaToJson } from './registry.js';

const base = { ...schemaToJson(TRANSACTION_V1), name: 'cards', version: 1 };

describe('schema roles', () => {
  it('keeps roles through schemaToJson and parseSchemaJson, when every role names a field of a fitting type', () => {
    const s = parseSchemaJson(JSON.stringify({ ...base, roles: { account: 'account_id', timestamp: 'timestamp', amount: 'amount', device: 'device_id' } }), 'cards.json');
    expect(s.roles).toEqual({ account: 'account_id', timestamp: 'timestamp', amount: 'amount', device: 'device_id' });
    expect(parseSchemaJson(JSON.stringify(schemaToJson(s)), 'round-trip')).toEqual(s);
  });

  it('refuses a role naming no field, a field of the wrong type and an unknown role, naming each', () => {
    const bad = (roles: Record<string, string>) => () => parseSchemaJson(JSON.stringify({ ...base, roles }), 'cards.json');
    expect(bad({ account: 'acct' })).toThrow('role account: "acct" is not a field');
    expect(bad({ timestamp: 'amount' })).toThrow('role timestamp: field "amount" is number, expected timestamp');
    expect(bad({ amount: 'channel' })).toThrow('role amount: field "channel" is category, expected number or integer');
    expect(bad({ merchant: 'merchant_country' })).toThrow(/merchant/);
  });
});
