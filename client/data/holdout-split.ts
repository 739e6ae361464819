/** The deterministic, secret train/holdout split: HMAC-SHA256 of the row index under the bank's key. */
import { createHmac } from 'node:crypto';
import { assertBytes, assertInRange, assertInt } from '../../common/assert.js';

const DOMAIN = 'fedfin/holdout/';
const TWO_POW_53 = 2 ** 53;

/**
 * Maps a row to a uniform number in [0, 1): the first 53 bits of HMAC-SHA256(key, "fedfin/holdout/" + row).
 * Keyed, so nobody without the bank's key can tell which rows are held out; stable across restarts.
 * @throws TypeError/RangeError for a non-byte key or a negative row.
 */
export function holdoutScore(key: Uint8Array, row: number): number {
  assertBytes('holdoutScore', 'key', key);
  assertInt('holdoutScore', 'row', row, 0);
  const mac = createHmac('sha256', key).update(`${DOMAIN}${row}`).digest();
  // 53 bits: the top 21 of the first word, all 32 of the second.
  const hi = mac.readUInt32BE(0) >>> 11;
  const lo = mac.readUInt32BE(4);
  return (hi * 4294967296 + lo) / TWO_POW_53;
}

/**
 * True when `row` belongs to the holdout split: holdoutScore(key, row) < fraction.
 * @param fraction share of rows held out, in [0, 1).
 */
export function isHoldoutRow(key: Uint8Array, row: number, fraction: number): boolean {
  assertInRange('isHoldoutRow', 'fraction', fraction, 0, 1, { hi: true });
  return holdoutScore(key, row) < fraction;
}
