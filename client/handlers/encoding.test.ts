/** The handlers' per-job memos: a split is encoded once per job's encoding spec, and a job spec is parsed once. */
import { describe, expect, it } from 'vitest';
import type { DesensitizedRecord } from '../../schema/desensitized.js';
import type { CanonicalRecord, DatasetSchema } from '../../schema/field.js';
import { createEncodingSpec, encode } from '../../schema/encoding.js';
import type { InstructionInfo } from '../../schema/fleet.js';
import { encodeSplit, federationSpec, jobOf } from './encoding.js';

const SCHEMA: DatasetSchema = {
  id: 'toy.v1+desensitized',
  name: 'toy',
  version: 1,
  description: 'toy',
  kind: 'custom',
  label: 'default',
  fields: [
    { name: 'income', type: 'number', description: '', required: false, min: 0, max: 200000, privacy: 'feature' },
    { name: 'has_phone', type: 'boolean', description: '', required: false, privacy: 'feature' },
    { name: 'default', type: 'integer', description: '', required: true, min: 0, max: 1, privacy: 'label' },
  ],
};
// Test-only stand-in for privacy/desensitize: the brand is a type-level promise.
const des = (r: CanonicalRecord): DesensitizedRecord => r as DesensitizedRecord;
const rows = (): DesensitizedRecord[] => [des({ income: 70000, has_phone: true, default: 1 }), des({ income: null, has_phone: false, default: 0 })];
const JOB = JSON.stringify({ name: 'j', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 2 });
const instruction = (stats: Record<string, unknown>, id = 'i-1'): InstructionInfo => ({
  instructionId: id,
  jobId: 'job-1',
  round: 1,
  stage: 'fit',
  jobSpecJson: JOB,
  roundConfig: {},
  modelBytes: 0,
  numBanks: 2,
  deadlineUnixMs: 0,
  encodingStatsJson: JSON.stringify(stats),
});

describe('handler memos', () => {
  it('encodes a split once per encoding spec, and again for new statistics or other records', () => {
    const split = rows();
    const a = createEncodingSpec(SCHEMA, { income: { mean: 50000, std: 20000 } });
    const first = encodeSplit(a, split);
    expect(encodeSplit(a, split)).toBe(first);
    expect(Array.from(first.features)).toEqual(Array.from(encode(a, split).features));
    const b = createEncodingSpec(SCHEMA, { income: { mean: 60000, std: 20000 } });
    const other = encodeSplit(b, split);
    expect(other).not.toBe(first);
    expect(Array.from(other.features)).toEqual(Array.from(encode(b, split).features));
    expect(encodeSplit(b, rows())).not.toBe(other); // another records array: its own encoding
  });

  it('builds a job\'s encoding spec and parses its job spec once, and still names the instruction of a bad one', () => {
    const job = jobOf(instruction({ income: { mean: 1, std: 2 } }));
    expect(jobOf(instruction({ income: { mean: 1, std: 2 } }, 'i-2'))).toBe(job);
    const spec = federationSpec(instruction({ income: { mean: 1, std: 2 } }), SCHEMA, job);
    expect(federationSpec(instruction({ income: { mean: 1, std: 2 } }, 'i-2'), SCHEMA, job)).toBe(spec);
    expect(federationSpec(instruction({ income: { mean: 3, std: 2 } }), SCHEMA, job).specHash).not.toBe(spec.specHash);
    expect(() => jobOf({ ...instruction({}, 'i-bad'), jobSpecJson: '{"name":1}' })).toThrow(/i-bad/);
    expect(() => federationSpec({ ...instruction({}, 'i-nojson'), encodingStatsJson: '{' }, SCHEMA, job)).toThrow(/i-nojson/);
  });
});
