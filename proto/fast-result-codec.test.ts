import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as protoLoader from '@grpc/proto-loader';
import { planMessage } from './fast-codec-plan.js';
import { decodeWrapped } from './fast-codec-read.js';
import { encodeWrapped } from './fast-codec-write.js';
import { installFastResultCodec } from './fast-result-codec.js';
import { LOADER_OPTIONS, loadProtos, PROTO_ROOT } from './loader.js';

/** A fresh package definition: its PushResult serialisers are protobufjs's own, the reference. */
function freshDefinitions(): Record<string, unknown> {
  return protoLoader.loadSync(join(PROTO_ROOT, 'fedfin/v1/fleet.proto'), { ...LOADER_OPTIONS, includeDirs: [PROTO_ROOT] }) as Record<string, unknown>;
}
interface Method {
  requestSerialize(v: unknown): Buffer;
  requestDeserialize(b: Buffer): unknown;
}
const defs = freshDefinitions();
const reference = (defs['fedfin.v1.Fleet'] as Record<string, Method>)['PushResult']!;
const plan = planMessage(defs, 'fedfin.v1.ResultHeader')!;

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
const counts = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u64 }), { maxLength: 40 });
const str = fc.oneof(fc.string({ maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constant(''));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const histogram = fc.record({ num_bins: u32, counts_pos: counts, counts_neg: counts, sum_log_loss: fc.double(), sum_brier: fc.double(), num_correct: u64, num_examples: u64, edges: fc.array(fc.double(), { maxLength: 6 }) }, { requiredKeys: [] });
const privacy = fc.record({ accountant: str, epsilon_round: fc.double(), epsilon_total: fc.double(), delta: fc.double(), noise_multiplier: fc.double(), sample_rate: fc.double(), steps: u64, unit: str }, { requiredKeys: [] });
const day = fc.record({ date: str, instruments: u32, strategy_return_sum: fc.double(), buy_hold_return_sum: fc.double(), turnover_sum: fc.double() }, { requiredKeys: [] });
const regression = fc.record({ num_examples: u64, sum_error: fc.double(), sum_sq_error: fc.double(), sum_abs_error: fc.double(), sum_target: fc.double(), sum_sq_target: fc.double(), direction_correct: u64, predicted_up: u64, actual_up: u64, days: fc.array(day, { maxLength: 3 }) }, { requiredKeys: [] });
/** Headers shaped like client/transport/codec.ts resultToWire's, every part optional or null. */
const header = fc.record(
  {
    session_id: str,
    instruction_id: str,
    status: fc.constantFrom('ok', 'refused', 'failed', ''),
    reason: str,
    num_examples: u64,
    metrics: fc.record({ values: fc.dictionary(fc.string({ maxLength: 12 }).filter((k) => k !== '__proto__'), fc.double(), { maxKeys: 5 }) }),
    headers: fc.array(fc.record({ name: str, shape: fc.array(u32, { maxLength: 3 }) }), { maxLength: 3 }),
    histogram: fc.oneof(fc.constant(null), histogram),
    privacy: fc.oneof(fc.constant(null), privacy),
    encoding_hash: str,
    num_features: u32,
    moments_json: str,
    secagg_payload: fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
    regression: fc.oneof(fc.constant(null), opt(regression)),
  },
  { requiredKeys: [] },
);
const sameObject = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);

describe('fast result codec', () => {
  it('plans the result header from the loaded descriptors', () => {
    expect(plan.fields.map((f) => f.id)).toEqual([...plan.fields.map((f) => f.id)].sort((a, b) => a - b));
    expect(plan.byId.get(8)?.message?.name).toBe('fedfin.v1.ScoreHistogram');
    expect(plan.byId.get(6)?.kind).toBe('message');
    expect(plan.byId.get(6)?.message?.fields[0]).toMatchObject({ kind: 'map', mapValue: 'double' });
  });

  it('encodes every header to the bytes protobufjs gives and decodes them to the object it gives (key order too)', () => {
    fc.assert(
      fc.property(header, (h) => {
        const bytes = reference.requestSerialize({ header: h });
        const fast = encodeWrapped(plan, 1, h);
        // Only a surrogate (protobufjs's own UTF-8 for short strings) sends a well-typed header to protobufjs.
        if (!/[\uD800-\uDFFF]|\\ud[89a-f]/i.test(JSON.stringify(h))) expect(fast).toBeDefined();
        if (fast) expect(fast.equals(bytes)).toBe(true);
        const decoded = decodeWrapped(plan, 1, 'header', 'part', bytes);
        expect(decoded).toBeDefined();
        expect(sameObject(decoded, reference.requestDeserialize(bytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives up, leaving protobufjs to coerce, on inputs protobufjs converts (strings for numbers, fractions, lone surrogates)', () => {
    for (const h of [{ num_examples: '12' }, { num_features: 1.5 }, { num_examples: -1 }, { num_examples: 2 ** 60 }, { reason: 'a\uD800b' }, { headers: 'x' }, { histogram: 3 }]) {
      expect(encodeWrapped(plan, 1, h)).toBeUndefined();
    }
  });

  it('serves, once installed, exactly what protobufjs serves: for headers, chunks, and bytes it must reject', () => {
    const fresh = freshDefinitions();
    expect(installFastResultCodec(fresh)).toBe(true);
    const fast = (fresh['fedfin.v1.Fleet'] as Record<string, Method>)['PushResult']!;
    const outcome = (f: () => unknown): unknown => {
      try {
        return { value: f() };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 40 }), fc.nat(200), (h, junk, cut) => {
        const chunk = { chunk: { offset: 7, data: Buffer.from(junk) } };
        expect(fast.requestSerialize(chunk).equals(reference.requestSerialize(chunk))).toBe(true);
        const bytes = reference.requestSerialize({ header: h });
        expect(fast.requestSerialize({ header: h }).equals(bytes)).toBe(true);
        // Truncated, corrupted or foreign bytes: the same object or the same error as protobufjs.
        for (const b of [bytes.subarray(0, Math.min(cut, bytes.length)), Buffer.concat([bytes, Buffer.from(junk)]), Buffer.from(junk)]) {
          const a = outcome(() => fast.requestDeserialize(b));
          const r = outcome(() => reference.requestDeserialize(b));
          expect(sameObject(a, r)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is what loadProtos serves', () => {
    const served = (loadProtos().fleet.fedfin.v1.Fleet.service as unknown as Record<string, Method>)['PushResult']!;
    const h = { instruction_id: 'i', histogram: { num_bins: 2, counts_pos: [1, 0], counts_neg: [0, 4] } };
    expect(served.requestSerialize({ header: h }).equals(reference.requestSerialize({ header: h }))).toBe(true);
  });
});
