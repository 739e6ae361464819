/** Exact Bernoulli samplers on integers (Canonne–Kamath–Steinke 2020, Alg. 1): Bernoulli(p/q) and Bernoulli(exp(−p/q)). */
import type { RandomReader } from '../../common/random.js';

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/** A uniform integer in [0, m) for a safe integer 1 ≤ m ≤ 2^53, by rejection (no modulo bias). */
export function uniformBelow(reader: RandomReader, m: number): number {
  if (m <= TWO_32) return reader.int(m);
  // Draw 53 bits and reject above the largest multiple of m.
  const limit = TWO_53 - (TWO_53 % m);
  for (;;) {
    const v = (reader.uint32() >>> 11) * TWO_32 + reader.uint32();
    if (v < limit) return v % m;
  }
}

/** A uniform bigint in [0, m) for m ≥ 1, by rejection on the bit length of m. */
export function uniformBelowBig(reader: RandomReader, m: bigint): bigint {
  if (m <= BigInt(TWO_53)) return BigInt(uniformBelow(reader, Number(m)));
  const bits = m.toString(2).length;
  const words = Math.ceil(bits / 32);
  const excess = BigInt(words * 32 - bits);
  for (;;) {
    let v = 0n;
    for (let i = 0; i < words; i++) v = (v << 32n) | BigInt(reader.uint32());
    v >>= excess;
    if (v < m) return v;
  }
}

/** Bernoulli(p/q) for integers 0 ≤ p ≤ q. */
export function bernoulliRatio(reader: RandomReader, p: bigint, q: bigint): boolean {
  return uniformBelowBig(reader, q) < p;
}

/**
 * Bernoulli(exp(−γ)) with γ = p/q ≥ 0 given as integers, exactly (CKS Alg. 1):
 * for γ ≤ 1 draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until one fails; K odd ⇔ success.
 * For γ > 1 it is the product of ⌊γ⌋ Bernoulli(e^−1) draws and one Bernoulli(exp(−(γ − ⌊γ⌋))).
 * Uses Number arithmetic while every product stays below 2^53, BigInt beyond.
 */
export function bernoulliExp(reader: RandomReader, p: bigint, q: bigint): boolean {
  let rest = p;
  while (rest > q) {
    if (!bernoulliExpSmall(reader, 1, 1)) return false;
    rest -= q;
  }
  if (q < 1n << 40n) return bernoulliExpSmall(reader, Number(rest), Number(q));
  let k = 1n;
  while (bernoulliRatio(reader, rest, q * k)) k++;
  return (k & 1n) === 1n;
}

/** The Number fast path of {@link bernoulliExp} for 0 ≤ p ≤ q < 2^40. */
export function bernoulliExpSmall(reader: RandomReader, p: number, q: number): boolean {
  let k = 1;
  for (;;) {
    const m = q * k;
    // K beyond 2^13 has probability below 1/8192!; fall back to BigInt rather than lose exactness.
    const success = m <= TWO_53 ? uniformBelow(reader, m) < p : bernoulliRatio(reader, BigInt(p), BigInt(q) * BigInt(k));
    if (!success) break;
    k++;
  }
  return (k & 1) === 1;
}

/**
 * Discrete Laplace with integer scale t ≥ 1: P(Y = y) ∝ exp(−|y|/t) (CKS Alg. 2), exactly.
 * U uniform in [0, t) accepted with Bernoulli(exp(−U/t)), plus t·V with V ~ Geometric(1 − e^−1)
 * drawn from Bernoulli(e^−1) trials; a random sign, rejecting "−0" so that 0 is not counted twice.
 */
export function discreteLaplace(reader: RandomReader, t: number): number {
  for (;;) {
    const u = reader.int(t);
    if (!bernoulliExpSmall(reader, u, t)) continue;
    let v = 0;
    while (bernoulliExpSmall(reader, 1, 1)) v++;
    const x = u + t * v;
    const negative = (reader.uint32() & 1) === 1;
    if (negative && x === 0) continue;
    return negative ? -x : x;
  }
}
