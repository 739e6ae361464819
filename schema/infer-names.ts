/** Column-name and value-pattern rules `schema infer` uses to name fields and to flag identifiers and protected attributes. */

/**
 * Converts a source column name to a snake_case field name: `Credit Amount` → `credit_amount`,
 * `creditAmount` → `credit_amount`, `Größe (cm)` → `grosse_cm`. A name that would not start with a
 * letter gets a `col_` prefix; an empty one becomes `column_<position>` (1-based).
 * @param column the header text as it appears in the file.
 * @param position 1-based column position, used only for empty headers.
 */
export function toSnakeCase(column: string, position: number): string {
  const ascii = column
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss');
  const snake = ascii
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (snake === '') return `column_${position}`;
  return /^[a-z]/.test(snake) ? snake : `col_${snake}`;
}

/**
 * Snake-case names for a whole header, made unique by suffixing `_2`, `_3` … in order of appearance.
 * @returns one field name per column, in column order.
 */
export function fieldNamesFor(columns: readonly string[]): string[] {
  const used = new Set<string>();
  return columns.map((c, i) => {
    const base = toSnakeCase(c, i + 1);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}

/** How a column name suggests it should be treated, with the reason shown to the reviewer. */
export interface NameHint {
  /**
   * - `identifier`: names a record or person outright (…_id, iban, ssn, passport, date of birth …).
   * - `personal`: holds personal data when the values are free-form (name, email, phone, address);
   *   flagged only when the values are not a handful of codes.
   * - `quasi-identifier` / `sensitive`: as in the field model.
   */
  readonly kind: 'identifier' | 'personal' | 'quasi-identifier' | 'sensitive';
  readonly reason: string;
}

const IDENTIFIER_NAMES: readonly [RegExp, string][] = [
  [/(^|_)(id|uuid|guid|key)$/, 'an id column'],
  [/(^|_)iban(_|$)/, 'an IBAN column'],
  [/(^|_)(account|acct|card)_(no|nr|num|number)$|^(account|acct)$/, 'an account or card number column'],
  [/(^|_)pan$/, 'a card number (PAN) column'],
  [/(^|_)(ssn|social_security|nin|nino|tax_id|tin|steuer_id)(_|$)/, 'a national or tax id column'],
  [/(^|_)national(_|$)/, 'a national id column'],
  [/(^|_)passport(_|$)/, 'a passport number column'],
  [/(^|_)(dob|date_of_birth|birth_date|birthdate|birthday)$/, 'a date of birth column'],
];
const PERSONAL_NAMES: readonly [RegExp, string][] = [
  [/(^|_)(e_?mail|mail)(_|$)/, 'an email column'],
  [/(^|_)(phone|telephone|tel|mobile|msisdn)(_|$)/, 'a phone number column'],
  [/(^|_)(address|street|addr)(_|$)/, 'a postal address column'],
  [/(^|_)(name|first_?name|last_?name|surname|forename|full_?name)$/, 'a person\'s name column'],
];
const SENSITIVE_TOKENS = new Set(['sex', 'gender', 'nationality', 'citizenship', 'ethnicity', 'ethnic', 'race', 'religion', 'foreign', 'health', 'disability']);
const QUASI_TOKENS = new Set(['age', 'zip', 'zipcode', 'postcode', 'postal', 'plz', 'region', 'city', 'town', 'district', 'county', 'municipality', 'marital', 'yob']);
const QUASI_PATTERNS: readonly RegExp[] = [/(^|_)birth_?year$/, /(^|_)year_of_birth$/];

/**
 * What a snake_case field name suggests. Identifier rules win over personal ones, sensitive over
 * quasi-identifier (`personal_status_sex` is sensitive).
 * @returns the hint, or undefined for an ordinary name.
 */
export function hintFromName(name: string): NameHint | undefined {
  for (const [re, what] of IDENTIFIER_NAMES) if (re.test(name)) return { kind: 'identifier', reason: `name looks like ${what}` };
  for (const [re, what] of PERSONAL_NAMES) if (re.test(name)) return { kind: 'personal', reason: `name looks like ${what}` };
  const tokens = name.split('_');
  const sensitive = tokens.find((t) => SENSITIVE_TOKENS.has(t));
  if (sensitive) return { kind: 'sensitive', reason: `name mentions "${sensitive}", a protected attribute` };
  const quasi = tokens.find((t) => QUASI_TOKENS.has(t)) ?? (QUASI_PATTERNS.some((re) => re.test(name)) ? 'birth year' : undefined);
  if (quasi) return { kind: 'quasi-identifier', reason: `name mentions "${quasi}", which identifies people in combination` };
  return undefined;
}

/** Personal-data value patterns checked on every text value. */
export type PiiPattern = 'email' | 'iban' | 'phone' | 'card';
export const PII_PATTERNS: readonly PiiPattern[] = ['email', 'iban', 'phone', 'card'];
export const PII_LABEL: Record<PiiPattern, string> = { email: 'email addresses', iban: 'IBANs', phone: 'phone numbers', card: 'card numbers (Luhn-valid)' };

const EMAIL = /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/;
const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;
const PHONE = /^(\+|00)?[\d\s().\-/]{7,22}$/;
const DATE_LIKE = /^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$/;

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
function ibanChecksumOk(iban: string): boolean {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The personal-data pattern a value matches, if any. IBANs must pass the mod-97 check and card
 * numbers the Luhn check; a phone number needs a `+`/`00` prefix or separators, so bare integers
 * (amounts, counts) are never taken for phone numbers.
 */
export function piiPatternOf(value: string): PiiPattern | undefined {
  if (EMAIL.test(value)) return 'email';
  const compact = value.replace(/[\s-]/g, '');
  if (IBAN.test(compact.toUpperCase()) && ibanChecksumOk(compact.toUpperCase())) return 'iban';
  if (/^\d{13,19}$/.test(compact) && luhnOk(compact)) return 'card';
  if (PHONE.test(value) && /^(\+|00)|[\s().\-/]/.test(value) && !DATE_LIKE.test(value)) {
    const digits = value.replace(/\D/g, '').length;
    if (digits >= 7 && digits <= 15) return 'phone';
  }
  return undefined;
}
