/** The one place that loads the fedfin/v1 protos: LOADER_OPTIONS (shared with `npm run gen:proto`) and the service definitions. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { installFastResultCodec } from './fast-result-codec.js';
import type { ProtoGrpcType as FleetProto } from './generated/fleet.js';
import type { ProtoGrpcType as AdminProto } from './generated/admin.js';

/**
 * Options for proto-loader. `npm run gen:proto` passes the same flags to proto-loader-gen-types;
 * loader.test.ts checks the two agree. longs as Number: counters stay below 2^53.
 */
export const LOADER_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies protoLoader.Options;

/** Directory holding `fedfin/v1/*.proto`. */
export const PROTO_ROOT = dirname(fileURLToPath(import.meta.url));

let cache: { fleet: FleetProto; admin: AdminProto } | undefined;

/** Loads both services once per process. */
export function loadProtos(): { fleet: FleetProto; admin: AdminProto } {
  if (cache) return cache;
  const opts = { ...LOADER_OPTIONS, includeDirs: [PROTO_ROOT] };
  const fleetDef = protoLoader.loadSync(join(PROTO_ROOT, 'fedfin/v1/fleet.proto'), opts);
  installFastResultCodec(fleetDef); // same bytes, less CPU per result header (see fast-result-codec.ts)
  const adminDef = protoLoader.loadSync(join(PROTO_ROOT, 'fedfin/v1/admin.proto'), opts);
  cache = {
    fleet: grpc.loadPackageDefinition(fleetDef) as unknown as FleetProto,
    admin: grpc.loadPackageDefinition(adminDef) as unknown as AdminProto,
  };
  return cache;
}
