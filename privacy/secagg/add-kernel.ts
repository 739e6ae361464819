/** Lane-wise addition and subtraction mod 2^32 of Int32 vectors: a 16-byte-SIMD WebAssembly kernel with a plain-JS fallback. */

/** Bytes per chunk the kernel works on; callers hand it at most this many bytes at a time. */
export const KERNEL_CHUNK_BYTES = 1 << 16;

// Function body of add/sub(dst, src, nbytes): for (p = dst; p < dst + nbytes; p += 16, src += 16) v128[p] = v128[p] ± v128[src].
// Hand-assembled (no build step); each line is one instruction. `op` is i32x4.add (0xae 0x01) or i32x4.sub (0xb1 0x01).
const body = (op: number): number[] => [
  0x01, 0x01, 0x7f, //                   locals: 1 × i32 (index 3 = end)
  0x20, 0x00, 0x20, 0x02, 0x6a, 0x21, 0x03, // end = dst + nbytes
  0x02, 0x40, 0x03, 0x40, //             block, loop
  0x20, 0x00, 0x20, 0x03, 0x4f, 0x0d, 0x01, // if dst >= end: break
  0x20, 0x00, //                         address for the store
  0x20, 0x00, 0xfd, 0x00, 0x02, 0x00, // v128.load dst
  0x20, 0x01, 0xfd, 0x00, 0x02, 0x00, // v128.load src
  0xfd, op, 0x01, //                     i32x4.add / i32x4.sub (wraps mod 2^32 per lane)
  0xfd, 0x0b, 0x02, 0x00, //             v128.store
  0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00, // dst += 16
  0x20, 0x01, 0x41, 0x10, 0x6a, 0x21, 0x01, // src += 16
  0x0c, 0x00, //                         continue
  0x0b, 0x0b, 0x0b, //                   end loop, end block, end function
];
const section = (id: number, bytes: number[]): number[] => [id, bytes.length, ...bytes];
const fn = (op: number): number[] => {
  const b = body(op);
  return [b.length, ...b];
};
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
  ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00]), // type 0: (i32, i32, i32) → ()
  ...section(3, [0x02, 0x00, 0x00]), // two functions of type 0
  ...section(5, [0x01, 0x00, 0x02]), // one memory, 2 pages (128 KiB): accumulator chunk + one operand chunk
  ...section(7, [0x03, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x03, 0x73, 0x75, 0x62, 0x00, 0x01, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00]), // exports add, sub, mem
  ...section(10, [0x02, ...fn(0xae), ...fn(0xb1)]),
]);

/** Adds (sign 1) or subtracts (sign −1) operand chunks into one accumulator chunk, wrapping mod 2^32. */
export interface AddKernel {
  /** Which implementation this is (reported by the benchmark). */
  readonly kind: 'wasm-simd' | 'js';
  /** Loads `acc` (≤ KERNEL_CHUNK_BYTES) as the accumulator chunk. */
  load(acc: Int32Array): void;
  /** acc ← acc + sign·operand lane-wise; `operand` has the loaded chunk's length. */
  apply(operand: Int32Array, sign: 1 | -1): void;
  /** Writes the accumulator chunk back into `acc` (the array given to load). */
  store(acc: Int32Array): void;
}

// The slice of the WebAssembly global this file uses (the project's TypeScript lib has no WebAssembly types).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { add: Kernel; sub: Kernel; mem: { buffer: ArrayBuffer } } };
}
type Kernel = (dst: number, src: number, nbytes: number) => void;

function wasmKernel(): AddKernel | undefined {
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return undefined;
    const { add, sub, mem: memory } = new wasm.Instance(new wasm.Module(MODULE)).exports;
    const mem = new Uint8Array(memory.buffer);
    let bytes = 0;
    return {
      kind: 'wasm-simd',
      load(acc) {
        bytes = acc.length * 4;
        mem.set(new Uint8Array(acc.buffer, acc.byteOffset, bytes), 0);
      },
      apply(operand, sign) {
        mem.set(new Uint8Array(operand.buffer, operand.byteOffset, bytes), KERNEL_CHUNK_BYTES);
        // Whole 16-byte lanes: the tail past `bytes` is scratch and never stored back.
        const n = (bytes + 15) & ~15;
        if (sign === 1) add(0, KERNEL_CHUNK_BYTES, n);
        else sub(0, KERNEL_CHUNK_BYTES, n);
      },
      store(acc) {
        new Uint8Array(acc.buffer, acc.byteOffset, bytes).set(mem.subarray(0, bytes));
      },
    };
  } catch {
    return undefined; // no WebAssembly SIMD in this runtime: the JS kernel below gives the same results
  }
}

function jsKernel(): AddKernel {
  let a: Int32Array = new Int32Array(0);
  return {
    kind: 'js',
    load(acc) {
      a = acc;
    },
    apply(k, sign) {
      if (sign === 1) for (let i = 0; i < a.length; i++) a[i] = (a[i]! + k[i]!) | 0;
      else for (let i = 0; i < a.length; i++) a[i] = (a[i]! - k[i]!) | 0;
    },
    store() {
      // worked in place
    },
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
let shared: AddKernel | undefined;

/**
 * The process's add kernel: WebAssembly SIMD where available (on little-endian hosts: the kernel's memory is
 * little-endian), else plain JS. Synchronous and single-threaded: callers finish load → apply… → store
 * before anything else uses it.
 * @param forceJs use the JS kernel (tests compare the two).
 * @returns the kernel.
 */
export function addKernel(forceJs = false): AddKernel {
  if (forceJs || !LITTLE_ENDIAN) return jsKernel();
  shared ??= wasmKernel() ?? jsKernel();
  return shared;
}
