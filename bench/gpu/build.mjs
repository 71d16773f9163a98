// Packs bench/backends.mjs for a GPU machine that has Node.js but no node_modules and no network:
//   bench/gpu/out/bench.js                      the benchmark with tfjs and its wasm and webgpu backends bundled
//   bench/gpu/out/wasm/*.wasm                   the wasm backend's binaries (found beside the bundle)
//   bench/gpu/out/node_modules/webgpu/          Dawn's binding, linux-x64 only (about 21 MB)
//   bench/gpu/out/node.xz                       with --with-node: this Node.js, for a machine without one (24 MB)
// About 27 MB in all (51 MB with Node.js). `out/` is ignored by git; carry it to the machine (see run-on-device.sh).
// Usage: node bench/gpu/build.mjs [--with-node]
import * as esbuild from 'esbuild';
import { closeSync, copyFileSync, cpSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, 'out');
const require = createRequire(join(root, 'package.json'));

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'wasm'), { recursive: true });

await esbuild.build({
  entryPoints: [join(root, 'bench', 'backends.mjs')],
  outfile: join(out, 'bench.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  mainFields: ['module', 'main'],
  external: ['webgpu', '@tensorflow/tfjs-node'],
  logLevel: 'warning',
});

const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const file of readdirSync(wasmDir).filter((name) => name.endsWith('.wasm'))) {
  copyFileSync(join(wasmDir, file), join(out, 'wasm', file));
}

const webgpuDir = dirname(require.resolve('webgpu/package.json'));
const target = join(out, 'node_modules', 'webgpu');
mkdirSync(join(target, 'dist'), { recursive: true });
for (const file of ['package.json', 'index.js', 'LICENSE.md'])
  copyFileSync(join(webgpuDir, file), join(target, file));
cpSync(join(webgpuDir, 'dist', 'linux-x64'), join(target, 'dist', 'linux-x64'), { recursive: true });
if (process.argv.includes('--with-node')) {
  const file = openSync(join(out, 'node.xz'), 'w');
  const result = spawnSync('xz', ['-6', '-T2', '-c', process.execPath], {
    stdio: ['ignore', file, 'inherit'],
  });
  closeSync(file);
  if (result.status !== 0) throw new Error(`xz failed (${result.status ?? result.error})`);
}
console.log(`built ${out}`);
