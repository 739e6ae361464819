/** transaction.v1 for `synthesize`: the five extract layouts, their mapping files, one bank's records and the run's truth.json section. */
import type { ColumnMapping, MappingSpec } from '../../schema/mapping-spec.js';
import { boolMapping, formatNumber, mappingFor, numberMapping, type BankProfile, type BankShape, type ColumnSpec } from './bank-shapes.js';
import type { TransactionRecord } from './synth-transaction.js';
import type { GeneratedBank } from './index.js';
import { roundTo, type Sampler } from './sampling.js';
import { FRAUD_PATTERNS, FRAUD_RATE, WINDOW, synthTransactionBank } from './synth-transaction.js';

type Channel = 'pos' | 'online' | 'atm' | 'mobile' | 'phone';

interface Layout {
  /** Headers in canonical field order (see FIELDS). */
  readonly headers: string;
  readonly channels: Readonly<Record<Channel, string>>;
  /** Amount written in cents (integer) instead of EUR. */
  readonly cents?: boolean;
  /** How the ISO timestamp is written (all ISO-8601). */
  readonly timestamp: (iso: string) => string;
  /** How the 0/1 fraud label is written, with its code table. */
  readonly fraud: readonly [string, string];
}

const FIELDS = ['transaction_id', 'account_id', 'card_number', 'customer_name', 'timestamp', 'amount', 'currency', 'merchant_category_code', 'merchant_country', 'channel', 'card_present', 'device_id', 'customer_postcode', 'fraud'] as const;

const LAYOUTS: readonly Layout[] = [
  { headers: 'TXN_ID ACCT_NO PAN CARDHOLDER TXN_TS AMT_CENTS CCY MCC MERCH_CTRY CHANNEL CARD_PRESENT DEVICE POSTCODE FRAUD_FLAG', channels: { pos: 'P', online: 'O', atm: 'A', mobile: 'M', phone: 'T' }, cents: true, timestamp: (t) => t, fraud: ['Y', 'N'] },
  { headers: 'buchungs_id konto_nr kartennummer karteninhaber zeitstempel betrag waehrung mcc haendler_land kanal karte_vorhanden geraet_id plz betrug', channels: { pos: 'kasse', online: 'online', atm: 'geldautomat', mobile: 'mobil', phone: 'telefon' }, timestamp: (t) => t.replace('Z', '+00:00'), fraud: ['1', '0'] },
  { headers: 'transaction_id account_id card_number customer_name timestamp amount currency merchant_category_code merchant_country channel card_present device_id customer_postcode fraud', channels: { pos: 'pos', online: 'online', atm: 'atm', mobile: 'mobile', phone: 'phone' }, timestamp: (t) => t.replace('Z', '.000Z'), fraud: ['true', 'false'] },
  { headers: 'id_transaction id_compte numero_carte titulaire horodatage montant devise code_mcc pays_commercant canal carte_presente id_appareil code_postal fraude', channels: { pos: 'TPE', online: 'WEB', atm: 'DAB', mobile: 'MOB', phone: 'TEL' }, timestamp: (t) => t, fraud: ['1', '0'] },
  { headers: 'idTransaccion idCuenta numeroTarjeta titular fechaHora importe moneda codigoComercio paisComercio canal tarjetaPresente idDispositivo codigoPostal fraude', channels: { pos: '1', online: '2', atm: '3', mobile: '4', phone: '5' }, timestamp: (t) => t.replace('Z', '+00:00'), fraud: ['S', 'N'] },
];

/** The transaction.v1 extract layout of one bank. */
export function transactionShape(p: BankProfile): BankShape<TransactionRecord> {
  const layout = LAYOUTS[p.archetype]!;
  const headers = layout.headers.split(' ');
  const columns: ColumnSpec<TransactionRecord>[] = FIELDS.map((field, i) => {
    const header = headers[i]!;
    let format = (r: TransactionRecord): string => String(r[field]);
    let mapping: ColumnMapping = { column: header };
    if (field === 'timestamp') format = (r) => layout.timestamp(r.timestamp);
    else if (field === 'amount') {
      format = layout.cents ? (r) => String(Math.round(r.amount * 100)) : (r) => formatNumber(r.amount, 2, p.decimal);
      mapping = layout.cents ? { column: header, convert: 'cents-to-units' } : numberMapping(p, header);
    } else if (field === 'channel') {
      const codes = layout.channels;
      format = (r) => codes[r.channel as Channel];
      mapping = { column: header, codes: Object.fromEntries(Object.entries(codes).map(([c, code]) => [code, c])) };
    } else if (field === 'card_present') {
      format = (r) => (r.card_present ? p.bools[0] : p.bools[1]);
      mapping = boolMapping(p, header);
    } else if (field === 'fraud') {
      format = (r) => (r.fraud ? layout.fraud[0] : layout.fraud[1]);
      mapping = { column: header, codes: { [layout.fraud[0]]: 1, [layout.fraud[1]]: 0 } };
    }
    return { header, format, field, mapping };
  });
  return { columns };
}

/** The mapping file of one bank's transaction extract. */
export function transactionMapping(p: BankProfile): MappingSpec {
  return mappingFor('transaction.v1', p, transactionShape(p), `bank-${p.index} card transactions (${p.locale}; delimiter "${p.delimiter}", decimal "${p.decimal}")`);
}

/** Generates one transaction bank. */
export function transactionBank(profile: BankProfile, rows: number, skew: number, rng: Sampler): GeneratedBank<TransactionRecord> {
  const records = synthTransactionBank(profile, rows, skew, rng);
  const byPattern: Record<string, number> = Object.fromEntries(Object.keys(FRAUD_PATTERNS).map((k) => [k, 0]));
  let fraud = 0;
  const accounts = new Set<string>();
  for (const r of records) {
    accounts.add(r.account_id);
    if (r.pattern !== null) {
      fraud++;
      byPattern[r.pattern] = (byPattern[r.pattern] ?? 0) + 1;
    }
  }
  return {
    profile,
    columns: transactionShape(profile).columns,
    records,
    mapping: transactionMapping(profile),
    truth: { rows, labelRate: roundTo(fraud / rows, 6), fraudTransactions: fraud, fraudByPattern: byPattern, accounts: accounts.size, targetFraudRate: roundTo((1 - skew) * FRAUD_RATE.shared + skew * FRAUD_RATE.own[profile.archetype]!, 6) },
  };
}

/** The transaction part of truth.json: window, patterns and fraud-rate settings. */
export function transactionTruth(): Record<string, unknown> {
  return {
    label: 'fraud',
    window: { start: new Date(WINDOW.start).toISOString(), days: WINDOW.days },
    fraudPatterns: FRAUD_PATTERNS,
    fraudRate: { note: 'per bank: (1 - skew) * shared + skew * own[archetype]', ...FRAUD_RATE },
    bayesAuc: null,
    bayesAucNote: 'not computed for transactions: fraud is injected by pattern, so there is no closed-form per-row probability',
  };
}
