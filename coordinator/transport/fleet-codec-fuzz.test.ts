/** Fuzz (fast-check) over the coordinator's decoders: protobuf request deserialisers of every Fleet/Admin RPC, resultFromWire, decodeWeights. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWeights } from '../../common/weights-codec.js';
import { loadProtos } from '../../proto/loader.js';
import type { ResultHeader__Output } from '../../proto/generated/fedfin/v1/ResultHeader.js';
import { resultFromWire } from './fleet-codec.js';
import { RpcError } from './status.js';

const RUNS = Number(process.env['FEDFIN_FUZZ_RUNS'] ?? 300);

const header = fc.record({
  session_id: fc.string(),
  instruction_id: fc.string(),
  status: fc.oneof(fc.constantFrom('ok', 'refused', 'failed'), fc.string()),
  reason: fc.string({ maxLength: 5000 }),
  num_examples: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  metrics: fc.option(fc.record({ values: fc.dictionary(fc.string(), fc.double()) }), { nil: null }),
  headers: fc.array(fc.record({ name: fc.string(), shape: fc.array(fc.integer({ min: -5, max: 1e6 }), { maxLength: 4 }) }), { maxLength: 4 }),
  histogram: fc.constant(null),
  privacy: fc.constant(null),
  encoding_hash: fc.string(),
  num_features: fc.nat(),
  moments_json: fc.string(),
  regression: fc.constant(null),
  secagg_payload: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
});

describe('coordinator decoders under fuzzing', () => {
  it('decodes or rejects arbitrary bytes for every request type of the Fleet and Admin services, never crashing', () => {
    const { fleet, admin } = loadProtos();
    const methods = [...Object.values(fleet.fedfin.v1.Fleet.service), ...Object.values(admin.fedfin.v1.Admin.service)];
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.uint8Array({ maxLength: 2048 }), (m, bytes) => {
        try {
          m.requestDeserialize(Buffer.from(bytes));
        } catch (err) {
          // protobufjs reports malformed input as an Error, which grpc-js turns into a status; nothing else may escape.
          expect(err).toBeInstanceOf(Error);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('maps any result header to a result with finite metrics, or to INVALID_ARGUMENT', () => {
    fc.assert(
      fc.property(header, (h) => {
        try {
          const r = resultFromWire(h as ResultHeader__Output);
          expect(['ok', 'refused', 'failed']).toContain(r.status);
          expect(Object.values(r.metrics).every(Number.isFinite)).toBe(true);
          expect(r.reason.length).toBeLessThanOrEqual(2000);
        } catch (err) {
          expect(err).toBeInstanceOf(RpcError);
          expect((err as RpcError).code).toBe(3);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes weights only when the bytes match the headers, else throws RangeError', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.string(), shape: fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 3 }) }), { maxLength: 3 }), fc.uint8Array({ maxLength: 4096 }), (headers, bytes) => {
        try {
          const w = decodeWeights(headers, bytes);
          expect(w.reduce((a, t) => a + t.values.length * 4, 0)).toBe(bytes.length);
        } catch (err) {
          expect(err).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
