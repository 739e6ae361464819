/** Tests for key-file hygiene: 0600 and owned by the running user, else a typed refusal that says why and how to fix it. */
import { chmodSync, chownSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertKeyFileSafe, KeyFileInsecureError, readKeyFile, writeKeyFile } from './key-files.js';

describe('key-files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedfin-keyfiles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes key files with mode 0600 and reads them back, when written by writeKeyFile', () => {
    const path = join(dir, 'k.key');
    writeKeyFile(path, 'secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readKeyFile(path).toString()).toBe('secret');
  });

  it.each([0o644, 0o640, 0o604, 0o666, 0o700 | 0o004])('refuses mode %o with key-file-insecure naming the mode and the fix', (mode) => {
    const path = join(dir, 'k.key');
    writeFileSync(path, 'secret');
    chmodSync(path, mode);
    expect(() => readKeyFile(path)).toThrow(KeyFileInsecureError);
    expect(() => assertKeyFileSafe(path)).toThrow(expect.objectContaining({ code: 'key-file-insecure', mode, message: expect.stringContaining(`mode ${mode.toString(8).padStart(4, '0')}`) }));
    expect(() => assertKeyFileSafe(path)).toThrow(`chmod 600 ${path}`);
  });

  it('accepts 0400, when the file is stricter than 0600', () => {
    const path = join(dir, 'k.key');
    writeFileSync(path, 'secret', { mode: 0o400 });
    expect(() => assertKeyFileSafe(path)).not.toThrow();
  });

  it('refuses a key owned by another user, when the owner differs from the running user', () => {
    const path = join(dir, 'k.key');
    writeKeyFile(path, 'secret');
    const me = process.getuid?.() ?? 0;
    // As root we can give the file away for real; otherwise ask the check to compare against another uid.
    if (me === 0) chownSync(path, 4242, 4242);
    const asUid = me === 0 ? 0 : me + 1;
    expect(() => assertKeyFileSafe(path, asUid)).toThrow(expect.objectContaining({ code: 'key-file-insecure', message: expect.stringMatching(/owned by uid \d+, not by the running user/) }));
  });

  it('throws file-not-found, when the key file is missing, and file-unreadable for a directory', () => {
    expect(() => assertKeyFileSafe(join(dir, 'none.key'))).toThrow(expect.objectContaining({ code: 'file-not-found' }));
    expect(() => assertKeyFileSafe(dir)).toThrow(expect.objectContaining({ code: 'file-unreadable' }));
  });
});
