/** `transaction.v1`: one card transaction, with the identifiers a card-processing extract carries and the fraud label. */
import { makeSchema, type DatasetSchema } from '../field.js';

/** The ISO 4217 codes `currency` accepts: the ten most common in European card traffic. */
export const TRANSACTION_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'JPY'] as const;

/** Where the transaction was initiated. */
export const TRANSACTION_CHANNELS = ['pos', 'online', 'atm', 'mobile', 'phone'] as const;

/**
 * Field order is the canonical order (CSV column order of `data synth` output and of encodings).
 *
 * `account_id` is a direct identifier, yet fraud models need per-account history (velocity features
 * such as "transactions in the last hour"). Desensitisation replaces it with a keyed HMAC pseudonym,
 * which keeps one account's rows linkable inside the bank while the raw id never leaves it; the
 * velocity features are computed locally before encoding. `amount` is in EUR whatever `currency`
 * says: the bank converts at booking rate in its mapping, and `currency` stays as a feature.
 */
export const TRANSACTION_V1: DatasetSchema = makeSchema({
  name: 'transaction',
  version: 1,
  kind: 'transaction',
  description: 'A card transaction: when, how much, where and through which channel, the fraud label, and the identifiers needed for per-account history.',
  label: 'fraud',
  fields: [
    { name: 'transaction_id', type: 'string', description: 'Processor or bank transaction reference', required: false, maxLength: 64, privacy: 'direct-identifier' },
    { name: 'account_id', type: 'string', description: 'Card account reference; pseudonymised with a keyed HMAC so per-account velocity features still work', required: false, maxLength: 64, privacy: 'direct-identifier' },
    { name: 'card_number', type: 'string', description: 'Primary account number (PAN), possibly masked; never a model input', required: false, maxLength: 32, privacy: 'direct-identifier' },
    { name: 'customer_name', type: 'string', description: 'Cardholder name', required: false, maxLength: 200, privacy: 'direct-identifier' },
    { name: 'timestamp', type: 'timestamp', description: 'Authorisation time, ISO-8601 with offset (time of day and recency are features after generalisation)', required: true, privacy: 'quasi-identifier' },
    { name: 'amount', type: 'number', unit: 'EUR', description: 'Transaction amount converted to EUR at the booking rate', required: true, min: 0, max: 10_000_000, privacy: 'feature' },
    { name: 'currency', type: 'category', description: 'ISO 4217 code of the original transaction currency', required: false, categories: [...TRANSACTION_CURRENCIES], privacy: 'feature' },
    { name: 'merchant_category_code', type: 'string', description: 'ISO 18245 merchant category code (MCC), four digits, e.g. 5411 for grocery stores', required: true, maxLength: 4, privacy: 'feature' },
    { name: 'merchant_country', type: 'string', description: 'ISO 3166-1 alpha-2 country of the merchant, e.g. DE', required: false, maxLength: 2, privacy: 'feature' },
    { name: 'channel', type: 'category', description: 'Where the transaction was initiated: card-present terminal, e-commerce, cash machine, mobile wallet or telephone order', required: true, categories: [...TRANSACTION_CHANNELS], privacy: 'feature' },
    { name: 'card_present', type: 'boolean', description: 'The physical card (chip or contactless) was read', required: false, privacy: 'feature' },
    { name: 'device_id', type: 'string', description: 'Device fingerprint or terminal-side device reference (links sessions: generalised or pseudonymised)', required: false, maxLength: 128, privacy: 'quasi-identifier' },
    { name: 'customer_postcode', type: 'string', description: 'Postal code of the cardholder\'s billing address', required: false, maxLength: 16, privacy: 'quasi-identifier' },
    { name: 'fraud', type: 'integer', description: 'Label: 1 if the transaction was confirmed fraudulent (chargeback or fraud report), else 0', required: true, min: 0, max: 1, privacy: 'label' },
  ],
});
