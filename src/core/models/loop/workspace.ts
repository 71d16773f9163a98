/**
 * Arrays for a layer's kernels (kernels.ts: matrix products and the passes around them), with the kernels to
 * run on them: in one WebAssembly memory with gemm-simd.ts's SIMD kernels where the runtime has WebAssembly
 * SIMD, else ordinary Float32Arrays with kernels.ts's JavaScript kernels. The memory is sized once for all the arrays and never grows (growing would
 * detach every view), so a layer makes one workspace per set of buffers (per batch size) and keeps it.
 */
import { SimdKernels, linearMemory, simdAvailable, type LinearMemory } from './gemm-simd';
import { scalarKernels, type Kernels } from './kernels';

const PAGE_BYTES = 65536;
/** Each array starts on a 16-byte boundary, the width of one f32x4 load. */
const ALIGNMENT = 16;
/**
 * Bytes left free after each array: a kernel may finish a run of values with a whole f32x4 load or store that
 * passes the array's end by up to 12 bytes (im2col in kernels.wat).
 */
const SLACK = 16;

/** Named arrays of the lengths asked for, zero-filled, and the kernels for them. */
export interface Workspace<Name extends string> {
  readonly arrays: Record<Name, Float32Array>;
  readonly kernels: Kernels;
}

/**
 * A workspace holding one Float32Array per entry of `lengths`; `simd` false (or a runtime without SIMD)
 * gives plain arrays and the JavaScript kernels.
 */
export function workspace<Name extends string>(
  lengths: Record<Name, number>,
  simd = simdAvailable(),
): Workspace<Name> {
  const names = Object.keys(lengths) as Name[];
  const arrays = {} as Record<Name, Float32Array>;
  const offsets = new Map<Name, number>();
  let bytes = 0;
  for (const name of names) {
    offsets.set(name, bytes);
    bytes += Math.ceil((4 * lengths[name] + SLACK) / ALIGNMENT) * ALIGNMENT;
  }
  const memory = simd ? reserve(Math.max(1, Math.ceil(bytes / PAGE_BYTES))) : undefined;
  if (!memory) {
    for (const name of names) arrays[name] = new Float32Array(lengths[name]);
    return { arrays, kernels: scalarKernels };
  }
  for (const name of names) arrays[name] = new Float32Array(memory.buffer, offsets.get(name), lengths[name]);
  return { arrays, kernels: new SimdKernels(memory) };
}

/**
 * A linear memory of `pages`, or undefined when the engine refuses one: V8 reserves address space for each
 * memory, and many unreclaimed ones can exhaust it (a RangeError). The JavaScript kernels are then used,
 * which give the same results, so training goes on, only slower.
 */
function reserve(pages: number): LinearMemory | undefined {
  try {
    return linearMemory(pages);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
