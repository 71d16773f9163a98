/**
 * An error is reported under its own code: a damaged bundle as BUNDLE_INVALID, a bad input as the input's error,
 * and a bug as INTERNAL, which says it is a bug and shows its stack trace only with --verbose.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { KnnEstimator } from '../../src/core/models/classic';
import { BUG_HINT, failureReport } from '../../src/runner/failure';
import { predictJob } from '../../src/runner/jobs/predict';
import { memoryReporter } from '../../src/runner/reporter';
import { rejectsWith } from '../helpers/errors';

const FIXTURE = join(__dirname, '..', 'fixtures', 'bundles', 'v1-knn');
const root = mkdtempSync(join(tmpdir(), 'topdown-unexpected-'));
after(() => rmSync(root, { recursive: true, force: true }));

function predict(bundle: string, input: string) {
  return predictJob(bundle, input, {
    backend: 'cpu',
    reporter: memoryReporter(),
    output: join(root, 'predictions.csv'),
  });
}

/** Records `name`'s new size and SHA-256 in the bundle's manifest, as whoever changed it could. */
function resign(bundle: string, name: string): void {
  const manifestFile = join(bundle, 'bundle.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    files: Array<{ path: string; bytes: number; sha256: string }>;
  };
  const bytes = readFileSync(join(bundle, name));
  const entry = manifest.files.find((file) => file.path === name);
  assert.ok(entry);
  entry.bytes = bytes.length;
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(manifestFile, JSON.stringify(manifest));
}

describe('failureReport', () => {
  it('calls an error that is not a TopdownError a bug, with its stack trace only under --verbose', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'length')");
    const quiet = failureReport(bug, false);
    assert.equal(quiet.info.code, 'INTERNAL');
    assert.equal(quiet.info.hint, BUG_HINT);
    assert.equal(quiet.exitCode, 1);
    assert.match(
      quiet.stderr,
      /^topdown: Cannot read properties of undefined \(reading 'length'\)\n {2}This is a bug/,
    );
    assert.doesNotMatch(quiet.stderr, /\n\s+at /);
    const verbose = failureReport(bug, true);
    assert.match(verbose.stderr, /\n\s+at .*unexpected-errors\.test\.ts/);
  });

  it('reports a located error as it is, and a usage error with exit code 2, never with a stack', () => {
    const located = new TopdownError('CSV_NOT_FOUND', 'Data file not found: a.csv', {
      file: 'a.csv',
      hint: 'Check it.',
    });
    const report = failureReport(located, true);
    assert.deepEqual(report.info, located.toJSON());
    assert.equal(report.stderr, 'topdown: Data file not found: a.csv (a.csv)\n  Check it.\n');
    assert.equal(failureReport(new TopdownError('USAGE', 'Unknown option "--x".'), true).exitCode, 2);
  });
});

describe('predict keeps each error its own code', () => {
  it('calls an estimator.json the loader cannot use BUNDLE_INVALID, located at the bundle', async () => {
    const dir = join(root, 'damaged');
    cpSync(FIXTURE, dir, { recursive: true });
    const bundle = join(dir, 'knn');
    const estimator = JSON.parse(readFileSync(join(bundle, 'estimator.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(join(bundle, 'estimator.json'), JSON.stringify({ ...estimator, state: { x: 'oops' } }));
    resign(bundle, 'estimator.json');
    const error = await rejectsWith('BUNDLE_INVALID', () => predict(bundle, join(dir, 'input.csv')));
    assert.ok(error.file?.startsWith(bundle), error.file);
    assert.match(error.message, /cannot be read/);
  });

  it('says an input that is a folder is not a file, instead of calling the bundle damaged', async () => {
    const folder = join(root, 'a-folder.csv');
    mkdirSync(folder);
    const error = await rejectsWith('CSV_NOT_FOUND', () => predict(join(FIXTURE, 'knn'), folder));
    assert.equal(error.file, folder);
  });

  it('lets a bug while predicting stay a bug instead of disguising it as a damaged bundle', async (context) => {
    const bug = new TypeError('a bug in predict');
    context.mock.method(KnnEstimator.prototype, 'predict', () => Promise.reject(bug));
    await assert.rejects(predict(join(FIXTURE, 'knn'), join(FIXTURE, 'input.csv')), (error) => error === bug);
  });
});
