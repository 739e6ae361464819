/** Authenticated encryption of Shamir shares between two members: AES-256-GCM, AAD = sid ‖ sender ‖ recipient. */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { assertBytes } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import { DecryptionError } from './errors.js';
import { concatBytes, encodeMemberId, toMemberId, type MemberIdInput } from './member-id.js';
import { SESSION_ID_BYTES } from './session.js';
import { assertRandomSource } from '../math/guard.js';

/** GCM nonce length (random per box). */
export const SHARE_BOX_IV_BYTES = 12;
/** GCM tag length. */
export const SHARE_BOX_TAG_BYTES = 16;

/** Who sends a box to whom, in which session; all three are authenticated as AAD. */
export interface ShareBoxContext {
  readonly sid: Uint8Array;
  readonly sender: MemberIdInput;
  readonly recipient: MemberIdInput;
}

function aadOf(ctx: string, c: ShareBoxContext): { aad: Uint8Array; sender: bigint; recipient: bigint } {
  if (typeof c !== 'object' || c === null) throw new TypeError(`${ctx}: "context" expected {sid, sender, recipient}, got ${c === null ? 'null' : typeof c}`);
  assertBytes(ctx, 'context.sid', c.sid, SESSION_ID_BYTES);
  const sender = toMemberId(ctx, 'context.sender', c.sender);
  const recipient = toMemberId(ctx, 'context.recipient', c.recipient);
  if (sender === recipient) throw new RangeError(`${ctx}: "context.recipient" expected a member other than the sender, got ${recipient}`);
  return { aad: concatBytes(c.sid, encodeMemberId(sender), encodeMemberId(recipient)), sender, recipient };
}

/**
 * Encrypts a share bundle for one peer: IV(12) ‖ ciphertext ‖ tag(16). The key is
 * deriveKey(agree(c_sk, c_pk_peer), sid, 'enc', sender, recipient); both directions share it, which is safe
 * because the random IV differs per box and the AAD orders sender and recipient.
 * @param key the 32-byte pairwise encryption key.
 * @param context sid, sender and recipient (authenticated, not encrypted).
 * @param plaintext the share bytes.
 * @param rng source of the IV (cryptoRandom() in production).
 * @returns the box.
 * @throws TypeError / RangeError for wrong-type or wrong-length arguments.
 * @example sealShare(k, { sid, sender: 1n, recipient: 2n }, shareBytes, cryptoRandom()) // Uint8Array(12 + n + 16)
 */
export function sealShare(key: Uint8Array, context: ShareBoxContext, plaintext: Uint8Array, rng: RandomSource): Uint8Array {
  assertRandomSource('sealShare', 'rng', rng);
  assertBytes('sealShare', 'key', key, 32);
  assertBytes('sealShare', 'plaintext', plaintext);
  const { aad } = aadOf('sealShare', context);
  const iv = new Uint8Array(SHARE_BOX_IV_BYTES);
  rng.fill(iv);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: SHARE_BOX_TAG_BYTES });
  cipher.setAAD(aad);
  const ct = cipher.update(plaintext);
  cipher.final();
  return concatBytes(iv, ct, cipher.getAuthTag());
}

/**
 * Decrypts and authenticates a box made by `sealShare` with the same key and context.
 * @param key the 32-byte pairwise encryption key.
 * @param context sid, sender and recipient, exactly as sealed.
 * @param box IV ‖ ciphertext ‖ tag.
 * @returns the plaintext.
 * @throws DecryptionError ('decryption-failed', naming sender and recipient only) for a tampered, truncated or
 *   misaddressed box or a wrong key.
 */
export function openShare(key: Uint8Array, context: ShareBoxContext, box: Uint8Array): Uint8Array {
  assertBytes('openShare', 'key', key, 32);
  assertBytes('openShare', 'box', box);
  const { aad, sender, recipient } = aadOf('openShare', context);
  if (box.length < SHARE_BOX_IV_BYTES + SHARE_BOX_TAG_BYTES) {
    throw new DecryptionError(sender, recipient, `box of ${box.length} bytes is shorter than IV + tag (${SHARE_BOX_IV_BYTES + SHARE_BOX_TAG_BYTES})`);
  }
  const iv = box.subarray(0, SHARE_BOX_IV_BYTES);
  const tag = box.subarray(box.length - SHARE_BOX_TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: SHARE_BOX_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const pt = decipher.update(box.subarray(SHARE_BOX_IV_BYTES, box.length - SHARE_BOX_TAG_BYTES));
  try {
    decipher.final();
  } catch {
    // The cause is deliberately dropped: it could only say "unable to authenticate", and nothing from the box leaks.
    pt.fill(0);
    throw new DecryptionError(sender, recipient);
  }
  return new Uint8Array(pt);
}
