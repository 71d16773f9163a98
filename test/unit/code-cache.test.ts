/**
 * The launchers' code cache (src/runner/code-cache.ts): a bundle run through it behaves as a required one (its
 * file name, folder, require and import() relative to itself), the second start reads the compiled code the first
 * saved, a rebuilt bundle gets a new cache in place of the old, and a folder it cannot write only costs the cache.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { codeCacheFile, runCached, CODE_CACHE_DIR } from '../../src/runner/code-cache';
import { CLI, requireBuild, tempDir } from '../helpers/cli';

/** A bundle that reports what it sees into globalThis.seen, including an ES module it imports. */
function writeBundle(dir: string, marker: string): string {
  writeFileSync(join(dir, 'helper.js'), "module.exports = 'helper beside the bundle';\n");
  writeFileSync(join(dir, 'esm.mjs'), "export const value = 'imported';\n");
  const bundle = join(dir, 'bundle.js');
  writeFileSync(
    bundle,
    [
      `globalThis.seen = { marker: ${JSON.stringify(marker)}, filename: __filename, dirname: __dirname,`,
      "  helper: require('./helper.js'), exportsIsThis: this === module.exports };",
      "globalThis.ready = import('./esm.mjs').then((esm) => { globalThis.seen.imported = esm.value; });",
      '',
    ].join('\n'),
  );
  return bundle;
}

interface Seen {
  marker: string;
  filename: string;
  dirname: string;
  helper: string;
  exportsIsThis: boolean;
  imported?: string;
}

/** Starts the bundle as a launcher would; resolves once its import() has settled. */
async function start(bundle: string): Promise<{ use: string; seen: Seen }> {
  const use = runCached(bundle, new Module('launcher'));
  const state = globalThis as unknown as { seen: Seen; ready: Promise<void> };
  await state.ready;
  return { use, seen: state.seen };
}

describe('runCached', () => {
  it('runs the bundle as a module beside its files, saves its compiled code, then starts from it', async () => {
    const dir = tempDir('code-cache');
    const bundle = writeBundle(dir, 'first');
    const first = await start(bundle);
    assert.equal(first.use, 'saved');
    assert.equal(first.seen.marker, 'first');
    assert.equal(first.seen.filename, bundle);
    assert.equal(first.seen.dirname, dir);
    assert.equal(first.seen.helper, 'helper beside the bundle');
    assert.equal(first.seen.exportsIsThis, true);
    assert.equal(first.seen.imported, 'imported');
    assert.ok(existsSync(codeCacheFile(bundle)));
    assert.equal((await start(bundle)).use, 'used');
  });

  it('starts a rebuilt bundle with a new cache and removes the old one', async () => {
    const dir = tempDir('code-cache');
    const bundle = writeBundle(dir, 'old');
    await start(bundle);
    const old = codeCacheFile(bundle);
    writeBundle(dir, 'new build');
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    const rebuilt = await start(bundle);
    assert.equal(rebuilt.use, 'saved');
    assert.equal(rebuilt.seen.marker, 'new build');
    assert.notEqual(codeCacheFile(bundle), old);
    assert.deepEqual(readdirSync(join(dir, CODE_CACHE_DIR)), [codeCacheFile(bundle).split('/').pop()]);
  });

  it('still runs the bundle where the cache cannot be written, and leaves no partial file', async () => {
    const dir = tempDir('code-cache');
    const bundle = writeBundle(dir, 'read-only');
    writeFileSync(join(dir, CODE_CACHE_DIR), 'a file where the cache folder would be');
    const result = await start(bundle);
    assert.equal(result.use, 'unsaved');
    assert.equal(result.seen.marker, 'read-only');
    assert.deepEqual(readdirSync(dir).sort(), ['bundle.js', CODE_CACHE_DIR, 'esm.mjs', 'helper.js']);
  });

  it('starts the built CLI through its launcher, which leaves the cache of dist/cli.main.js', () => {
    requireBuild();
    const result = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.ok(existsSync(codeCacheFile(join(dirname(CLI), 'cli.main.js'))));
  });

  it('is off with TOPDOWN_CODE_CACHE=0: the bundle is required and nothing is saved', async () => {
    const dir = tempDir('code-cache');
    const bundle = writeBundle(dir, 'off');
    process.env.TOPDOWN_CODE_CACHE = '0';
    try {
      assert.equal((await start(bundle)).use, 'off');
    } finally {
      delete process.env.TOPDOWN_CODE_CACHE;
    }
    assert.equal((globalThis as unknown as { seen: Seen }).seen.marker, 'off');
    assert.equal(existsSync(join(dir, CODE_CACHE_DIR)), false);
  });
});
