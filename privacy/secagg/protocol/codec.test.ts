/** The wire format: vectors at the modulus width round-trip, and strict decoders name the sender for every malformed field. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FedfinError } from '../../../common/errors.js';
import { beginMessage, decodeMessageHeader, entryBytes, openMessage, readVector, writeVector } from './codec.js';
import { ByteReader, ByteWriter } from './wire.js';
import { decodeRoster, decodeUnmask, decodeUnmaskRequest } from './messages.js';

const ctx = { jobId: 'job-é', round: 7, attempt: 2 };

describe('codec', () => {
  it('packs vectors at ⌈log2 M / 8⌉ bytes per entry and reads them back exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.array(fc.nat(), { maxLength: 50 }), (bits, raw) => {
        const m = 2 ** bits;
        const v = Uint32Array.from(raw, (x) => x % m);
        const w = new ByteWriter();
        writeVector(w, v, m);
        const bytes = w.finish();
        expect(bytes.length).toBe(5 + v.length * entryBytes(m));
        const r = new ByteReader(bytes, 'bank-1', 'test');
        expect(readVector(r, v.length, m)).toEqual(v);
        r.end();
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('refuses a vector entry ≥ M, a wrong width and a wrong length, naming the sender', () => {
    const w = new ByteWriter();
    writeVector(w, Uint32Array.of(1, 2), 2 ** 24);
    const ok = w.finish();
    const big = ok.slice();
    big[5 + 3] = 0xff;
    big[5 + 4] = 0xff;
    big[5 + 5] = 0xff;
    expect(() => readVector(new ByteReader(big, 'bank-1', 'masked-input'), 2, 2 ** 20)).toThrow(/bank-1: masked-input: vector entries expected 3 bytes|not below the modulus/);
    expect(() => readVector(new ByteReader(ok, 'bank-1', 'masked-input'), 2, 2 ** 32)).toThrow(/expected 4 bytes wide/);
    expect(() => readVector(new ByteReader(ok, 'bank-1', 'masked-input'), 3, 2 ** 24)).toThrow(/expected 3 entries/);
    const w2 = new ByteWriter();
    writeVector(w2, Uint32Array.of(2 ** 20, 1), 2 ** 24);
    expect(() => readVector(new ByteReader(w2.finish(), 'bank-1', 'x'), 2, 2 ** 20)).toThrow(/entry 0 = 1048576 is not below the modulus 1048576/);
  });

  it('checks the header: magic, version, job, round, attempt, stage, direction and member', () => {
    const msg = beginMessage(ctx, 'unmask', 'down', 5n).u16(0).u16(0).finish();
    expect(decodeMessageHeader(msg)).toEqual({ ...ctx, stage: 'unmask', direction: 'down', numericId: 5n });
    expect(decodeUnmaskRequest(msg, { ctx, stage: 'unmask', direction: 'down', numericId: 5n })).toEqual({ survivors: [], dropped: [] });
    const ex = { ctx, stage: 'unmask' as const, direction: 'down' as const, numericId: 5n };
    expect(() => openMessage(msg, { ...ex, numericId: 6n }, 'coordinator', 'x')).toThrow(/acting as another/);
    expect(() => openMessage(msg, { ...ex, ctx: { ...ctx, attempt: 3 } }, 'coordinator', 'x')).toThrow(/replayed/);
    expect(() => openMessage(msg, { ...ex, stage: 'advertise' }, 'coordinator', 'x')).toThrow(/replayed/);
    expect(() => openMessage(msg, { ...ex, direction: 'up' }, 'coordinator', 'x')).toThrow(/replayed/);
    const bad = msg.slice();
    bad[2] = 9;
    expect(() => decodeMessageHeader(bad)).toThrow(/unsupported version 9/);
    bad[0] = 0;
    expect(() => decodeMessageHeader(bad)).toThrow(/bad magic/);
    expect(() => decodeUnmaskRequest(new Uint8Array([...msg, 0]), ex)).toThrow(/1 unexpected trailing bytes/);
  });

  it('decoders throw only protocol-violation FedfinErrors on arbitrary bytes (property)', () => {
    const ex = { ctx, stage: 'share-keys' as const, direction: 'down' as const, numericId: 5n };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (tail, withHeader) => {
        const bytes = withHeader ? new Uint8Array([...beginMessage(ctx, 'share-keys', 'down', 5n).finish(), ...tail]) : tail;
        for (const decode of [() => decodeRoster(bytes, ex), () => decodeUnmask(bytes, { ...ex, stage: 'unmask', direction: 'up' }, 'bank-5'), () => decodeMessageHeader(bytes)]) {
          try {
            decode();
          } catch (err) {
            expect(err).toBeInstanceOf(FedfinError);
            expect((err as FedfinError).code).toBe('protocol-violation');
          }
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
