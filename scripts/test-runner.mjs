// Runs test files in the order scripts/run-tests.mjs chose, through node:test's run() (the `node --test` command
// sorts its files by name), and records how long each took for the next run's order.
// Usage (from scripts/run-tests.mjs): node --require tsx/cjs scripts/test-runner.mjs <plan.json>
// where plan.json is { files, concurrency, reporter?, testNamePatterns?, durationsFile, known } (known: the lengths
// run-tests.mjs read from durationsFile).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { run } from 'node:test';
import * as reporters from 'node:test/reporters';

const { writeFileAtomic } = createRequire(import.meta.url)('../src/core/runs/files.ts');

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const reporter = reporters[plan.reporter ?? (process.stdout.isTTY ? 'spec' : 'tap')];
if (!reporter) {
  console.error(`Unknown --test-reporter=${plan.reporter}: use tap, spec or dot.`);
  process.exit(2);
}

/**
 * How long each file's top-level tests and suites took, summed: its length for the next plan. (Not the time between
 * its first and last events: the runner reports a file's events only after the files listed before it.)
 */
const seconds = {};
function record(test) {
  if (test.nesting !== 0 || !test.file) return;
  const file = relative(process.cwd(), test.file);
  seconds[file] = (seconds[file] ?? 0) + (test.details?.duration_ms ?? 0) / 1000;
}

const stream = run({
  files: plan.files,
  concurrency: plan.concurrency,
  ...(plan.testNamePatterns ? { testNamePatterns: plan.testNamePatterns } : {}),
});
stream.on('test:pass', record);
stream.on('test:fail', (test) => {
  process.exitCode = 1;
  record(test);
});
stream.compose(reporter).pipe(process.stdout);
stream.once('end', () => {
  if (plan.testNamePatterns) return; // a partial run says little about whole files
  const rounded = Object.fromEntries(
    Object.entries(seconds).map(([file, value]) => [file, Math.round(value * 1000) / 1000]),
  );
  // Files since deleted or renamed drop out.
  const kept = Object.entries({ ...plan.known, ...rounded }).filter(([file]) => existsSync(file));
  // Written whole (the run store's writeFileAtomic, compiled by tsx's hook this runs under): a run stopped halfway
  // leaves the previous record.
  mkdirSync(dirname(plan.durationsFile), { recursive: true });
  writeFileAtomic(plan.durationsFile, `${JSON.stringify(Object.fromEntries(kept), null, 1)}\n`);
});
