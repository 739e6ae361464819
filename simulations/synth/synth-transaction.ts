/** Synthetic transaction.v1 histories: per-account card activity over a time window with injected, labelled fraud episodes. */
import type { BankProfile } from './bank-shapes.js';
import { PiiGenerator } from './pii.js';
import { blend, roundTo, type Sampler } from './sampling.js';

/** One canonical transaction.v1 record plus the generator's bookkeeping (`pattern`, `ms`). */
export interface TransactionRecord {
  transaction_id: string;
  readonly account_id: string;
  readonly card_number: string;
  readonly customer_name: string;
  readonly timestamp: string;
  readonly amount: number;
  readonly currency: string;
  readonly merchant_category_code: string;
  readonly merchant_country: string;
  readonly channel: string;
  readonly card_present: boolean;
  readonly device_id: string;
  readonly customer_postcode: string;
  readonly fraud: number;
  /** Fraud pattern name, or null for a genuine transaction. */
  readonly pattern: FraudPattern | null;
  readonly ms: number;
}

/** The recognisable fraud patterns (documented in truth.json and docs/synthetic-data.md). */
export const FRAUD_PATTERNS = {
  'velocity-burst': '5–12 card-not-present online payments within 30 minutes, at a foreign merchant, from a new device',
  'test-then-large': '1–3 tiny online "test" payments (0.50–2 EUR), then within an hour one payment 10–30× the account\'s usual amount',
  'night-cnp': '2–4 online or phone payments between 00:00 and 05:00 UTC, 5–15× the usual amount, at a foreign merchant, new device',
  'atm-abroad': '2–5 ATM withdrawals of 200–500 EUR abroad within two hours (skimmed card, card present)',
  'amount-spike': 'one payment 20–50× the account\'s usual amount at a merchant in a new country',
} as const;
export type FraudPattern = keyof typeof FRAUD_PATTERNS;
const PATTERN_NAMES = Object.keys(FRAUD_PATTERNS) as FraudPattern[];

/** Fraud rate per archetype at skew 1; at skew 0 every bank has SHARED_FRAUD_RATE. */
export const FRAUD_RATE = { shared: 0.006, own: [0.004, 0.002, 0.008, 0.015, 0.01] } as const;
const CHANNELS = ['pos', 'online', 'atm', 'mobile', 'phone'] as const;
const CHANNEL_SHARED = [0.55, 0.25, 0.08, 0.1, 0.02];
const CHANNEL_OWN = [
  [0.45, 0.3, 0.05, 0.19, 0.01],
  [0.65, 0.15, 0.15, 0.04, 0.01],
  [0.5, 0.3, 0.06, 0.12, 0.02],
  [0.5, 0.25, 0.1, 0.1, 0.05],
  [0.6, 0.2, 0.1, 0.08, 0.02],
];
const MCC = ['5411', '5812', '5541', '5814', '5912', '5651', '5732', '5311', '4511', '7011', '5815', '4121', '5999', '5944', '7995', '4829'];
const MCC_WEIGHTS = [30, 12, 10, 10, 6, 6, 3, 6, 1, 1, 5, 3, 5, 0.5, 0.5, 1];
const CURRENCY_OF: Record<string, string> = { NL: 'EUR', DE: 'EUR', FR: 'EUR', ES: 'EUR', IT: 'EUR', GB: 'GBP', US: 'USD', CH: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK', PL: 'PLN', CZ: 'CZK', JP: 'JPY' };
const FOREIGN = ['US', 'GB', 'CH', 'SE', 'NO', 'DK', 'PL', 'CZ', 'JP', 'IT', 'DE', 'FR', 'ES', 'NL'];
/** Relative frequency of genuine transactions per UTC hour. */
const HOUR_WEIGHTS = [0.3, 0.15, 0.1, 0.1, 0.15, 0.3, 0.8, 1.5, 2.2, 2.5, 2.7, 3, 3.4, 3.1, 2.8, 2.8, 3, 3.3, 3.4, 3, 2.4, 1.8, 1.2, 0.6];
/** The window: 61 days, 2024-05-01 to 2024-06-30 (UTC). */
export const WINDOW = { start: Date.UTC(2024, 4, 1), days: 61 } as const;
const DAY_MS = 86_400_000;

interface Account {
  readonly id: string;
  readonly card: string;
  readonly name: string;
  readonly postcode: string;
  readonly device: string;
  readonly logAmount: number;
}

function luhnCard(prefix: string, rng: Sampler): string {
  const body = prefix + rng.chars('0123456789', 15 - prefix.length);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/**
 * Generates exactly `rows` transactions for one bank, sorted by time: genuine activity for ~rows/40
 * accounts plus fraud episodes until the bank's fraud rate is reached.
 */
export function synthTransactionBank(profile: BankProfile, rows: number, skew: number, rng: Sampler): TransactionRecord[] {
  const a = profile.archetype;
  const pii = new PiiGenerator(profile.locale, rng);
  const fraudRate = (1 - skew) * FRAUD_RATE.shared + skew * FRAUD_RATE.own[a]!;
  const channelWeights = blend(CHANNEL_SHARED, CHANNEL_OWN[a]!, skew);
  const home = profile.country;
  const amountShift = skew * [0, 0.3, -0.1, -0.2, 0.1][a]!;
  const nAcc = Math.max(1, Math.round(rows / 40));
  const accounts: Account[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < nAcc; i++) {
    accounts.push({
      id: `${profile.country}${profile.index}${String(i + 1).padStart(8, '0')}`,
      card: luhnCard(`4${profile.index % 10}${rng.chars('0123456789', 4)}`, rng),
      name: pii.name(),
      postcode: pii.postcode(),
      device: rng.chars('0123456789abcdef', 16),
      logAmount: Math.log(35) + amountShift + rng.normal(0, 0.6),
    });
    total += rng.logNormal(0, 0.8);
    cumulative.push(total);
  }
  const pickAccount = (): Account => {
    const u = rng.uniform() * total;
    let lo = 0;
    let hi = nAcc - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return accounts[lo]!;
  };
  const out: TransactionRecord[] = [];
  const make = (acc: Account, ms: number, amount: number, channel: string, mcc: string, country: string, device: string, pattern: FraudPattern | null): TransactionRecord => ({
    transaction_id: '',
    account_id: acc.id,
    card_number: acc.card,
    customer_name: acc.name,
    timestamp: new Date(ms).toISOString().slice(0, 19) + 'Z',
    amount: roundTo(Math.max(0.01, amount), 2),
    currency: CURRENCY_OF[country] ?? 'EUR',
    merchant_category_code: channel === 'atm' ? '6011' : mcc,
    merchant_country: country,
    channel,
    card_present: channel === 'pos' || channel === 'atm',
    device_id: device,
    customer_postcode: acc.postcode,
    fraud: pattern === null ? 0 : 1,
    pattern,
    ms,
  });
  const foreign = (): string => {
    for (;;) {
      const c = rng.choice(FOREIGN);
      if (c !== home) return c;
    }
  };
  const windowMs = WINDOW.days * DAY_MS;
  const nFraud = Math.round(rows * fraudRate);
  while (out.length < nFraud) {
    const acc = pickAccount();
    const pattern = rng.choice(PATTERN_NAMES, [0.3, 0.25, 0.2, 0.1, 0.15]);
    const usual = Math.exp(acc.logAmount);
    const t0 = WINDOW.start + rng.int(WINDOW.days - 1) * DAY_MS + rng.int(DAY_MS);
    const attacker = rng.chars('0123456789abcdef', 16);
    const episode: TransactionRecord[] = [];
    if (pattern === 'velocity-burst') {
      const n = 5 + rng.int(8);
      const c = foreign();
      for (let k = 0; k < n; k++) episode.push(make(acc, t0 + rng.int(30 * 60_000), rng.logNormal(Math.log(80), 0.5), 'online', rng.choice(['5999', '5732', '5815']), c, attacker, pattern));
    } else if (pattern === 'test-then-large') {
      const n = 1 + rng.int(3);
      for (let k = 0; k < n; k++) episode.push(make(acc, t0 + k * 60_000 * (1 + rng.int(5)), rng.between(0.5, 2), 'online', rng.choice(['5815', '5999']), home, attacker, pattern));
      episode.push(make(acc, t0 + (5 + rng.int(55)) * 60_000 + n * 300_000, usual * rng.between(10, 30), 'online', rng.choice(['5732', '5944']), home, attacker, pattern));
    } else if (pattern === 'night-cnp') {
      const n = 2 + rng.int(3);
      const night = t0 - (t0 % DAY_MS) + rng.int(5 * 3_600_000);
      const c = foreign();
      for (let k = 0; k < n; k++) episode.push(make(acc, night + rng.int(3_600_000), usual * rng.between(5, 15), rng.bernoulli(0.8) ? 'online' : 'phone', rng.choice(['5732', '5944', '4511', '7995']), c, attacker, pattern));
    } else if (pattern === 'atm-abroad') {
      const n = 2 + rng.int(4);
      const c = foreign();
      for (let k = 0; k < n; k++) episode.push(make(acc, t0 + rng.int(2 * 3_600_000), 10 * Math.round(rng.between(20, 50)), 'atm', '6011', c, acc.device, pattern));
    } else {
      const ch = rng.bernoulli(0.5) ? 'pos' : 'online';
      episode.push(make(acc, t0, usual * rng.between(20, 50), ch, rng.choice(['5732', '5944', '5311']), foreign(), ch === 'pos' ? acc.device : attacker, pattern));
    }
    for (const tx of episode.slice(0, nFraud - out.length)) out.push(tx);
  }
  for (let k = out.length; k < rows; k++) {
    const acc = pickAccount();
    const ms = WINDOW.start + rng.int(WINDOW.days) * DAY_MS + rng.choiceIndex(HOUR_WEIGHTS) * 3_600_000 + rng.int(3_600_000);
    const channel = CHANNELS[rng.choiceIndex(channelWeights)]!;
    const amount = channel === 'atm' ? 10 * Math.max(1, Math.round(rng.logNormal(Math.log(8), 0.6))) : rng.logNormal(acc.logAmount, 0.8);
    const country = rng.bernoulli(0.04) ? foreign() : home;
    out.push(make(acc, Math.min(ms, WINDOW.start + windowMs - 1000), amount, channel, rng.choice(MCC, MCC_WEIGHTS), country, acc.device, null));
  }
  out.sort((x, y) => x.ms - y.ms || (x.account_id < y.account_id ? -1 : x.account_id > y.account_id ? 1 : 0) || x.amount - y.amount);
  out.forEach((tx, i) => {
    tx.transaction_id = `T${profile.index}-${String(i + 1).padStart(9, '0')}`;
  });
  return out;
}
