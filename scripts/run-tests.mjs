// Runs every *.test.ts under the given folders with Node's built-in test runner (TypeScript through tsx's CommonJS
// hook), in an order planned from each file's last duration (scripts/test-runner.mjs runs them and records those).
// Usage: node scripts/run-tests.mjs <folder or file>... [--checks] [--test-concurrency=N] [--test-reporter=R]
// [--test-name-pattern=RE]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtAfter } from './built-fresh.mjs';
import { chromiumArgs, chromiumPath, requireChromium } from './chromium.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const roots = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const passThrough = process.argv.slice(2).filter((arg) => arg.startsWith('--'));

const missing = roots.find((root) => !existsSync(root));
if (missing) {
  console.error(`No such test file or folder: ${missing}`);
  process.exit(2);
}

/** The *.test.ts files under a folder, or the file itself. */
function collect(dir) {
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const isWebview = (root) => root.replace(/\\/g, '/').includes('test/webview');
// The webview tests drive Chromium: without it, one line saying how to get it beats a failure per test.
const webview = roots.some(isWebview);
if (webview) requireChromium('webview tests');

/** Each file's last duration: in .cache/ (gitignored), or where TOPDOWN_TEST_DURATIONS says (the script's own test). */
const durationsFile = process.env.TOPDOWN_TEST_DURATIONS ?? join(repo, '.cache', 'test-durations.json');

/** Seconds each file took in the last run (scripts/test-runner.mjs records them), or none yet (or unreadable). */
function lastDurations() {
  try {
    return JSON.parse(readFileSync(durationsFile, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * The order to start files in. Each root runs in its own lanes: its files, longest first, go to whichever of its
 * lanes frees first, and all files then start in the order of their planned start times. So the unit files keep
 * the cores busy from the first second while the webview files, which mostly wait on Chromium, run beside them
 * instead of last (node --test sorts files by name: every webview file would start after every unit file). A
 * file's length is its last run's, or a guess until one is recorded.
 */
function plan(roots, known) {
  const starts = roots.flatMap(({ files, lanes, guess }) => {
    const free = Array.from({ length: lanes }, () => 0);
    // Each file's length once (a guess reads the file), then longest first.
    return files
      .map((file) => ({ file, seconds: known[file] ?? guess(file) }))
      .sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file))
      .map(({ file, seconds }) => {
        const lane = free.indexOf(Math.min(...free));
        const at = free[lane];
        free[lane] += seconds;
        return { file, at };
      });
  });
  return [...new Set(starts.sort((a, b) => a.at - b.at).map(({ file }) => file))];
}

/**
 * A unit file's length before any is recorded (a fresh clone, CI): 2.5 s (the mean), and 2 s more for each call
 * that starts a process (the CLI, a worker, Redis), which is where the long files spend their time.
 */
function guessUnit(file) {
  const starts = readFileSync(join(repo, file), 'utf8').match(
    /\b(runCli|forkCli|startWorker|startRedis|spawn|spawnSync|fork)\(/g,
  );
  return 2.5 + 2 * (starts?.length ?? 0);
}

/**
 * Lanes: one per core and one more for the unit files, whose processes (tests, the CLI, its workers, Redis) keep a
 * core busy but for their waits on child processes and timers; two for the webview files, each of which uses about
 * a third of a core (its Chromium waits on rendering and IPC). On 2 cores, a warm `npm test` took 263 s with two
 * unit lanes and 250 s with three. A webview file's guess: their mean length on this 2-core machine.
 */
const suites = roots.map((root) => ({
  files: collect(root).map((file) => relative(repo, file)),
  lanes: isWebview(root) ? 2 : availableParallelism() + 1,
  guess: isWebview(root) ? () => 12 : guessUnit,
}));
const known = lastDurations();
const files = plan(suites, known);
if (files.length === 0) {
  console.error(`No *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
const option = (name) => passThrough.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const unknown = passThrough.filter(
  (arg) =>
    arg !== '--checks' &&
    !['test-concurrency', 'test-reporter', 'test-name-pattern'].some((name) => arg.startsWith(`--${name}=`)),
);
if (unknown.length > 0) {
  console.error(
    `Unknown option ${unknown[0]}: use --checks, --test-concurrency=N, --test-reporter=tap|spec|dot or --test-name-pattern=RE.`,
  );
  process.exit(2);
}

/**
 * `--checks`: the static checks (scripts/checks.mjs typecheck lint, one at a time) run beside the tests from the
 * start, on the CPU the webview files leave idle while they wait on Chromium, instead of a minute before them. Their
 * output is printed after the tests' report; either failing fails the run.
 */
function startChecks() {
  const child = spawn(
    process.execPath,
    [join(repo, 'scripts', 'checks.mjs'), '--jobs=1', 'typecheck', 'lint'],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  return once(child, 'close').then(([code]) => ({ code, output: Buffer.concat(output).toString() }));
}
const checks = passThrough.includes('--checks') ? startChecks() : undefined;
// One Chromium for the whole webview suite: each file connects to it instead of starting its own (about 1.5 s of
// CPU a start). Its endpoint is served from this process, so the tests run asynchronously beside it.
const browser = webview
  ? await (
      await import('playwright-core')
    ).chromium.launchServer({ executablePath: chromiumPath, args: chromiumArgs })
  : undefined;
const env = { ...process.env };
// dist/worker.main.js (which dist/worker.js starts) built after every change under src/ and schemas/: the tests'
// worker processes fork it (src/runner/pool.ts) instead of compiling the TypeScript sources under tsx, about 2 s of
// CPU each.
const worker = join(repo, 'dist', 'worker.main.js');
if (builtAfter(worker, [join(repo, 'src'), join(repo, 'schemas')])) env.TOPDOWN_BUILT_WORKER = '1';
if (browser) env.TOPDOWN_CHROMIUM_WS = browser.wsEndpoint();
// tsx's CommonJS hook (`--require tsx/cjs`) compiles the tests and sources, which are CommonJS: its ES module hook
// (`--import tsx`) would start a loader thread in every test file's process, about 0.35 s of CPU each (150 files).
const planFile = join(mkdtempSync(join(tmpdir(), 'topdown-tests-')), 'plan.json');
writeFileSync(
  planFile,
  JSON.stringify({
    files,
    concurrency: Number(option('test-concurrency') ?? suites.reduce((sum, suite) => sum + suite.lanes, 0)),
    reporter: option('test-reporter'),
    testNamePatterns: option('test-name-pattern'),
    durationsFile,
    known,
  }),
);
const child = spawn(
  process.execPath,
  ['--require', 'tsx/cjs', join(repo, 'scripts', 'test-runner.mjs'), planFile],
  { cwd: repo, stdio: 'inherit', env },
);
const [code] = await once(child, 'exit');
await browser?.close();
const checked = await checks;
if (checked) process.stdout.write(`\nStatic checks (scripts/checks.mjs typecheck lint):\n${checked.output}`);
process.exit(code === 0 && (checked?.code ?? 0) === 0 ? 0 : 1);
