/** The SecAgg session id: SHA-256 over the round and every member's advertised keys, in id order. */
import { createHash } from 'node:crypto';
import { FedfinError } from '../../common/errors.js';
import { assertBytes } from '../../common/assert.js';
import { KeyInvalidError } from './errors.js';
import { X25519_KEY_BYTES } from './keys.js';
import { encodeMemberId, encodeRound, toMemberId, type MemberIdInput } from './member-id.js';

/** Length of a session id in bytes. */
export const SESSION_ID_BYTES = 32;

/** One member's advertisement as the coordinator broadcasts it after AdvertiseKeys (Bonawitz round 0). */
export interface AdvertisedKeys {
  /** Coordinator-assigned unsigned 64-bit member id. */
  readonly id: MemberIdInput;
  /** X25519 public key for share encryption (c_pk in Bonawitz et al.). */
  readonly cPk: Uint8Array;
  /** X25519 public key for pairwise masks (s_pk in Bonawitz et al.). */
  readonly sPk: Uint8Array;
}

/**
 * sid = SHA-256( round(8B BE) ‖ for each member in ascending id order: id(8B BE) ‖ c_pk ‖ s_pk ).
 * Every derived key is salted with it, so keys and masks from one round or cohort never serve another
 * (fcp `compute_session_id`; ours sorts by id so the order of arrival does not matter).
 * @param round the round number (non-negative integer).
 * @param members the advertised keys of U1, any order.
 * @returns 32 bytes.
 * @throws FedfinError 'protocol-violation' for an empty set, a repeated id or a repeated public key
 *   (Bonawitz: "all key pairs distinct"); KeyInvalidError for a key that is not 32 bytes.
 * @example sessionId(1, [{ id: 1, cPk, sPk }, { id: 2, cPk: c2, sPk: s2 }]) // Uint8Array(32)
 */
export function sessionId(round: number, members: readonly AdvertisedKeys[]): Uint8Array {
  const roundBytes = encodeRound('sessionId', round);
  if (!Array.isArray(members as unknown)) throw new TypeError(`sessionId: "members" expected array of advertised keys, got ${typeof members}`);
  if (members.length === 0) throw new FedfinError('protocol-violation', 'sessionId: expected at least one member, got none');
  const entries = members.map((m, i) => {
    if (typeof m !== 'object' || m === null) throw new TypeError(`sessionId: "members[${i}]" expected {id, cPk, sPk}, got ${m === null ? 'null' : typeof m}`);
    const id = toMemberId('sessionId', `members[${i}].id`, m.id);
    for (const name of ['cPk', 'sPk'] as const) {
      assertBytes('sessionId', `members[${i}].${name}`, m[name]);
      if (m[name].length !== X25519_KEY_BYTES) throw new KeyInvalidError(`sessionId: "members[${i}].${name}" expected ${X25519_KEY_BYTES}-byte X25519 key, got ${m[name].length} bytes`);
    }
    return { id, cPk: m.cPk, sPk: m.sPk };
  });
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seenKeys = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (i > 0 && entries[i - 1]!.id === e.id) throw new FedfinError('protocol-violation', `sessionId: member id ${e.id} advertised twice`);
    for (const key of [e.cPk, e.sPk]) {
      const hex = Buffer.from(key).toString('hex');
      if (seenKeys.has(hex)) throw new FedfinError('protocol-violation', `sessionId: member ${e.id} advertises a public key already in use`);
      seenKeys.add(hex);
    }
  }
  const h = createHash('sha256').update(roundBytes);
  for (const e of entries) h.update(encodeMemberId(e.id)).update(e.cPk).update(e.sPk);
  return new Uint8Array(h.digest());
}
