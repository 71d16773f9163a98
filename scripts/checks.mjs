// Runs the static checks side by side, one per core (or N at a time): `typecheck` (one `tsc -b` over the runtimes'
// projects) and `lint` (ESLint, then Prettier's --check). Usage: node scripts/checks.mjs [--jobs=N] [typecheck] [lint]
// Each check's output is printed whole when it ends, and the script exits 1 if any failed. ESLint and Prettier keep
// their caches in .cache/ (gitignored), and so does tsc (incremental), so a second run only reads the files that
// changed.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', name);

const groups = {
  // One `tsc -b` over the four runtimes' projects. src/core (with src/protocol and src/shared) is a composite project
  // that the runner, extension and test projects reference: it is checked once, and they check their own files
  // against its declarations (.cache/tsc/core/) instead of each checking core's sources again. Each project's
  // build info is kept in .cache/tsc/, so a second run checks only the projects whose files changed, and a run
  // with no change takes about a second.
  typecheck: [
    {
      name: 'tsc -b src/runner src/extension webviews test',
      args: [bin('typescript/bin/tsc'), '-b', 'src/runner', 'src/extension', 'webviews', 'test'],
    },
  ],
  lint: [
    {
      name: 'eslint .',
      args: [bin('eslint/bin/eslint.js'), '--cache', '--cache-location', '.cache/eslint/', '.'],
    },
    {
      name: 'prettier --check .',
      args: [
        bin('prettier/bin/prettier.cjs'),
        '--check',
        '--cache',
        '--cache-location',
        '.cache/prettier/cache.json',
        '.',
      ],
    },
  ],
};

const jobsArg = process.argv.find((arg) => arg.startsWith('--jobs='));
const jobs = jobsArg ? Number(jobsArg.slice('--jobs='.length)) : availableParallelism();
const names = process.argv.slice(2).filter((arg) => arg !== jobsArg);
const unknown = names.filter((name) => !(name in groups));
if (names.length === 0 || unknown.length > 0 || !(Number.isInteger(jobs) && jobs > 0)) {
  console.error(`Usage: node scripts/checks.mjs [--jobs=N] ${Object.keys(groups).join('|')}...`);
  process.exit(2);
}

/** Runs one check with its output collected; resolves to whether it passed. */
function run(check) {
  return new Promise((done) => {
    const child = spawn(process.execPath, check.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code) => {
      const text = Buffer.concat(output).toString();
      const passed = code === 0;
      process.stdout.write(`${passed ? 'ok' : 'FAILED'}: ${check.name}\n${text}`);
      done(passed);
    });
  });
}

const queue = names.flatMap((name) => groups[name]);
let failed = 0;
async function worker() {
  for (let check = queue.shift(); check; check = queue.shift()) {
    if (!(await run(check))) failed += 1;
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker));
process.exit(failed > 0 ? 1 : 0);
