// Assembles the typed-array loop's WebAssembly SIMD kernels (src/core/models/loop/kernels.wat) with wabt, a
// devDependency. esbuild.mjs bundles the bytes (as the LOOP_KERNELS_WASM constant, base64); code run from the
// TypeScript sources (unit tests, bench scripts through tsx) calls this on first use instead
// (src/core/models/loop/gemm-simd.ts), so no generated file exists anywhere, in git or out.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const source = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'core',
  'models',
  'loop',
  'kernels.wat',
);

/** The kernels' module as bytes: the WebAssembly binary of kernels.wat, SIMD enabled. */
export async function loopKernelBytes() {
  const tools = await wabt();
  const module = tools.parseWat('kernels.wat', readFileSync(source, 'utf8'), { simd: true });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}
