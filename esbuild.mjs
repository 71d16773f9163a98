// One build script, one entry per runtime (extension host, runner/CLI, worker, each webview).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loopKernelBytes } from './scripts/loop-kernels.mjs';
import { projectValidatorSource } from './scripts/schema-validator.mjs';

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

/**
 * The project validator compiled now (scripts/schema-validator.mjs) in place of src/core/schema-validator.ts,
 * which compiles it at run time: a CLI start then skips half a second of ajv compiling.
 */
const precompiledValidator = {
  name: 'precompiled-validator',
  setup(build) {
    build.onResolve({ filter: /[\\/]schema-validator$/ }, (args) => ({
      path: join(args.resolveDir, args.path),
      namespace: 'precompiled-validator',
    }));
    build.onLoad({ filter: /.*/, namespace: 'precompiled-validator' }, () => ({
      contents: projectValidatorSource(),
      loader: 'js',
      resolveDir: dirname(fileURLToPath(import.meta.url)),
    }));
  },
};

const common = {
  bundle: true,
  plugins: [precompiledValidator],
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

/**
 * The extension host loads its bundle at activation, so what it needs only later is split off: each dynamic
 * `import()` in src/extension (the project validator with ajv, the schema and the model registry, say) becomes its
 * own bundle in dist/lazy/, required on first use. Activation then parses a fraction of the code (#15 item 13;
 * bench/activation.mjs measures it). Source stays plain `await import('…')`, which tests run unbundled.
 */
const lazyEntries = new Map();
const lazyImports = {
  name: 'lazy-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData?.lazy) return undefined;
      const resolved = await build.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: 'import-statement',
        pluginData: { lazy: true },
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      const name = relative('src', resolved.path)
        .replace(/\.[cm]?[jt]s$/, '')
        .split(sep)
        .join('-');
      lazyEntries.set(name, resolved.path);
      return { path: `./lazy/${name}.js`, external: true };
    });
  },
};

const builds = [
  {
    ...common,
    plugins: [lazyImports, precompiledValidator],
    // Lazy bundles are required (the extension host's own loader), not imported as ES modules.
    supported: { 'dynamic-import': false },
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
    // dist/cli.js and dist/worker.js start these through the code cache (launchers below).
    entryPoints: {
      'cli.main': 'src/runner/cli.ts',
      'worker.main': 'src/runner/worker.ts',
      'code-cache': 'src/runner/code-cache.ts',
    },
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

/**
 * dist/cli.js and dist/worker.js, the paths everything starts (bin/topdown.js, the extension's jobs, the worker
 * pool): each runs its bundle through V8's code cache (src/runner/code-cache.ts). Written only when their text
 * changes.
 */
function writeLaunchers() {
  for (const name of ['cli', 'worker']) {
    const file = join('dist', `${name}.js`);
    const text = [
      `// Written by esbuild.mjs: starts dist/${name}.main.js through V8's code cache (src/runner/code-cache.ts).`,
      `require('./code-cache.js').runCached(require('node:path').join(__dirname, '${name}.main.js'), module);`,
      '',
    ].join('\n');
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  }
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
mkdirSync('dist', { recursive: true });
writeLaunchers();
if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
// The lazy bundles named while the extension was built (in watch mode: as of its first build).
if (lazyEntries.size > 0) {
  const lazy = {
    ...common,
    entryPoints: Object.fromEntries(lazyEntries),
    outdir: 'dist/lazy',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  };
  if (watch) await (await esbuild.context(lazy)).watch();
  else await esbuild.build(lazy);
}
