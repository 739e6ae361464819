/** Tests of the naming and identifier rules behind `schema infer`. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fieldNamesFor, hintFromName, piiPatternOf, toSnakeCase } from './infer-names.js';

describe('toSnakeCase', () => {
  it('converts spaced, camel, accented and symbol-laden headers, when given typical bank column names', () => {
    expect(toSnakeCase('Credit Amount', 1)).toBe('credit_amount');
    expect(toSnakeCase('creditAmount', 1)).toBe('credit_amount');
    expect(toSnakeCase('IBANNumber', 1)).toBe('iban_number');
    expect(toSnakeCase('Größe (cm)', 1)).toBe('grosse_cm');
    expect(toSnakeCase('  Kunden-Nr. ', 1)).toBe('kunden_nr');
    expect(toSnakeCase('2nd applicant', 1)).toBe('col_2nd_applicant');
    expect(toSnakeCase('%%', 7)).toBe('column_7');
  });

  it('always yields a valid unique snake_case field name, for any header', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 8 }), (header) => {
        const names = fieldNamesFor(header);
        expect(new Set(names).size).toBe(header.length);
        for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
      }),
      { numRuns: 300 },
    );
  });

  it('suffixes repeated names in order, when two headers map to the same name', () => {
    expect(fieldNamesFor(['Amount', 'amount', 'AMOUNT'])).toEqual(['amount', 'amount_2', 'amount_3']);
  });
});

describe('hintFromName', () => {
  it('flags identifier names, when the name ends in id or names an IBAN, SSN, passport or birth date', () => {
    for (const n of ['id', 'customer_id', 'iban', 'payer_iban', 'ssn', 'national_id', 'passport_no', 'dob', 'date_of_birth', 'account_number', 'account'])
      expect(hintFromName(n)?.kind, n).toBe('identifier');
  });

  it('keeps ordinary names unflagged, when "account" or "card" is only part of a feature name', () => {
    for (const n of ['checking_account_status', 'card_present', 'has_credit_card', 'credit_amount', 'purpose', 'idle_days'])
      expect(hintFromName(n), n).toBeUndefined();
  });

  it('separates personal, sensitive and quasi-identifier names, when names mention them', () => {
    expect(hintFromName('email')?.kind).toBe('personal');
    expect(hintFromName('customer_name')?.kind).toBe('personal');
    expect(hintFromName('telephone')?.kind).toBe('personal');
    expect(hintFromName('personal_status_sex')?.kind).toBe('sensitive');
    expect(hintFromName('gender')?.kind).toBe('sensitive');
    expect(hintFromName('age_years')?.kind).toBe('quasi-identifier');
    expect(hintFromName('postcode')?.kind).toBe('quasi-identifier');
    expect(hintFromName('birth_year')?.kind).toBe('quasi-identifier');
  });
});

describe('piiPatternOf', () => {
  it('recognises emails, checksum-valid IBANs, Luhn-valid card numbers and formatted phone numbers', () => {
    expect(piiPatternOf('anna.schmidt@example.de')).toBe('email');
    expect(piiPatternOf('DE89 3704 0044 0532 0130 00')).toBe('iban');
    expect(piiPatternOf('GB82WEST12345698765432')).toBe('iban');
    expect(piiPatternOf('4111 1111 1111 1111')).toBe('card');
    expect(piiPatternOf('+49 30 1234567')).toBe('phone');
    expect(piiPatternOf('(030) 123-4567')).toBe('phone');
  });

  it('rejects look-alikes, when a checksum fails or the value is a plain number or date', () => {
    expect(piiPatternOf('DE89370400440532013001')).toBeUndefined();
    expect(piiPatternOf('4111111111111112')).toBeUndefined();
    expect(piiPatternOf('1234567')).toBeUndefined();
    expect(piiPatternOf('2024-05-17')).toBeUndefined();
    expect(piiPatternOf('A11')).toBeUndefined();
    expect(piiPatternOf('not an email@')).toBeUndefined();
  });
});
