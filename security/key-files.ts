/** Key-file hygiene: a key file must be a regular file with mode 0600 (or stricter) owned by the running user. */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { FedfinError, FileError } from '../common/errors.js';
import { writeFileAtomic } from '../common/atomic-file.js';

/** The mode every key file is written with. */
export const KEY_FILE_MODE = 0o600;

/** A key file that group or others can access, or that belongs to another user. The process must not start. */
export class KeyFileInsecureError extends FedfinError {
  constructor(
    readonly file: string,
    readonly mode: number,
    readonly ownerUid: number,
    reason: string,
  ) {
    super('key-file-insecure', `${file}: ${reason}`);
  }
}

function statKey(path: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(path, missing ? 'no such key file' : `cannot stat key file (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
}

/**
 * Refuses a key file that is not safe to use: group or other permission bits set, or owned by a user other than
 * the one running fedfin. Mode 0400 is accepted (stricter than 0600).
 * @param path the key file.
 * @param uid the running user's id. @default process.getuid() (skipped where the platform has none)
 * @throws FileError ('file-not-found' | 'file-unreadable') when it is missing or not a regular file.
 * @throws KeyFileInsecureError ('key-file-insecure') naming the mode or owner found and the fix.
 */
export function assertKeyFileSafe(path: string, uid: number | undefined = process.getuid?.()): void {
  const st = statKey(path);
  if (!st.isFile()) throw new FileError(path, 'key file is not a regular file');
  const mode = st.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileInsecureError(path, mode, st.uid, `key file has mode ${mode.toString(8).padStart(4, '0')}, which lets group or others access it; run \`chmod 600 ${path}\``);
  }
  if (uid !== undefined && st.uid !== uid) {
    throw new KeyFileInsecureError(path, mode, st.uid, `key file is owned by uid ${st.uid}, not by the running user (uid ${uid}); run \`chown ${uid} ${path}\` or start fedfin as its owner`);
  }
}

/**
 * Reads a key file after {@link assertKeyFileSafe}. The caller should `fill(0)` the buffer once the key is parsed.
 * @returns the raw file bytes.
 * @throws FileError / KeyFileInsecureError as {@link assertKeyFileSafe}.
 */
export function readKeyFile(path: string, uid?: number): Buffer {
  assertKeyFileSafe(path, uid ?? process.getuid?.());
  try {
    return readFileSync(path);
  } catch (err) {
    throw new FileError(path, `cannot read key file (${(err as Error).message})`, 'file-unreadable', { cause: err });
  }
}

/**
 * Writes key material atomically with mode 0600 (the temp file is created 0600 too, so no reader ever sees it
 * with wider permissions).
 */
export function writeKeyFile(path: string, data: string | Uint8Array): void {
  writeFileAtomic(path, data, KEY_FILE_MODE);
}
