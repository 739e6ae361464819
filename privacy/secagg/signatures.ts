/** Ed25519 signatures (tweetnacl) over a member's advertised X25519 keys, so a coordinator cannot swap them. */
import nacl from 'tweetnacl';
import { assertBytes } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import { KeyInvalidError, SignatureInvalidError } from './errors.js';
import { X25519_KEY_BYTES } from './keys.js';
import { concatBytes, encodeMemberId, encodeRound, toMemberId, type MemberIdInput } from './member-id.js';
import { assertRandomSource } from '../math/guard.js';

/** Domain separation prefix of the signed advertisement. */
export const ADVERTISE_DOMAIN = 'fedfin/secagg/advertise';

/** An Ed25519 signing key pair (tweetnacl layout: 64-byte secret = seed ‖ public key). */
export interface SigningKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** What a member signs in AdvertiseKeys; the sid does not exist yet, so the round and id stand in for it. */
export interface Advertisement {
  readonly round: number;
  readonly memberId: MemberIdInput;
  readonly cPk: Uint8Array;
  readonly sPk: Uint8Array;
}

/**
 * A signing key pair from a 32-byte seed drawn from `rng` (the long-term identity key of a bank's daemon).
 * @param rng randomness for the seed (cryptoRandom() in production).
 * @returns the key pair.
 */
export function generateSigningKeyPair(rng: RandomSource): SigningKeyPair {
  assertRandomSource('generateSigningKeyPair', 'rng', rng);
  const seed = new Uint8Array(32);
  rng.fill(seed);
  return nacl.sign.keyPair.fromSeed(seed);
}

/**
 * The exact bytes signed: "fedfin/secagg/advertise" ‖ round(8B BE) ‖ memberId(8B BE) ‖ c_pk ‖ s_pk.
 * @param adv the advertisement.
 * @returns the message bytes.
 * @throws TypeError / RangeError for malformed fields; KeyInvalidError for a key that is not 32 bytes.
 */
export function advertisementMessage(adv: Advertisement): Uint8Array {
  if (typeof adv !== 'object' || adv === null) throw new TypeError(`advertisementMessage: "adv" expected {round, memberId, cPk, sPk}, got ${adv === null ? 'null' : typeof adv}`);
  const round = encodeRound('advertisementMessage', adv.round);
  const id = toMemberId('advertisementMessage', 'memberId', adv.memberId);
  for (const name of ['cPk', 'sPk'] as const) {
    assertBytes('advertisementMessage', name, adv[name]);
    if (adv[name].length !== X25519_KEY_BYTES) throw new KeyInvalidError(`advertisementMessage: "${name}" expected ${X25519_KEY_BYTES}-byte X25519 key, got ${adv[name].length} bytes`);
  }
  return concatBytes(new TextEncoder().encode(ADVERTISE_DOMAIN), round, encodeMemberId(id), adv.cPk, adv.sPk);
}

/**
 * Signs an advertisement with the member's Ed25519 secret key (`nacl.sign.detached`).
 * @param secretKey 64-byte tweetnacl secret key.
 * @param adv the advertisement.
 * @returns the 64-byte signature.
 */
export function signAdvertisement(secretKey: Uint8Array, adv: Advertisement): Uint8Array {
  assertBytes('signAdvertisement', 'secretKey', secretKey, nacl.sign.secretKeyLength);
  return nacl.sign.detached(advertisementMessage(adv), secretKey);
}

/**
 * Verifies an advertisement against the member's enrolled Ed25519 public key.
 * @param publicKey 32-byte Ed25519 public key (from enrolment, never from the same message).
 * @param adv the advertisement as received.
 * @param signature the 64-byte signature as received.
 * @throws SignatureInvalidError ('signature-invalid', naming member and round) when it does not verify,
 *   including a signature of the wrong length.
 */
export function verifyAdvertisement(publicKey: Uint8Array, adv: Advertisement, signature: Uint8Array): void {
  assertBytes('verifyAdvertisement', 'publicKey', publicKey, nacl.sign.publicKeyLength);
  assertBytes('verifyAdvertisement', 'signature', signature);
  const message = advertisementMessage(adv);
  const id = toMemberId('verifyAdvertisement', 'memberId', adv.memberId);
  if (signature.length !== nacl.sign.signatureLength || !nacl.sign.detached.verify(message, signature, publicKey)) {
    throw new SignatureInvalidError(id, adv.round);
  }
}
