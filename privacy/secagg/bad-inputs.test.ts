/** Wrong-type table against every exported SecAgg function: each bad argument gets a typed error saying what was expected. */
import { describe, it, expect } from 'vitest';
import { describeValue } from '../../common/assert.js';
import { FedfinError } from '../../common/errors.js';
import { seededRandom } from '../../common/seeded-random.js';
import * as secagg from './index.js';

const b32 = (): Uint8Array => new Uint8Array(32).fill(1);
const sid = new Uint8Array(32).fill(2);
const rng = seededRandom('bad-inputs');
const pk = secagg.publicKeyOf(b32());
const quant = { clippingRange: 1, targetRange: 16, modulus: 2 ** 32, maxWeight: 10, numClients: 2 };
const shares = secagg.splitSecret(b32(), { threshold: 2, shares: 3, secretId: sid }, rng);
const sig = secagg.generateSigningKeyPair(rng);
const adv = { round: 1, memberId: 1, cPk: pk, sPk: secagg.publicKeyOf(new Uint8Array(32).fill(3)) };

/** Wrong values by kind of parameter (none of them valid for that kind). */
const BAD = {
  bytes: [undefined, null, 'abc', 42, {}, [1, 2, 3], new Uint32Array(32)],
  int: [undefined, null, '1', NaN, 1.5, -1, {}],
  id: [undefined, null, '1', -1, 1.5, 2n ** 64n, {}],
  array: [undefined, null, 'abc', 42, {}],
  u32: [undefined, null, [1, 2], new Uint8Array(4), {}],
  object: [undefined, null, 'abc', 42],
  modulus: [undefined, null, '7', 1, 2 ** 32 + 1, 1.5, NaN],
  sign: [0, 2, '1', null],
  weight: [undefined, null, '1', NaN, -1, {}],
  purpose: ['sign', undefined, 1],
  rng: [undefined, null, 'abc', 42, {}, [1, 2], new Uint8Array(4), { fill: 1 }],
} as const;

type Kind = keyof typeof BAD;
/** function name → valid arguments and the kind of each. */
const TABLE: Record<string, { call: (...a: unknown[]) => unknown; args: unknown[]; kinds: (Kind | null)[] }> = {
  publicKeyOf: { call: secagg.publicKeyOf as never, args: [b32()], kinds: ['bytes'] },
  agree: { call: secagg.agree as never, args: [b32(), pk], kinds: ['bytes', 'bytes'] },
  agreeNacl: { call: secagg.agreeNacl as never, args: [b32(), pk], kinds: ['bytes', 'bytes'] },
  agreeMany: { call: secagg.agreeMany as never, args: [b32(), [pk]], kinds: ['bytes', 'array'] },
  isAllZero: { call: secagg.isAllZero as never, args: [b32()], kinds: ['bytes'] },
  sessionId: { call: secagg.sessionId as never, args: [1, [{ id: 1, cPk: pk, sPk: adv.sPk }]], kinds: ['int', 'array'] },
  deriveKey: { call: secagg.deriveKey as never, args: [b32(), sid, 'enc', 1, 2], kinds: ['bytes', 'bytes', 'purpose', 'id', 'id'] },
  hkdf: { call: secagg.hkdf as never, args: [b32(), sid, sid, 32], kinds: ['bytes', 'bytes', 'bytes', 'int'] },
  sealShare: { call: secagg.sealShare as never, args: [b32(), { sid, sender: 1, recipient: 2 }, b32(), rng], kinds: ['bytes', 'object', 'bytes', 'rng'] },
  openShare: { call: secagg.openShare as never, args: [b32(), { sid, sender: 1, recipient: 2 }, secagg.sealShare(b32(), { sid, sender: 1, recipient: 2 }, b32(), rng)], kinds: ['bytes', 'object', 'bytes'] },
  advertisementMessage: { call: secagg.advertisementMessage as never, args: [adv], kinds: ['object'] },
  signAdvertisement: { call: secagg.signAdvertisement as never, args: [sig.secretKey, adv], kinds: ['bytes', 'object'] },
  verifyAdvertisement: { call: secagg.verifyAdvertisement as never, args: [sig.publicKey, adv, secagg.signAdvertisement(sig.secretKey, adv)], kinds: ['bytes', 'object', 'bytes'] },
  gfAdd: { call: secagg.gfAdd as never, args: [1, 2], kinds: ['int', 'int'] },
  gfMul: { call: secagg.gfMul as never, args: [1, 2], kinds: ['int', 'int'] },
  gfInv: { call: secagg.gfInv as never, args: [1], kinds: ['int'] },
  gfDiv: { call: secagg.gfDiv as never, args: [1, 2], kinds: ['int', 'int'] },
  lagrangeAt: { call: secagg.lagrangeAt as never, args: [[1, 2], 0], kinds: ['array', 'int'] },
  interpolateAt: { call: secagg.interpolateAt as never, args: [[1, 2], [b32(), b32()], 0], kinds: ['array', 'array', 'int'] },
  shareTag: { call: secagg.shareTag as never, args: [sid], kinds: ['bytes'] },
  splitSecret: { call: secagg.splitSecret as never, args: [b32(), { threshold: 2, shares: 3, secretId: sid }, rng], kinds: ['bytes', 'object', 'rng'] },
  combineShares: { call: secagg.combineShares as never, args: [shares], kinds: ['array'] },
  encodeShare: { call: secagg.encodeShare as never, args: [shares[0]], kinds: ['object'] },
  decodeShare: { call: secagg.decodeShare as never, args: [secagg.encodeShare(shares[0]!)], kinds: ['bytes'] },
  addMask: { call: secagg.addMask as never, args: [new Uint32Array(4), b32(), 1, 2 ** 32], kinds: ['u32', 'bytes', 'sign', 'modulus'] },
  addMasks: { call: secagg.addMasks as never, args: [new Uint32Array(4), [{ key: b32(), sign: -1 }], 2 ** 32], kinds: ['u32', 'array', 'modulus'] },
  fillMask: { call: secagg.fillMask as never, args: [new Uint32Array(4), b32(), 2 ** 32], kinds: ['u32', 'bytes', 'modulus'] },
  expandMask: { call: secagg.expandMask as never, args: [b32(), 4, 2 ** 32], kinds: ['bytes', 'int', 'modulus'] },
  checkQuantizeParams: { call: secagg.checkQuantizeParams as never, args: [quant], kinds: ['object'] },
  weightFactor: { call: secagg.weightFactor as never, args: [5, quant], kinds: ['weight', null] },
  quantize: { call: secagg.quantize as never, args: [[0.5], 5, quant, rng], kinds: ['object', 'weight', 'object', 'rng'] },
  dequantizeSum: { call: secagg.dequantizeSum as never, args: [Uint32Array.of(16, 8), 1, quant], kinds: ['u32', 'int', 'object'] },
  maskInput: { call: secagg.maskInput as never, args: [new Uint32Array(4), b32(), [{ peerId: 2, key: b32() }], 1, 2 ** 32], kinds: ['u32', 'bytes', 'array', 'id', 'modulus'] },
  sumVectors: { call: secagg.sumVectors as never, args: [[new Uint32Array(4)], 2 ** 32], kinds: ['array', 'modulus'] },
  unmaskSum: { call: secagg.unmaskSum as never, args: [new Uint32Array(4), [{ id: 1, seed: b32() }], [], 2 ** 32], kinds: ['u32', 'array', 'array', 'modulus'] },
  defaultDegree: { call: secagg.defaultDegree as never, args: [10], kinds: ['int'] },
  defaultThreshold: { call: secagg.defaultThreshold as never, args: [4], kinds: ['int'] },
  secAggParamIssues: { call: secagg.secAggParamIssues as never, args: [{ n: 10 }], kinds: ['object'] },
  checkSecAggParams: { call: secagg.checkSecAggParams as never, args: [{ n: 10 }], kinds: ['object'] },
  buildNeighbourhoods: { call: secagg.buildNeighbourhoods as never, args: [[1, 2, 3], 2, rng], kinds: ['array', 'int', 'rng'] },
  generateKeyPair: { call: secagg.generateKeyPair as never, args: [rng], kinds: ['rng'] },
  generateSigningKeyPair: { call: secagg.generateSigningKeyPair as never, args: [rng], kinds: ['rng'] },
  toMemberId: { call: ((v: unknown) => secagg.toMemberId('f', 'id', v)) as never, args: [1], kinds: ['id'] },
};

describe('secagg wrong-type table', () => {
  it('covers every exported function', () => {
    const exported = Object.entries(secagg).filter(([, v]) => typeof v === 'function' && !/Error$/.test(v.name)).map(([k]) => k);
    const skipped = ['encodeMemberId', 'encodeRound', 'concatBytes', 'checkModulus', 'isPowerOfTwo'];
    expect(exported.filter((k) => !(k in TABLE) && !skipped.includes(k))).toEqual([]);
  });

  for (const [name, { call, args, kinds }] of Object.entries(TABLE)) {
    it(`${name} accepts its valid arguments and rejects each wrong one with a typed error saying what was expected`, () => {
      // secAggParamIssues reports rather than throws; everything else must throw.
      expect(() => call(...args)).not.toThrow();
      kinds.forEach((kind, i) => {
        if (kind === null) return;
        for (const bad of BAD[kind]) {
          const a = args.slice();
          a[i] = bad;
          let err: unknown;
          try {
            const r = call(...a);
            if (name === 'secAggParamIssues' && Array.isArray(r) && r.length > 0) continue;
          } catch (e) {
            err = e;
          }
          const label = `${name} arg ${i} = ${describeValue(bad)}`;
          expect(err, label).toBeDefined();
          expect(err instanceof TypeError || err instanceof RangeError || err instanceof FedfinError, label).toBe(true);
          expect((err as Error).message, label).toMatch(/expected|signature does not verify|authentication failed/);
        }
      });
    });
  }

  it('throws directly for the small guards', () => {
    expect(() => secagg.checkModulus('f', 1)).toThrow(RangeError);
    expect(() => secagg.encodeRound('f', -1)).toThrow(/"round" expected non-negative integer, got -1/);
    expect(() => secagg.generateKeyPair(null as never)).toThrow(TypeError);
  });
});
