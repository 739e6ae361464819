/**
 * A cached result as the ledger stores it (results.header_json): JSON, with a secure-aggregation payload as
 * base64 and a histogram's label counts run-length encoded (schema/fleet.ts storedResultJson). Rows written
 * before either encoding read back unchanged.
 */
import { parseStoredResult, storedResultJson, type ResultInfo } from '../../schema/fleet.js';

/** A result as stored JSON. */
export function resultToJson(r: ResultInfo): string {
  const { secaggPayload, ...rest } = r;
  return storedResultJson(secaggPayload ? { ...rest, secaggPayloadB64: Buffer.from(secaggPayload).toString('base64') } : rest);
}

/** A stored result back, equal to the one stored (key order included). */
export function resultFromJson(json: string): ResultInfo {
  const { secaggPayloadB64, ...rest } = parseStoredResult<ResultInfo & { secaggPayloadB64?: string }>(json);
  return secaggPayloadB64 === undefined ? rest : { ...rest, secaggPayload: new Uint8Array(Buffer.from(secaggPayloadB64, 'base64')) };
}
