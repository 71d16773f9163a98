// `npm run test:e2e`: installs code-server into .cache/code-server (once), packages the extension as a user
// gets it (npm run package), installs the .vsix into .cache/e2e/extensions, then runs test/e2e/*.test.ts one
// file at a time. Screenshots and server logs land in test-results/e2e/. Prints how long each part took.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireChromium } from '../chromium.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const codeServer = join(root, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');
const extensionsDir = join(root, '.cache', 'e2e', 'extensions');
const skipPackage = process.argv.includes('--no-package');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

function step(title, command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(`e2e: ${title}: ${seconds} s`);
  if (result.status !== 0) {
    console.error(`e2e: ${title} failed (exit code ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

requireChromium('end-to-end tests');
const started = Date.now();
step('code-server 4.100.3', 'bash', [join(root, 'scripts', 'e2e', 'install-code-server.sh')]);
if (!skipPackage) step('package the extension', 'npm', ['run', 'package', '--silent']);

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `topdown-${version}.vsix`);
rmSync(extensionsDir, { recursive: true, force: true });
mkdirSync(extensionsDir, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'topdown-e2e-install-'));
step(
  'install the .vsix into code-server',
  codeServer,
  [
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    join(scratch, 'user-data'),
    '--install-extension',
    vsix,
  ],
  {
    env: {
      ...process.env,
      EXTENSIONS_GALLERY: '{}',
      XDG_CONFIG_HOME: join(scratch, 'config'),
      XDG_DATA_HOME: join(scratch, 'data'),
      XDG_CACHE_HOME: join(scratch, 'cache'),
    },
  },
);
rmSync(scratch, { recursive: true, force: true });

const testDir = join(root, 'test', 'e2e');
const files = (
  only.length
    ? only
    : readdirSync(testDir)
        .filter((name) => name.endsWith('.test.ts'))
        .sort()
).map((name) => (name.includes('/') ? name : join(testDir, name)));
rmSync(join(root, 'test-results', 'e2e'), { recursive: true, force: true });
step('scenarios', process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  // Per test and per file: projects.test.ts's eight scenarios took over 10 minutes at a load of 30 on 2 cores.
  '--test-timeout=1200000',
  // `npm run test:e2e -- projects.test.ts --test-name-pattern=11` runs one scenario.
  ...process.argv.slice(2).filter((arg) => arg.startsWith('--test-name-pattern=')),
  ...files,
]);
const timings = join(root, 'test-results', 'e2e', 'timings.jsonl');
if (existsSync(timings)) {
  for (const line of readFileSync(timings, 'utf8').trim().split('\n')) {
    const { scenario, seconds, passed } = JSON.parse(line);
    console.error(`e2e: scenario ${scenario}: ${seconds} s${passed ? '' : ' (failed)'}`);
  }
}
printActivation(join(root, 'test-results', 'e2e'));
console.error(`e2e: total ${((Date.now() - started) / 1000).toFixed(1)} s`);

/** Every log file under a folder (the servers' logs kept beside the screenshots). */
function logFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return logFiles(path);
    return entry.name.endsWith('.log') ? [path] : [];
  });
}

/**
 * How long VS Code took from activating Topdown to its "activated" log line, per server session: the first
 * `_doActivateExtension …topdown` line of the extension host's log and the first `Topdown … activated` line of
 * the Topdown channel, in the same session folder (#15 item 13).
 */
function printActivation(resultsDir) {
  if (!existsSync(resultsDir)) return;
  const stamp = (line) => Date.parse(line.slice(0, 23).replace(' ', 'T'));
  for (const session of readdirSync(resultsDir).filter((name) => name.endsWith('-logs'))) {
    const sessions = new Map();
    for (const file of logFiles(join(resultsDir, session))) {
      const folder = file.slice(0, file.indexOf('/', join(resultsDir, session).length + 1));
      const times = sessions.get(folder) ?? {};
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (times.start === undefined && /_doActivateExtension \S*topdown\b/.test(line))
          times.start = stamp(line);
        if (times.end === undefined && /Topdown \S+ activated/.test(line)) times.end = stamp(line);
      }
      sessions.set(folder, times);
    }
    for (const { start, end } of sessions.values()) {
      if (Number.isFinite(start) && Number.isFinite(end)) {
        console.error(`e2e: ${session.replace(/-logs$/, '')}: activating → activated ${end - start} ms`);
      }
    }
  }
}
