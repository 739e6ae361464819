/**
 * Faster serialisers for the result headers of Fleet.PushResult: the same bytes and the same decoded objects
 * as proto-loader's protobufjs serialisers, minus the per-value cost that made a score histogram's 2,000
 * uint64 counts the largest per-bank cost of an evaluate stage. Wire format unchanged; chunks, and any
 * header the fast path does not reproduce exactly, still go through protobufjs.
 */
import { isDeepStrictEqual } from 'node:util';
import { planMessage } from './fast-codec-plan.js';
import { decodeWrapped } from './fast-codec-read.js';
import { encodeWrapped } from './fast-codec-write.js';

interface MethodDefinition {
  requestSerialize: (value: unknown) => Buffer;
  requestDeserialize: (bytes: Buffer) => unknown;
}

interface WrapperDescriptor {
  readonly field: readonly { readonly name: string; readonly number: number; readonly typeName: string }[];
  readonly oneofDecl?: readonly { readonly name: string }[];
}

/** A header as daemons send it: every kind of field set, so the self-check covers each code path. */
const SAMPLE = {
  session_id: 's',
  instruction_id: 'job/r1/a0/evaluate/bank-1',
  status: 'ok',
  reason: '',
  num_examples: 3,
  metrics: { values: { loss: 0.25, 'é': -1.5 } },
  headers: [{ name: 'dense/kernel', shape: [90, 16] }],
  histogram: { num_bins: 3, counts_pos: [0, 1, 0], counts_neg: [2, 0, 0], sum_log_loss: 1.5, sum_brier: 0.5, num_correct: 2, num_examples: 3, edges: [] },
  privacy: null,
  encoding_hash: 'ab',
  num_features: 90,
  moments_json: '',
  secagg_payload: Buffer.from([1, 2]),
  regression: null,
};

/**
 * Replaces the request serialisers of `service.PushResult` in a proto-loader package definition (before
 * `grpc.loadPackageDefinition`, so clients, the server and in-process channels all get them) when the
 * header message is one the fast codec reproduces exactly, and a self-check on a sample agrees with
 * protobufjs byte for byte and object for object. Otherwise leaves them as they are.
 * @returns whether the fast serialisers were installed.
 */
export function installFastResultCodec(definitions: Record<string, unknown>, service = 'fedfin.v1.Fleet', wrapper = 'fedfin.v1.PushResultMessage'): boolean {
  const method = (definitions[service] as Record<string, MethodDefinition> | undefined)?.['PushResult'];
  const desc = (definitions[wrapper] as { type?: WrapperDescriptor } | undefined)?.type;
  const field = desc?.field.find((f) => f.number === 1);
  if (!method || !desc || !field) return false;
  const pkg = wrapper.slice(0, wrapper.lastIndexOf('.'));
  const plan = planMessage(definitions, field.typeName.includes('.') ? field.typeName.replace(/^\./, '') : `${pkg}.${field.typeName}`);
  if (!plan) return false;
  const oneof = desc.oneofDecl?.length === 1 ? desc.oneofDecl[0]!.name : undefined;
  const original = { serialize: method.requestSerialize, deserialize: method.requestDeserialize };
  const serialize = (value: unknown): Buffer => {
    const v = value as Record<string, unknown> | null | undefined;
    // Only a lone header: a chunk (or both parts) goes through protobufjs as before.
    const fast = v && v[field.name] != null && Object.keys(v).every((k) => k === field.name || v[k] == null) ? encodeWrapped(plan, 1, v[field.name]) : undefined;
    return fast ?? original.serialize(value);
  };
  const deserialize = (bytes: Buffer): unknown => decodeWrapped(plan, 1, field.name, oneof, bytes) ?? original.deserialize(bytes);
  // The plan reads descriptors; this checks what it cannot see there (the wrapper's oneof, defaults) on a sample.
  const bytes = original.serialize({ [field.name]: SAMPLE });
  const fastBytes = encodeWrapped(plan, 1, SAMPLE);
  const [fastObj, slowObj] = [decodeWrapped(plan, 1, field.name, oneof, bytes), original.deserialize(bytes)];
  if (!fastBytes?.equals(bytes) || !isDeepStrictEqual(fastObj, slowObj) || JSON.stringify(fastObj) !== JSON.stringify(slowObj)) return false;
  method.requestSerialize = serialize;
  method.requestDeserialize = deserialize;
  return true;
}
