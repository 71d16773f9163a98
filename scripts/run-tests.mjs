// Runs every *.test.ts under the given folders with Node's built-in test runner (TypeScript through tsx).
// Node 20's --test does not expand globs itself, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { requireChromium } from './chromium.mjs';

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

const files = roots.flatMap(collect).sort();
if (files.length === 0) {
  console.error(`No *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
// Node runs availableParallelism() - 1 files at once: one at a time on 2 cores, while the runner process itself
// only waits. Unit test files spend much of their time starting processes (the CLI, its workers, tsx), and each
// webview file waits on its own Chromium, so one file per core keeps both busy.
const concurrency = passThrough.some((arg) => arg.startsWith('--test-concurrency'))
  ? []
  : [`--test-concurrency=${availableParallelism()}`];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...concurrency, ...passThrough, ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
