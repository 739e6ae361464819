/** GF(2^8) arithmetic with the AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11B), branch-free and table-free. */

function checkElement(ctx: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${ctx}: "${name}" expected integer in [0, 255], got ${typeof v}`);
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${ctx}: "${name}" expected integer in [0, 255], got ${v}`);
}

/**
 * Field addition (and subtraction): XOR.
 * @example gfAdd(3, 4) // 7 (Vault shamir_test.go)
 */
export function gfAdd(a: number, b: number): number {
  checkElement('gfAdd', 'a', a);
  checkElement('gfAdd', 'b', b);
  return a ^ b;
}

// Shift-and-add multiply with masks instead of branches or log/exp lookups: secret bytes (share values,
// secret key bytes) then never steer a branch or a memory address. 8 fixed iterations per product.
function mulRaw(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) {
    p ^= a & -(b & 1);
    const carry = -((a >> 7) & 1);
    a = ((a << 1) ^ (0x1b & carry)) & 0xff;
    b >>= 1;
  }
  return p;
}

// a^254 = a^-1 for a ≠ 0 (and 0 for a = 0) by a fixed square-and-multiply chain: constant time.
function invRaw(a: number): number {
  const a2 = mulRaw(a, a);
  const a3 = mulRaw(a2, a);
  const a6 = mulRaw(a3, a3);
  const a12 = mulRaw(a6, a6);
  const a15 = mulRaw(a12, a3);
  const a30 = mulRaw(a15, a15);
  const a60 = mulRaw(a30, a30);
  const a63 = mulRaw(a60, a3);
  const a126 = mulRaw(a63, a63);
  const a127 = mulRaw(a126, a);
  return mulRaw(a127, a127);
}

/**
 * Field multiplication modulo 0x11B.
 * @example gfMul(0x57, 0x83) // 0xc1 (FIPS-197 §4.2)
 */
export function gfMul(a: number, b: number): number {
  checkElement('gfMul', 'a', a);
  checkElement('gfMul', 'b', b);
  return mulRaw(a, b);
}

/**
 * Multiplicative inverse.
 * @throws RangeError for 0, which has none.
 * @example gfInv(0x53) // 0xca (FIPS-197 §4.2)
 */
export function gfInv(a: number): number {
  checkElement('gfInv', 'a', a);
  if (a === 0) throw new RangeError('gfInv: "a" expected non-zero field element, got 0');
  return invRaw(a);
}

/**
 * Field division a / b.
 * @throws RangeError for b = 0.
 * @example gfDiv(6, 3) // 2 (Vault shamir_test.go)
 */
export function gfDiv(a: number, b: number): number {
  checkElement('gfDiv', 'a', a);
  checkElement('gfDiv', 'b', b);
  if (b === 0) throw new RangeError('gfDiv: "b" expected non-zero field element, got 0');
  return mulRaw(a, invRaw(b));
}

/**
 * Lagrange basis values ℓ_i(at) = Π_{j≠i} (at − x_j) / (x_i − x_j) for distinct points xs.
 * The x-coordinates are public, so this runs once per share set and the per-byte work is t products.
 * @param xs distinct field elements.
 * @param at the evaluation point (0 to recover a secret).
 * @returns one coefficient per x.
 * @throws RangeError for repeated x-coordinates.
 * @example lagrangeAt([2, 4, 5], 0) // the weights that recover f(0) from f(2), f(4), f(5)
 */
export function lagrangeAt(xs: readonly number[], at: number): number[] {
  if (!Array.isArray(xs as unknown)) throw new TypeError(`lagrangeAt: "xs" expected array of field elements, got ${typeof xs}`);
  xs.forEach((x, i) => checkElement('lagrangeAt', `xs[${i}]`, x));
  checkElement('lagrangeAt', 'at', at);
  if (new Set(xs).size !== xs.length) throw new RangeError('lagrangeAt: "xs" expected distinct x-coordinates, got a repeated one');
  return xs.map((xi, i) => {
    let num = 1;
    let den = 1;
    for (let j = 0; j < xs.length; j++) {
      if (j === i) continue;
      num = mulRaw(num, at ^ xs[j]!);
      den = mulRaw(den, xi ^ xs[j]!);
    }
    return mulRaw(num, invRaw(den));
  });
}

/**
 * Evaluates, byte-wise, the polynomial through the points (xs[i], ys[i][k]) at `at`: out[k] = Σ ℓ_i(at)·ys[i][k].
 * @param xs distinct x-coordinates.
 * @param ys one byte string per point, all the same length.
 * @param at the evaluation point.
 * @returns the interpolated byte string.
 * @throws RangeError for repeated xs or unequal lengths.
 */
export function interpolateAt(xs: readonly number[], ys: readonly Uint8Array[], at: number): Uint8Array {
  const weights = lagrangeAt(xs, at);
  if (!Array.isArray(ys as unknown) || ys.length !== xs.length) throw new RangeError(`interpolateAt: "ys" expected ${xs.length} byte strings, got ${Array.isArray(ys as unknown) ? ys.length : typeof ys}`);
  const len = ys[0]?.length ?? 0;
  ys.forEach((y, i) => {
    if (!(y instanceof Uint8Array)) throw new TypeError(`interpolateAt: "ys[${i}]" expected Uint8Array, got ${typeof y}`);
    if (y.length !== len) throw new RangeError(`interpolateAt: "ys[${i}]" expected Uint8Array(${len}), got Uint8Array(${y.length})`);
  });
  const out = new Uint8Array(len);
  for (let i = 0; i < ys.length; i++) {
    const w = weights[i]!;
    const y = ys[i]!;
    for (let k = 0; k < len; k++) out[k] ^= mulRaw(w, y[k]!);
  }
  return out;
}

/** Internal fast paths for shamir.ts (arguments already checked). */
export const gfInternal = { mul: mulRaw, inv: invRaw };
