/** Keyed pseudonyms (HMAC-SHA256 truncated to 128 bits) and loading of the bank-held key file with its permission checks. */
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { assertBytes, assertString, describeValue } from '../../common/assert.js';
import { FedfinError, FileError } from '../../common/errors.js';
import type { CanonicalValue } from '../../schema/field.js';
import { CANONICAL_FORMS, type CanonicalForm } from './policy.js';

/** Minimum key length in bytes (256 bits, the HMAC-SHA256 block-size-safe minimum we accept). */
export const MIN_KEY_BYTES = 32;
/** Pseudonyms are the first 128 bits of the HMAC, as 32 lowercase hex characters. */
export const PSEUDONYM_HEX_LENGTH = 32;

/** The pseudonymisation key file is readable by others than its owner, or owned by someone else. */
export class KeyFileInsecureError extends FedfinError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('key-file-insecure', `${file}: ${reason}`);
  }
}

/** The key itself is unusable (too short). Never carries key bytes. */
export class KeyInvalidError extends FedfinError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('key-invalid', `${file}: ${reason}`);
  }
}

/**
 * Canonicalises an identifier before hashing, so formatting differences do not create two pseudonyms
 * for one person: `trim` strips outer whitespace; `casefold` also applies NFKC, collapses inner
 * whitespace and lower-cases; `alnum` keeps only letters and digits (IBANs, phone numbers).
 * Numbers and booleans use their JSON text.
 */
export function canonicalizeIdentifier(value: string | number | boolean, form: CanonicalForm): string {
  if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new TypeError(`canonicalizeIdentifier: "value" expected string, finite number or boolean, got ${describeValue(value)}`);
  }
  if (!(CANONICAL_FORMS as readonly unknown[]).includes(form)) throw new TypeError(`canonicalizeIdentifier: "form" expected one of ${CANONICAL_FORMS.join(' | ')}, got ${describeValue(form)}`);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (form) {
    case 'exact':
      return text;
    case 'trim':
      return text.trim();
    case 'casefold':
      return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
    case 'alnum':
      return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  }
}

/**
 * The keyed pseudonym of one identifier value:
 * `hex(HMAC-SHA256(key, utf8(domain) ‖ 0x00 ‖ utf8(canonicalise(value))))[0..32)`.
 * The 0x00 separator keeps (domain, value) pairs unambiguous; the domain makes pseudonyms of one
 * value differ between banks (or purposes) holding the same key. The field name is deliberately not
 * hashed, so one account pseudonymises identically in `account_id` and `counterparty_id`.
 * Missing stays missing.
 * @param key at least MIN_KEY_BYTES bytes.
 * @param domain non-empty pseudonymisation domain.
 * @example pseudonymize(new Uint8Array(32), 'bank-a', 'DE89 3704', 'alnum') // 32 hex chars
 */
export function pseudonymize(key: Uint8Array, domain: string, value: CanonicalValue, form: CanonicalForm = 'casefold'): string | null {
  assertBytes('pseudonymize', 'key', key);
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`pseudonymize: "key" expected at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
  assertString('pseudonymize', 'domain', domain);
  if (value === null) return null;
  const mac = createHmac('sha256', key);
  mac.update(domain, 'utf8');
  mac.update(Buffer.of(0));
  mac.update(canonicalizeIdentifier(value, form), 'utf8');
  return mac.digest('hex').slice(0, PSEUDONYM_HEX_LENGTH);
}

/**
 * Loads the bank's pseudonymisation key: the file's bytes, exactly (a trailing newline is key material
 * too). Generate one with `head -c 32 /dev/urandom > KEY && chmod 600 KEY`.
 * @throws FileError if the file is missing or unreadable.
 * @throws KeyFileInsecureError ('key-file-insecure') if group or others have any permission, or the
 *   file is not owned by the running user; the message gives the mode found and `chmod 600 FILE`.
 * @throws KeyInvalidError ('key-invalid') if the key is shorter than 32 bytes.
 */
export function loadKeyFile(path: string): Uint8Array {
  assertString('loadKeyFile', 'path', path);
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(path, missing ? 'no such key file' : `cannot stat key file (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
  if (!st.isFile()) throw new FileError(path, 'key file is not a regular file');
  const mode = st.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileInsecureError(path, `key file has mode ${mode.toString(8).padStart(4, '0')}, which lets group or others read it; run \`chmod 600 ${path}\``);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new KeyFileInsecureError(path, `key file is owned by uid ${st.uid}, not by the running user (uid ${uid}); the key must belong to the user that runs fedfin`);
  }
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (err) {
    throw new FileError(path, `cannot read key file (${(err as Error).message})`, 'file-unreadable', { cause: err });
  }
  if (key.length < MIN_KEY_BYTES) {
    key.fill(0);
    throw new KeyInvalidError(path, `key is ${key.length} bytes; expected at least ${MIN_KEY_BYTES} random bytes (e.g. \`head -c 32 /dev/urandom > ${path}\`)`);
  }
  return new Uint8Array(key.buffer, key.byteOffset, key.length);
}
