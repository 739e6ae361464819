/** Typed SecAgg failures on the existing stable codes of common/errors.ts; messages name peers, never keys or plaintext. */
import { FedfinError } from '../../common/errors.js';

/** A key (own or a peer's) is unusable: wrong length, low order, or an all-zero shared secret. */
export class KeyInvalidError extends FedfinError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('key-invalid', reason, options);
  }
}

/** An encrypted share failed authentication: tampered, truncated, wrong key or wrong AAD. */
export class DecryptionError extends FedfinError {
  constructor(
    readonly sender: bigint,
    readonly recipient: bigint,
    reason = 'authentication failed',
  ) {
    super('decryption-failed', `share box from member ${sender} to member ${recipient}: ${reason}`);
  }
}

/** An advertised key bundle does not carry a valid Ed25519 signature of its member. */
export class SignatureInvalidError extends FedfinError {
  constructor(
    readonly memberId: bigint,
    readonly round: number,
  ) {
    super('signature-invalid', `key advertisement of member ${memberId} in round ${round}: signature does not verify`);
  }
}

/** Shares that cannot be combined: malformed, from different secrets, duplicated, or too few. */
export class ShareInvalidError extends FedfinError {
  constructor(reason: string) {
    super('share-invalid', `shamir: ${reason}`);
  }
}

/** SecAgg parameters that are insecure or impossible; `reasons` lists every problem found. */
export class SecAggParamsError extends FedfinError {
  constructor(readonly reasons: readonly string[]) {
    super('config-invalid', `secure aggregation parameters refused: ${reasons.join('; ')}`);
  }
}
