/** Fuzz (fast-check) over the daemon's decoders: protobuf response deserialisers of every Fleet RPC and instructionFromWire. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FedfinError } from '../../common/errors.js';
import { loadProtos } from '../../proto/loader.js';
import type { Instruction__Output } from '../../proto/generated/fedfin/v1/Instruction.js';
import { instructionFromWire } from './codec.js';

const RUNS = Number(process.env['FEDFIN_FUZZ_RUNS'] ?? 300);

describe('daemon decoders under fuzzing', () => {
  it('decodes or rejects arbitrary bytes for every response type of the Fleet service, never crashing', () => {
    const methods = Object.values(loadProtos().fleet.fedfin.v1.Fleet.service);
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.uint8Array({ maxLength: 2048 }), (m, bytes) => {
        try {
          m.responseDeserialize(Buffer.from(bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('maps any instruction to a valid one, or throws protocol-violation', () => {
    const instruction = fc.record({
      instruction_id: fc.string(),
      job_id: fc.string(),
      round: fc.nat(),
      stage: fc.oneof(fc.constantFrom('stats', 'fit', 'evaluate', 'secagg-advertise', 'secagg-share-keys', 'secagg-masked-input', 'secagg-unmask'), fc.string()),
      job_spec_json: fc.string(),
      round_config_json: fc.oneof(fc.string(), fc.json(), fc.constant('{"learningRate":0.1}')),
      model_bytes: fc.nat(),
      num_banks: fc.nat(),
      deadline_unix_ms: fc.nat(),
      encoding_stats_json: fc.string(),
      secagg_payload: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
    });
    fc.assert(
      fc.property(instruction, (w) => {
        try {
          const i = instructionFromWire(w as unknown as Instruction__Output);
          expect(i.instructionId).not.toBe('');
        } catch (err) {
          expect(err).toBeInstanceOf(FedfinError);
          expect((err as FedfinError).code).toBe('protocol-violation');
        }
      }),
      { numRuns: RUNS },
    );
  });
});
