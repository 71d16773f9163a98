// `npm run package`: the .vsix a user installs, for this machine's platform (vsce --target). Everything the
// extension runs is bundled into dist/ by esbuild; the one native module, @napi-rs/canvas (which draws the
// report's chart images in the runner), is copied with its prebuilt binary for this platform into
// dist/node_modules/, where the runner's require() finds it, and ioredis is bundled there on its own.
// Output: topdown-<version>.vsix (the name the README and test:e2e use), whatever the target.
// Usage: node scripts/package.mjs [--target <vsce target>]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** vsce's name for this platform: linux-x64, darwin-arm64, win32-x64, alpine-x64 (musl Linux)... */
function hostTarget() {
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  if (process.platform !== 'linux') return `${process.platform}-${arch}`;
  // glibc reports its version in the process report; musl (Alpine) does not.
  const musl = !process.report?.getReport().header.glibcVersionRuntime;
  return `${musl ? 'alpine' : 'linux'}-${arch}`;
}

const targetFlag = process.argv.indexOf('--target');
const target = targetFlag > 0 ? process.argv[targetFlag + 1] : hostTarget();

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
}

run(process.execPath, ['esbuild.mjs', '--production']);

// @napi-rs/canvas and the platform packages npm installed beside it (only this platform's, as optional
// dependencies). A missing binary is not fatal: the report then says why it has no images.
const scope = dirname(dirname(require.resolve('@napi-rs/canvas/package.json')));
const out = join(root, 'dist', 'node_modules', '@napi-rs');
rmSync(out, { recursive: true, force: true });
const copied = readdirSync(scope).filter((name) => name === 'canvas' || name.startsWith('canvas-'));
for (const name of copied) cpSync(join(scope, name), join(out, name), { recursive: true });
if (!copied.some((name) => name.startsWith('canvas-')))
  console.warn(`package: no @napi-rs/canvas binary for ${target}; the report will have no chart images`);

// ioredis, the Redis client of `--queue` and `topdown worker`, is external to the bundles (it is loaded only
// when a queue is used): bundle it here, with its few dependencies, into the one file the runner's
// require('ioredis') finds.
const ioredisDir = join(root, 'dist', 'node_modules', 'ioredis');
rmSync(ioredisDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [require.resolve('ioredis')],
  outfile: join(ioredisDir, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const ioredisVersion = JSON.parse(readFileSync(require.resolve('ioredis/package.json'), 'utf8')).version;
writeFileSync(
  join(ioredisDir, 'package.json'),
  `${JSON.stringify({ name: 'ioredis', version: ioredisVersion, license: 'MIT', main: 'index.js' })}\n`,
);

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `topdown-${version}.vsix`;
if (existsSync(join(root, vsix))) rmSync(join(root, vsix));
run(process.execPath, [
  require.resolve('@vscode/vsce/vsce'),
  'package',
  '--no-dependencies',
  '--target',
  target,
  '--out',
  vsix,
]);
