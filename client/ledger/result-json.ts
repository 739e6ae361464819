/**
 * A cached result as the ledger stores it (results.header_json): JSON, with a secure-aggregation payload as
 * base64 and a histogram's label counts run-length encoded. Rows written before either encoding read back
 * unchanged: a plain counts array is still a plain counts array.
 */
import type { HistogramData, ResultInfo } from '../../schema/fleet.js';

/**
 * A counts array in the stored form `{ z: [...] }`: a negative entry −k stands for k zeros, any other entry
 * for itself. A bank's holdout fills a few hundred of an evaluation histogram's 1,000 bins, so this is a
 * fraction of the plain array's JSON, written once per evaluate instruction on the daemon's hot path.
 */
interface PackedCounts {
  readonly z: readonly number[];
}

/** Run-length form of `counts`, or the array itself when an entry is not a non-negative safe integer. */
export function packCounts(counts: readonly number[]): PackedCounts | readonly number[] {
  const z: number[] = [];
  let zeros = 0;
  for (const c of counts) {
    if (c === 0) {
      zeros++;
      continue;
    }
    if (!Number.isSafeInteger(c) || c < 0) return counts;
    if (zeros > 0) z.push(-zeros);
    zeros = 0;
    z.push(c);
  }
  if (zeros > 0) z.push(-zeros);
  return { z };
}

/** The counts array back from its stored form (a plain array as it is). */
export function unpackCounts(stored: PackedCounts | readonly number[]): number[] {
  if (Array.isArray(stored)) return stored as number[];
  const out: number[] = [];
  for (const x of (stored as PackedCounts).z) {
    if (x < 0) for (let i = 0; i < -x; i++) out.push(0);
    else out.push(x);
  }
  return out;
}

/** A result as stored JSON. */
export function resultToJson(r: ResultInfo): string {
  const { secaggPayload, ...rest } = r;
  const h = rest.histogram;
  const stored = h ? { ...rest, histogram: { ...h, countsPos: packCounts(h.countsPos), countsNeg: packCounts(h.countsNeg) } } : rest;
  return JSON.stringify(secaggPayload ? { ...stored, secaggPayloadB64: Buffer.from(secaggPayload).toString('base64') } : stored);
}

/** A stored result back, equal to the one stored (key order included). */
export function resultFromJson(json: string): ResultInfo {
  const { secaggPayloadB64, ...rest } = JSON.parse(json) as ResultInfo & { secaggPayloadB64?: string };
  const h = rest.histogram as (Omit<HistogramData, 'countsPos' | 'countsNeg'> & { countsPos: PackedCounts | number[]; countsNeg: PackedCounts | number[] }) | undefined;
  const result: ResultInfo = h && !(Array.isArray(h.countsPos) && Array.isArray(h.countsNeg)) ? { ...rest, histogram: { ...h, countsPos: unpackCounts(h.countsPos), countsNeg: unpackCounts(h.countsNeg) } } : rest;
  return secaggPayloadB64 === undefined ? result : { ...result, secaggPayload: new Uint8Array(Buffer.from(secaggPayloadB64, 'base64')) };
}
