// Runs every *.test.ts under the given folders with Node's built-in test runner (TypeScript through tsx's CommonJS hook).
// Node 20's --test does not expand globs itself, so the files are listed here.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtAfter } from './built-fresh.mjs';
import { chromiumArgs, chromiumPath, requireChromium } from './chromium.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const roots = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const passThrough = process.argv.slice(2).filter((arg) => arg.startsWith('--'));

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// The webview tests drive Chromium: without it, one line saying how to get it beats a failure per test.
const webview = roots.some((root) => root.replace(/\\/g, '/').includes('test/webview'));
if (webview) requireChromium('webview tests');

/** The files of each root in name order, taken in turn from each root (unit, webview, unit, webview, …). */
function interleave(lists) {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) => lists.flatMap((list) => list[index] ?? []));
}

const files = interleave(roots.map((root) => collect(root).sort())).flat();
if (files.length === 0) {
  console.error(`No *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
// Node runs availableParallelism() - 1 files at once: one at a time on 2 cores, while the runner process itself
// only waits. Unit test files spend much of their time starting processes (the CLI, its workers, tsx), so one file
// per core keeps both busy. A webview file uses about half a core (its Chromium waits on rendering and IPC): with
// the unit files (npm test runs both suites in one go, their files in turn), one more file runs beside them.
const mixed = webview && roots.length > 1;
const concurrency = passThrough.some((arg) => arg.startsWith('--test-concurrency'))
  ? []
  : [`--test-concurrency=${availableParallelism() + (mixed ? 1 : 0)}`];
// One Chromium for the whole webview suite: each file connects to it instead of starting its own (about 1.5 s of
// CPU a start). Its endpoint is served from this process, so the tests run asynchronously beside it.
const browser = webview
  ? await (
      await import('playwright-core')
    ).chromium.launchServer({ executablePath: chromiumPath, args: chromiumArgs })
  : undefined;
const env = { ...process.env };
// dist/worker.js built after every change under src/ and schemas/: the tests' worker processes fork it
// (src/runner/pool.ts) instead of compiling the TypeScript sources under tsx, about 2 s of CPU each.
const worker = join(repo, 'dist', 'worker.js');
if (builtAfter(worker, [join(repo, 'src'), join(repo, 'schemas')])) env.TOPDOWN_BUILT_WORKER = '1';
if (browser) env.TOPDOWN_CHROMIUM_WS = browser.wsEndpoint();
// tsx's CommonJS hook (`--require tsx/cjs`) compiles the tests and sources, which are CommonJS: its ES module hook
// (`--import tsx`) would start a loader thread in every test file's process, about 0.35 s of CPU each (150 files).
const child = spawn(
  process.execPath,
  ['--require', 'tsx/cjs', '--test', ...concurrency, ...passThrough, ...files],
  {
    stdio: 'inherit',
    env,
  },
);
const [code] = await once(child, 'exit');
await browser?.close();
process.exit(code ?? 1);
