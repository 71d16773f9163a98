/**
 * The loop's matrix products in WebAssembly SIMD: the products of gemm.ts on float64 pairs (f64x2), three
 * to four times as fast as the JavaScript kernels for the LSTM's shapes (bench/README.md). They work on arrays
 * that live in the module's linear memory (a Workspace: workspace.ts), so no call copies anything. The
 * kernels are written in the WebAssembly text format (gemm-kernels.ts) and assembled at run time by wat.ts.
 * Float64 throughout, so results differ from gemm.ts's only by the order of the additions (rounding).
 */
import { matmul, matmulTransposeA, matmulTransposeB, type Products } from './gemm';
import { GEMM_KERNELS } from './gemm-kernels';
import { assemble } from './wat';

/** The kernels' exports; addresses and strides are in bytes, `accumulate` is 0 or 1. */
interface Kernels {
  product(
    a: number,
    aRow: number,
    aInner: number,
    b: number,
    out: number,
    rows: number,
    inner: number,
    columns: number,
    accumulate: number,
  ): void;
  productTransposeB(
    a: number,
    b: number,
    out: number,
    rows: number,
    length: number,
    count: number,
    accumulate: number,
  ): void;
}

/**
 * The parts of the WebAssembly JavaScript API used here, typed locally: TypeScript declares WebAssembly in
 * its DOM library, which core code does not load, and @types/node 20 does not declare it.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: LinearMemory } }) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => LinearMemory;
}

/** A WebAssembly.Memory: its `buffer` is the ArrayBuffer the arrays of a workspace view. */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
}

// Through unknown: where the DOM library is loaded (the tests' tsconfig), its WebAssembly type differs.
const api = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
let compiled: object | null | undefined;

/** The compiled kernels, once per process; undefined where WebAssembly or its SIMD is missing. */
function kernelModule(): object | undefined {
  if (compiled === undefined) {
    const bytes = assemble(GEMM_KERNELS);
    compiled = api?.validate(bytes) ? new api.Module(bytes) : null;
  }
  return compiled ?? undefined;
}

/** Whether this runtime runs the SIMD kernels (Node 16.4+ and current browsers do). */
export function simdAvailable(): boolean {
  return kernelModule() !== undefined;
}

/** A new linear memory of `pages` × 64 KiB for the kernels; only when simdAvailable(). */
export function linearMemory(pages: number): LinearMemory {
  if (!api || !simdAvailable()) throw new Error('WebAssembly SIMD is not available in this runtime');
  return new api.Memory({ initial: pages });
}

/**
 * gemm.ts's products for arrays in `memory`: an instance of the kernels bound to it. An operand elsewhere
 * (which the loop's layers never pass) takes gemm.ts's kernel, so results never depend on where arrays live.
 */
export class SimdProducts implements Products {
  private readonly kernels: Kernels;

  /** Throws when simdAvailable() is false. */
  constructor(private readonly memory: LinearMemory) {
    const module = kernelModule();
    if (!api || !module) throw new Error('WebAssembly SIMD is not available in this runtime');
    // The exports are the functions of GEMM_KERNELS, whose signatures Kernels spells out.
    this.kernels = new api.Instance(module, { env: { memory } }).exports as Kernels;
  }

  private inMemory(a: Float64Array, b: Float64Array, out: Float64Array): boolean {
    const buffer = this.memory.buffer;
    return a.buffer === buffer && b.buffer === buffer && out.buffer === buffer;
  }

  /** See gemm.ts's matmul. */
  matmul(
    a: Float64Array,
    b: Float64Array,
    out: Float64Array,
    m: number,
    k: number,
    n: number,
    accumulate = false,
    aOffset = 0,
    outOffset = 0,
  ): void {
    if (!this.inMemory(a, b, out)) return matmul(a, b, out, m, k, n, accumulate, aOffset, outOffset);
    const aAddress = a.byteOffset + 8 * aOffset;
    const outAddress = out.byteOffset + 8 * outOffset;
    this.kernels.product(aAddress, 8 * k, 8, b.byteOffset, outAddress, m, k, n, accumulate ? 1 : 0);
  }

  /** See gemm.ts's matmulTransposeA: out's row p is Σi a[i, p] · b[i, ·]. */
  matmulTransposeA(
    a: Float64Array,
    b: Float64Array,
    out: Float64Array,
    m: number,
    k: number,
    n: number,
    accumulate = false,
    aOffset = 0,
    bOffset = 0,
  ): void {
    if (!this.inMemory(a, b, out)) return matmulTransposeA(a, b, out, m, k, n, accumulate, aOffset, bOffset);
    const aAddress = a.byteOffset + 8 * aOffset;
    const bAddress = b.byteOffset + 8 * bOffset;
    this.kernels.product(aAddress, 8, 8 * k, bAddress, out.byteOffset, k, m, n, accumulate ? 1 : 0);
  }

  /** See gemm.ts's matmulTransposeB. */
  matmulTransposeB(
    a: Float64Array,
    b: Float64Array,
    out: Float64Array,
    m: number,
    n: number,
    k: number,
    accumulate = false,
    aOffset = 0,
    outOffset = 0,
  ): void {
    if (!this.inMemory(a, b, out))
      return matmulTransposeB(a, b, out, m, n, k, accumulate, aOffset, outOffset);
    const aAddress = a.byteOffset + 8 * aOffset;
    const outAddress = out.byteOffset + 8 * outOffset;
    this.kernels.productTransposeB(aAddress, b.byteOffset, outAddress, m, n, k, accumulate ? 1 : 0);
  }
}
