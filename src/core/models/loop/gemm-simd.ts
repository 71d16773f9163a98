/**
 * The loop's kernels in WebAssembly SIMD: the products of gemm.ts and the layer passes of kernels.ts on float32
 * quadruples (f32x4). They work on arrays that live in the module's linear memory (a Workspace: workspace.ts),
 * so no call copies anything. The kernels are written in the WebAssembly text format (kernels.wat) and assembled by wabt at build
 * time (esbuild.mjs bundles the bytes as LOOP_KERNELS_WASM); run from the TypeScript sources (tests, bench
 * scripts through tsx), prepareLoopKernels() assembles them on first use (scripts/loop-kernels.mjs). Results
 * differ from gemm.ts's by float32 rounding: the kernels add in float32 as tfjs does, gemm.ts in float64.
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { matmul, matmulTransposeA, matmulTransposeB } from './gemm';
import { scalarKernels, type Kernels, type WindowGeometry } from './kernels';

/** The kernels' module, base64: defined by esbuild.mjs in bundles, absent when run from the sources. */
declare const LOOP_KERNELS_WASM: string | undefined;

/** product()'s epilogue flags (kernels.wat). */
const ACCUMULATE = 1;
const BIAS = 2;
const RELU = 4;

/** The module's exports (kernels.wat); addresses and strides are in bytes, flags 0 or 1 unless said. */
interface Exports {
  product(
    a: number,
    aRow: number,
    aInner: number,
    b: number,
    out: number,
    rows: number,
    inner: number,
    columns: number,
    epilogue: number,
    bias: number,
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
  reluGradient(gradient: number, output: number, length: number): void;
  columnSums(values: number, rows: number, columns: number, out: number): void;
  patches(image: number, patches: number, gradient: number, batch: number, ...geometry: number[]): void;
  maxPool(
    input: number,
    output: number,
    gradient: number,
    outputGradient: number,
    inputGradient: number,
    batch: number,
    ...geometry: number[]
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
/** The compiled kernels: undefined until prepared, null where WebAssembly or its SIMD is missing. */
let compiled: object | null | undefined;
let preparing: Promise<void> | undefined;

/**
 * Compiles the kernels once per process; the loop's layers use the JavaScript products until this has run
 * (same results to rounding, slower). NeuralEstimator awaits it before training.
 */
export function prepareLoopKernels(): Promise<void> {
  preparing ??= kernelBytes().then(
    (bytes) => {
      compiled = api?.validate(bytes) ? new api.Module(bytes) : null;
    },
    () => {
      compiled = null;
    },
  );
  return preparing;
}

async function kernelBytes(): Promise<Uint8Array> {
  if (typeof LOOP_KERNELS_WASM === 'string') return Buffer.from(LOOP_KERNELS_WASM, 'base64');
  // Run from the TypeScript sources: assembled now by wabt (a devDependency), never in a bundle. From
  // __filename: where tsx loads this file for an ES module (the bench scripts), __dirname is 'data:text'.
  const folder = dirname(__filename);
  const script = pathToFileURL(join(folder, '..', '..', '..', '..', 'scripts', 'loop-kernels.mjs')).href;
  const { loopKernelBytes } = (await import(script)) as { loopKernelBytes(): Promise<Uint8Array> };
  return loopKernelBytes();
}

function kernelModule(): object | undefined {
  return compiled ?? undefined;
}

/** Whether the SIMD kernels are ready (prepareLoopKernels() has run and the runtime has WebAssembly SIMD). */
export function simdAvailable(): boolean {
  return kernelModule() !== undefined;
}

/** A new linear memory of `pages` × 64 KiB for the kernels; only when simdAvailable(). */
export function linearMemory(pages: number): LinearMemory {
  if (!api || !simdAvailable()) throw new Error('WebAssembly SIMD is not available in this runtime');
  return new api.Memory({ initial: pages });
}

/**
 * kernels.ts's kernels for arrays in `memory`: an instance of the SIMD module bound to it. An operand elsewhere
 * (which the loop's layers never pass), or a pooling whose channels are not a multiple of 4, takes the
 * JavaScript kernel, so results never depend on where arrays live.
 */
export class SimdKernels implements Kernels {
  private readonly exports: Exports;

  /** Throws when simdAvailable() is false. */
  constructor(private readonly memory: LinearMemory) {
    const module = kernelModule();
    if (!api || !module) throw new Error('WebAssembly SIMD is not available in this runtime');
    // The exports are the functions of kernels.wat, whose signatures Exports spells out.
    this.exports = new api.Instance(module, { env: { memory } }).exports as Exports;
  }

  private inMemory(...arrays: Float32Array[]): boolean {
    const buffer = this.memory.buffer;
    return arrays.every((array) => array.buffer === buffer);
  }

  /** See gemm.ts's matmul. */
  matmul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    accumulate = false,
    aOffset = 0,
    outOffset = 0,
  ): void {
    if (!this.inMemory(a, b, out)) return matmul(a, b, out, m, k, n, accumulate, aOffset, outOffset);
    const aAddress = a.byteOffset + 4 * aOffset;
    const outAddress = out.byteOffset + 4 * outOffset;
    const epilogue = accumulate ? ACCUMULATE : 0;
    this.exports.product(aAddress, 4 * k, 4, b.byteOffset, outAddress, m, k, n, epilogue, 0);
  }

  /** See gemm.ts's matmulTransposeA: out's row p is Σi a[i, p] · b[i, ·]. */
  matmulTransposeA(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    accumulate = false,
    aOffset = 0,
    bOffset = 0,
  ): void {
    if (!this.inMemory(a, b, out)) return matmulTransposeA(a, b, out, m, k, n, accumulate, aOffset, bOffset);
    const aAddress = a.byteOffset + 4 * aOffset;
    const bAddress = b.byteOffset + 4 * bOffset;
    const epilogue = accumulate ? ACCUMULATE : 0;
    this.exports.product(aAddress, 4, 4 * k, bAddress, out.byteOffset, k, m, n, epilogue, 0);
  }

  /** See gemm.ts's matmulTransposeB. */
  matmulTransposeB(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    n: number,
    k: number,
    accumulate = false,
    aOffset = 0,
    outOffset = 0,
  ): void {
    if (!this.inMemory(a, b, out))
      return matmulTransposeB(a, b, out, m, n, k, accumulate, aOffset, outOffset);
    const aAddress = a.byteOffset + 4 * aOffset;
    const outAddress = out.byteOffset + 4 * outOffset;
    this.exports.productTransposeB(aAddress, b.byteOffset, outAddress, m, n, k, accumulate ? 1 : 0);
  }

  /** See kernels.ts. */
  affine(
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | undefined,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    relu: boolean,
  ): void {
    if (!this.inMemory(a, b, out, bias ?? out)) return scalarKernels.affine(a, b, bias, out, m, k, n, relu);
    const epilogue = (bias ? BIAS : 0) | (relu ? RELU : 0);
    this.exports.product(
      a.byteOffset,
      4 * k,
      4,
      b.byteOffset,
      out.byteOffset,
      m,
      k,
      n,
      epilogue,
      bias?.byteOffset ?? 0,
    );
  }

  /** See kernels.ts. */
  reluGradient(gradient: Float32Array, output: Float32Array, length: number): void {
    if (!this.inMemory(gradient, output)) return scalarKernels.reluGradient(gradient, output, length);
    this.exports.reluGradient(gradient.byteOffset, output.byteOffset, length);
  }

  /** See kernels.ts. */
  columnSums(values: Float32Array, rows: number, columns: number, out: Float32Array): void {
    if (!this.inMemory(values, out)) return scalarKernels.columnSums(values, rows, columns, out);
    this.exports.columnSums(values.byteOffset, rows, columns, out.byteOffset);
  }

  /** See kernels.ts. */
  im2col(input: Float32Array, patches: Float32Array, geometry: WindowGeometry, batch: number): void {
    if (!this.inMemory(input, patches)) return scalarKernels.im2col(input, patches, geometry, batch);
    this.exports.patches(input.byteOffset, patches.byteOffset, 0, batch, ...windowArguments(geometry));
  }

  /** See kernels.ts. */
  col2im(patches: Float32Array, inputGradient: Float32Array, geometry: WindowGeometry, batch: number): void {
    if (!this.inMemory(patches, inputGradient))
      return scalarKernels.col2im(patches, inputGradient, geometry, batch);
    inputGradient.fill(0);
    this.exports.patches(
      inputGradient.byteOffset,
      patches.byteOffset,
      1,
      batch,
      ...windowArguments(geometry),
    );
  }

  /** See kernels.ts. */
  maxPool(input: Float32Array, output: Float32Array, geometry: WindowGeometry, batch: number): void {
    if (geometry.channels % 4 !== 0 || !this.inMemory(input, output))
      return scalarKernels.maxPool(input, output, geometry, batch);
    this.exports.maxPool(input.byteOffset, output.byteOffset, 0, 0, 0, batch, ...poolArguments(geometry));
  }

  /** See kernels.ts. */
  maxPoolGradient(
    input: Float32Array,
    output: Float32Array,
    outputGradient: Float32Array,
    inputGradient: Float32Array,
    geometry: WindowGeometry,
    batch: number,
  ): void {
    if (geometry.channels % 4 !== 0 || !this.inMemory(input, output, outputGradient, inputGradient))
      return scalarKernels.maxPoolGradient(input, output, outputGradient, inputGradient, geometry, batch);
    // Windows that tile the input write every gradient value once: stored, without zeroing first.
    const { rows, cols, windowRows, windowCols, strideRows, strideCols, outputRows, outputCols } = geometry;
    const tiled =
      strideRows === windowRows &&
      strideCols === windowCols &&
      outputRows * windowRows === rows &&
      outputCols * windowCols === cols;
    if (!tiled) inputGradient.fill(0);
    const [inputAt, outputAt, gradientAt] = [input.byteOffset, output.byteOffset, outputGradient.byteOffset];
    this.exports.maxPool(
      inputAt,
      outputAt,
      tiled ? 2 : 1,
      gradientAt,
      inputGradient.byteOffset,
      batch,
      ...poolArguments(geometry),
    );
  }
}

/** The geometry in the order of kernels.wat's `patches`. */
function windowArguments(geometry: WindowGeometry): number[] {
  const { rows, cols, channels, windowRows, windowCols, padTop, padLeft, outputRows, outputCols } = geometry;
  return [rows, cols, channels, windowRows, windowCols, padTop, padLeft, outputRows, outputCols];
}

/** The geometry in the order of kernels.wat's `maxPool`. */
function poolArguments(geometry: WindowGeometry): number[] {
  const { rows, cols, channels, windowRows, windowCols, strideRows, strideCols, outputRows, outputCols } =
    geometry;
  return [rows, cols, channels, windowRows, windowCols, strideRows, strideCols, outputRows, outputCols];
}
