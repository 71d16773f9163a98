// One build script, one entry per runtime (extension host, runner/CLI, worker, each webview).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loopKernelBytes } from './scripts/loop-kernels.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/**
 * Packages loaded at run time from the project or Topdown's own node_modules, never bundled. ioredis (the Redis
 * client BullMQ drives; BullMQ itself is bundled, its Lua scripts are strings in its code) is loaded only by
 * `--queue` and `topdown worker`; `npm run package` bundles it into dist/node_modules/ioredis.
 */
const runtimeOnly = [
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'webgpu',
  '@napi-rs/canvas',
  'ioredis',
];

/** The typed-array loop's SIMD kernels, assembled from their .wat source now (src/core/models/loop/gemm-simd.ts). */
const loopKernels = Buffer.from(await loopKernelBytes()).toString('base64');

const common = {
  bundle: true,
  define: { LOOP_KERNELS_WASM: JSON.stringify(loopKernels) },
  // jsonc-parser's UMD build requires its files at run time; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const webviewDir = 'webviews';
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(webviewDir, entry.name, 'main.ts')))
      .map((entry) => ({ in: join(webviewDir, entry.name, 'main.ts'), out: entry.name }))
  : [];

const builds = [
  {
    ...common,
    // The hash worker hashes data sources off the extension host's thread (src/extension/models/dataHash.ts).
    entryPoints: { extension: 'src/extension/main.ts', 'hash-worker': 'src/extension/models/hashWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/runner/cli.ts', worker: 'src/runner/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: runtimeOnly,
  },
];
if (webviewEntries.length > 0) {
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webviews',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'text' },
  });
}

/** The wasm backend looks for its .wasm files beside the bundle (see src/runner/backend.ts). */
function copyWasm() {
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  mkdirSync('dist/wasm', { recursive: true });
  for (const file of readdirSync(wasmDir).filter((name) => name.endsWith('.wasm'))) {
    copyFileSync(join(wasmDir, file), join('dist/wasm', file));
  }
}

copyWasm();
if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
