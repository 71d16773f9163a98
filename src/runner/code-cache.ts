/**
 * Starts a bundle (dist/cli.main.js, dist/worker.main.js) through V8's code cache: the first start compiles it and
 * saves the compiled code in dist/cache/; later starts read that instead of compiling the 8 MB bundle again, about a
 * fifth of a CLI or worker start's CPU (bench/cli-start.mjs measures it). The cache is named by the bundle's size
 * and time, the Node.js version and architecture, so a rebuild or another Node.js never reads a stale one; V8
 * checks it again and rejects what does not fit. It is written by this process only, beside the bundle it belongs
 * to, whole (writeFileAtomic: temp file, fsync, rename) or not at all: where dist/ is read-only the bundle starts
 * without one.
 * Node.js 22's `module.enableCompileCache()` does the same; Node.js 20 (VS Code's, and this project's) has none.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import * as vm from 'node:vm';
import { writeFileAtomic } from '../core/runs/files';

/** The folder beside the bundles where their compiled code is kept. */
export const CODE_CACHE_DIR = 'cache';

type ModuleFunction = (
  exports: unknown,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
) => void;

/** vm's loader for `import()` inside the script (Node.js 20.16+, 21.7+); without it, no cache is used. */
function mainContextLoader(): number | undefined {
  return (vm.constants as Partial<typeof vm.constants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
}

/** The cache file of `bundle` for this Node.js and this build of the bundle. */
export function codeCacheFile(bundle: string): string {
  const { size, mtimeMs } = statSync(bundle);
  const key = createHash('sha256')
    .update(JSON.stringify([process.version, process.arch, size, mtimeMs]))
    .digest('hex')
    .slice(0, 16);
  return join(dirname(bundle), CODE_CACHE_DIR, `${basename(bundle)}.${key}.v8`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // none yet
  }
}

/** What became of the cache on one start. */
export type CodeCacheUse = 'used' | 'saved' | 'unsaved' | 'off';

/** Writes the cache whole, then removes the bundle's older caches; a failure (read-only dist/) only skips it. */
function saveCache(file: string, data: Buffer): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, data);
    const prefix = `${basename(file).split('.').slice(0, -2).join('.')}.`;
    for (const name of readdirSync(dirname(file))) {
      if (name.startsWith(prefix) && name.endsWith('.v8') && name !== basename(file))
        unlinkSync(join(dirname(file), name));
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `bundle` as a CommonJS module, its compiled code read from (or saved to) the code cache. TOPDOWN_CODE_CACHE=0
 * turns the cache off (the bundle is then required as usual).
 */
export function runCached(bundle: string, parent: Module): CodeCacheUse {
  const loader = mainContextLoader();
  const require = createRequire(bundle);
  if (!loader || process.env.TOPDOWN_CODE_CACHE === '0') {
    require(bundle);
    return 'off';
  }
  const file = codeCacheFile(bundle);
  const cachedData = readCache(file);
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), {
    filename: bundle,
    cachedData,
    importModuleDynamically: loader,
  });
  const module = new Module(bundle, parent);
  module.filename = bundle;
  module.paths = require.resolve.paths('topdown') ?? [];
  const run = script.runInThisContext() as ModuleFunction;
  run.call(module.exports, module.exports, require, module, bundle, dirname(bundle));
  module.loaded = true;
  if (cachedData && !script.cachedDataRejected) return 'used';
  // After the bundle's start: the cache then holds the functions it compiled on the way too.
  return saveCache(file, script.createCachedData()) ? 'saved' : 'unsaved';
}
