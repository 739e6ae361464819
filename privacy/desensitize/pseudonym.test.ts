/** Tests for keyed pseudonyms and key-file loading. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasCode } from '../../common/errors.js';
import { canonicalizeIdentifier, loadKeyFile, pseudonymize } from './pseudonym.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('pseudonymize', () => {
  // Vectors generated with Python's hmac module: hmac.new(bytes(range(32)), b'bank-a\x00' + value, sha256).hexdigest()[:32]
  it('matches HMAC-SHA256(key, domain ‖ 0x00 ‖ canonical value) truncated to 128 bits, when given known vectors', () => {
    expect(pseudonymize(KEY, 'bank-a', 'DE89 3704 0044 0532 0130 00', 'alnum')).toBe('b9e94cadf9d7cf14fb37fdd863a7d24d');
    expect(pseudonymize(KEY, 'bank-b', 'de89-3704-0044-0532-0130-00', 'alnum')).toBe('67f3f9e18859fd0e55dd0aa64b583fad');
    expect(pseudonymize(KEY, 'bank-a', '  Jane.Doe@Example.com ', 'casefold')).toBe('15fc8144bfc07ee3fa7694173b3c3e1d');
  });

  it('keeps missing values missing, when the value is null', () => {
    expect(pseudonymize(KEY, 'bank-a', null)).toBeNull();
  });

  it('gives different pseudonyms in different domains and is injective in practice, when values differ', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const pa = pseudonymize(KEY, 'bank-a', a, 'exact');
        expect(pa).toMatch(/^[0-9a-f]{32}$/);
        expect(pseudonymize(KEY, 'bank-b', a, 'exact')).not.toBe(pa);
        if (a !== b) expect(pseudonymize(KEY, 'bank-a', b, 'exact')).not.toBe(pa);
      }),
      { numRuns: 200 },
    );
  });

  it('throws RangeError naming the key, when the key is shorter than 32 bytes', () => {
    expect(() => pseudonymize(new Uint8Array(16), 'd', 'x')).toThrow('pseudonymize: "key" expected at least 32 bytes, got 16');
  });

  it('canonicalises formatting away, when forms are casefold and alnum', () => {
    expect(canonicalizeIdentifier('  Ａ  b\tC ', 'casefold')).toBe('a b c');
    expect(canonicalizeIdentifier('+49 (30) 123-45', 'alnum')).toBe('493012345');
    expect(canonicalizeIdentifier(12.5, 'exact')).toBe('12.5');
  });
});

describe('loadKeyFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedfin-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array, mode: number): string => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    chmodSync(p, mode);
    return p;
  };

  it('returns the file bytes exactly, when the file is 0600 and long enough', () => {
    const p = write('k', KEY, 0o600);
    expect(Buffer.from(loadKeyFile(p)).equals(Buffer.from(KEY))).toBe(true);
  });

  it('refuses with key-file-insecure, the mode found and the chmod fix, when the file is world-readable', () => {
    const p = write('k', KEY, 0o644);
    let err: unknown;
    try {
      loadKeyFile(p);
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, 'key-file-insecure')).toBe(true);
    expect((err as Error).message).toContain('mode 0644');
    expect((err as Error).message).toContain(`chmod 600 ${p}`);
  });

  it('refuses with key-file-insecure, when only the group can read', () => {
    expect(() => loadKeyFile(write('k', KEY, 0o640))).toThrow(/mode 0640/);
  });

  it('refuses with key-invalid without echoing the key, when the key is shorter than 32 bytes', () => {
    const p = write('k', new TextEncoder().encode('short-secret'), 0o600);
    let err: unknown;
    try {
      loadKeyFile(p);
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, 'key-invalid')).toBe(true);
    expect((err as Error).message).toContain('12 bytes');
    expect((err as Error).message).not.toContain('short-secret');
  });

  it('throws file-not-found, when the key file does not exist', () => {
    const p = join(dir, 'missing');
    expect(existsSync(p)).toBe(false);
    expect(() => loadKeyFile(p)).toThrow(expect.objectContaining({ code: 'file-not-found' }));
  });
});
