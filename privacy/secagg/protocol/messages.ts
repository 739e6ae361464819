/** Encoders and strict decoders of the seven message bodies (four bank → coordinator, three coordinator → bank). */
import { beginMessage, openMessage, readIds, readVector, writeIds, writeVector, type Expected } from './codec.js';
import { BOX_BYTES, type Advertisement, type SecretKind } from './binding.js';
import type { SecAggRoundContext } from './types.js';

/** A roster entry: an advertisement plus the identity key the coordinator has on file. */
export interface RosterEntry extends Advertisement {
  readonly identityPublicKey: Uint8Array;
}

/** Coordinator → bank for 'share-keys': the graph's k and t, |U1|, and the bank's neighbourhood (itself included). */
export interface Roster {
  readonly neighbours: number;
  readonly threshold: number;
  readonly numAdvertised: number;
  readonly entries: readonly RosterEntry[];
}

/** A share box with the other end of the pair (recipient going up, sender coming down). */
export interface BoxEntry {
  readonly peer: bigint;
  readonly box: Uint8Array;
}

/** Bank → coordinator for 'masked-input'. */
export interface MaskedInput {
  /** Neighbours whose share box failed to open or held bad shares. */
  readonly complaints: readonly bigint[];
  readonly vector: Uint32Array;
}

/** Coordinator → bank for 'unmask': whose self-seed shares and whose mask-key shares to reveal. */
export interface UnmaskRequest {
  readonly survivors: readonly bigint[];
  readonly dropped: readonly bigint[];
}

/** One revealed share. */
export interface RevealedShare {
  readonly owner: bigint;
  readonly kind: SecretKind;
  readonly share: Uint8Array;
}

const KEY = 32;

export function encodeAdvertise(ctx: SecAggRoundContext, a: Advertisement): Uint8Array {
  return beginMessage(ctx, 'advertise', 'up', a.numericId).str(a.memberId).raw(a.cPk).raw(a.sPk).raw(a.bCommit).raw(a.signature).finish();
}

export function decodeAdvertise(bytes: unknown, ex: Expected, offender: string): Advertisement {
  const r = openMessage(bytes, ex, offender, 'advertise message');
  const a = { numericId: ex.numericId, memberId: r.str('memberId'), cPk: r.raw(KEY, 'c_pk'), sPk: r.raw(KEY, 's_pk'), bCommit: r.raw(32, 'seed commitment'), signature: r.raw(64, 'signature') };
  r.end();
  return a;
}

export function encodeRoster(ctx: SecAggRoundContext, recipient: bigint, roster: Roster): Uint8Array {
  const w = beginMessage(ctx, 'share-keys', 'down', recipient).u16(roster.neighbours).u16(roster.threshold).u32(roster.numAdvertised).u16(roster.entries.length);
  for (const e of roster.entries) w.u64(e.numericId).str(e.memberId).raw(e.identityPublicKey).raw(e.cPk).raw(e.sPk).raw(e.bCommit).raw(e.signature);
  return w.finish();
}

export function decodeRoster(bytes: unknown, ex: Expected): Roster {
  const r = openMessage(bytes, ex, 'coordinator', 'roster');
  const neighbours = r.u16('k');
  const threshold = r.u16('t');
  const numAdvertised = r.u32('n');
  const count = r.u16('entry count');
  const entries: RosterEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({
      numericId: r.u64('numericId'),
      memberId: r.str('memberId'),
      identityPublicKey: r.raw(32, 'identity key'),
      cPk: r.raw(KEY, 'c_pk'),
      sPk: r.raw(KEY, 's_pk'),
      bCommit: r.raw(32, 'seed commitment'),
      signature: r.raw(64, 'signature'),
    });
  }
  r.end();
  return { neighbours, threshold, numAdvertised, entries };
}

function writeBoxes(ctx: SecAggRoundContext, stage: 'share-keys' | 'masked-input', dir: 'up' | 'down', id: bigint, boxes: readonly BoxEntry[]): Uint8Array {
  const w = beginMessage(ctx, stage, dir, id).u16(boxes.length);
  for (const b of boxes) w.u64(b.peer).bytes16(b.box);
  return w.finish();
}

function readBoxes(bytes: unknown, ex: Expected, offender: string, what: string): BoxEntry[] {
  const r = openMessage(bytes, ex, offender, what);
  const n = r.u16('box count');
  const out: BoxEntry[] = [];
  const seen = new Set<bigint>();
  for (let i = 0; i < n; i++) {
    const peer = r.u64('peer id');
    if (seen.has(peer)) r.fail(`two share boxes for member #${peer}`);
    seen.add(peer);
    out.push({ peer, box: r.bytes16(`box for #${peer}`, BOX_BYTES) });
  }
  r.end();
  return out;
}

export const encodeShareKeys = (ctx: SecAggRoundContext, sender: bigint, boxes: readonly BoxEntry[]): Uint8Array => writeBoxes(ctx, 'share-keys', 'up', sender, boxes);
export const decodeShareKeys = (bytes: unknown, ex: Expected, offender: string): BoxEntry[] => readBoxes(bytes, ex, offender, 'share-keys message');
export const encodeInbox = (ctx: SecAggRoundContext, recipient: bigint, boxes: readonly BoxEntry[]): Uint8Array => writeBoxes(ctx, 'masked-input', 'down', recipient, boxes);
export const decodeInbox = (bytes: unknown, ex: Expected): BoxEntry[] => readBoxes(bytes, ex, 'coordinator', 'inbox');

export function encodeMaskedInput(ctx: SecAggRoundContext, sender: bigint, m: MaskedInput, modulus: number): Uint8Array {
  const w = beginMessage(ctx, 'masked-input', 'up', sender);
  writeIds(w, m.complaints);
  writeVector(w, m.vector, modulus);
  return w.finish();
}

export function decodeMaskedInput(bytes: unknown, ex: Expected, offender: string, length: number, modulus: number): MaskedInput {
  const r = openMessage(bytes, ex, offender, 'masked-input message');
  const complaints = readIds(r, 'complaints');
  const vector = readVector(r, length, modulus);
  r.end();
  return { complaints, vector };
}

export function encodeUnmaskRequest(ctx: SecAggRoundContext, recipient: bigint, req: UnmaskRequest): Uint8Array {
  const w = beginMessage(ctx, 'unmask', 'down', recipient);
  writeIds(w, req.survivors);
  writeIds(w, req.dropped);
  return w.finish();
}

export function decodeUnmaskRequest(bytes: unknown, ex: Expected): UnmaskRequest {
  const r = openMessage(bytes, ex, 'coordinator', 'unmask request');
  const survivors = readIds(r, 'survivors');
  const dropped = readIds(r, 'dropped');
  r.end();
  return { survivors, dropped };
}

export function encodeUnmask(ctx: SecAggRoundContext, sender: bigint, shares: readonly RevealedShare[]): Uint8Array {
  const w = beginMessage(ctx, 'unmask', 'up', sender).u16(shares.length);
  for (const s of shares) w.u64(s.owner).u8(s.kind === 'self-seed' ? 1 : 2).bytes16(s.share);
  return w.finish();
}

export function decodeUnmask(bytes: unknown, ex: Expected, offender: string): RevealedShare[] {
  const r = openMessage(bytes, ex, offender, 'unmask message');
  const n = r.u16('share count');
  const out: RevealedShare[] = [];
  const seen = new Set<bigint>();
  for (let i = 0; i < n; i++) {
    const owner = r.u64('owner id');
    const kind = r.u8('share kind');
    if (kind !== 1 && kind !== 2) r.fail(`share kind ${kind} for #${owner}: expected 1 (self-seed) or 2 (mask-key)`);
    if (seen.has(owner)) r.fail(`reveals two shares of member #${owner}: a bank's self seed and mask key are never both revealed`);
    seen.add(owner);
    out.push({ owner, kind: kind === 1 ? 'self-seed' : 'mask-key', share: r.bytes16(`share of #${owner}`, 44) });
  }
  r.end();
  return out;
}
