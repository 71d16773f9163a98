import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describePrediction, runPredict, type PredictRequest } from '../../src/extension/jobs/predict';

// Fake `dist/cli.js` scripts: they record their arguments and answer as `topdown predict --json` does.
const SCRIPTS: Record<string, string> = {
  completes: `
    require('fs').writeFileSync('argv.json', JSON.stringify(process.argv.slice(2)));
    process.stdout.write(JSON.stringify({ step: 'predict', output: process.argv[4] + '.out', rows: 3 }) + '\\n');`,
  scores: `
    process.stdout.write(JSON.stringify({ step: 'predict', output: 'p.csv', rows: 12,
      score: { target: 'label', metric: 'accuracy', value: 0.9166666, metrics: { accuracy: 0.9166666 }, rows: 12, skipped: 2 } }) + '\\n');`,
  fails: `
    process.stdout.write(JSON.stringify({ error: { code: 'BUNDLE_INVALID', message: 'No bundle.', file: 'models/x' } }) + '\\n');
    process.exitCode = 1;`,
  crashes: `
    process.stderr.write('TypeError: boom\\n');
    process.exit(3);`,
};

/** Names a shell would expand inside double quotes (bash) or as a subexpression (PowerShell). */
const HOSTILE = 'a`touch MARKER-tick`$(touch MARKER-dollar)"; touch MARKER-quote; echo "$HOME';

let folder: string;

function request(script: string, bundleDir: string, inputFile: string): PredictRequest {
  return {
    cliPath: join(folder, `${script}.js`),
    node: { execPath: process.execPath, env: {}, source: 'path', reason: 'test', backend: 'cpu' },
    bundleDir,
    inputFile,
    cwd: folder,
  };
}

describe('runPredict', () => {
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'topdown-predict-'));
    for (const [name, body] of Object.entries(SCRIPTS)) writeFileSync(join(folder, `${name}.js`), body);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('passes bundle and CSV names with backticks, $(…) and quotes as plain arguments, running nothing', async () => {
    const bundleDir = join(folder, 'models', HOSTILE);
    const inputFile = join(folder, `${HOSTILE}.csv`);
    mkdirSync(bundleDir, { recursive: true });
    writeFileSync(inputFile, 'a\n1\n');
    const outcome = await runPredict(request('completes', bundleDir, inputFile));
    assert.deepEqual(outcome, { status: 'completed', output: `${inputFile}.out`, rows: 3 });
    const argv = JSON.parse(readFileSync(join(folder, 'argv.json'), 'utf8'));
    assert.deepEqual(argv, ['predict', bundleDir, inputFile, '--json', '--backend', 'cpu']);
    const markers = readdirSync(folder).filter((name) => name.startsWith('MARKER'));
    assert.deepEqual(markers, [], 'no command in a name ran');
    assert.equal(existsSync(join(folder, 'models', 'MARKER-dollar')), false);
  });

  it('reads the score when the CSV held the target, and says so; says when there was nothing to score', async () => {
    const outcome = await runPredict(request('scores', 'models/x', 'in.csv'));
    assert.equal(outcome.status, 'completed');
    if (outcome.status !== 'completed') return;
    assert.deepEqual(outcome.score, {
      target: 'label',
      metric: 'accuracy',
      value: 0.9166666,
      metrics: { accuracy: 0.9166666 },
      rows: 12,
      skipped: 2,
    });
    assert.equal(
      describePrediction(outcome),
      'Wrote 12 predictions to p.csv. The CSV holds label: against its actual values they score accuracy 0.917 on 12 rows (2 rows without one left out).',
    );
    const plain = await runPredict(request('completes', 'models/x', 'in.csv'));
    assert.ok(plain.status === 'completed' && plain.score === undefined);
    assert.match(describePrediction(plain), /holds no actual values of the target/);
  });

  it('reports the error the CLI printed under --json', async () => {
    const outcome = await runPredict(request('fails', 'models/x', 'in.csv'));
    assert.deepEqual(outcome, {
      status: 'failed',
      error: { code: 'BUNDLE_INVALID', message: 'No bundle.', file: 'models/x' },
    });
  });

  it('turns a crash without a result into RUNNER_CRASHED with the last output', async () => {
    const outcome = await runPredict(request('crashes', 'models/x', 'in.csv'));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.status === 'failed' && outcome.error.code, 'RUNNER_CRASHED');
    assert.match(outcome.status === 'failed' ? outcome.error.message : '', /TypeError: boom/);
  });
});

describe('no shell lines in src/', () => {
  const root = join(__dirname, '..', '..', 'src');
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? sources(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    );
  }

  it('never types into a terminal, spawns with a shell, or calls exec/execSync', () => {
    const offending = sources(root).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const patterns = [
        /\.sendText\(/,
        /createTerminal\(/,
        /shell:\s*true/,
        /import[^;]*\bexec(Sync)?\b[^;]*from '(node:)?child_process'/,
      ];
      return patterns
        .filter((pattern) => pattern.test(text))
        .map((pattern) => `${relative(root, file)}: ${pattern}`);
    });
    assert.deepEqual(offending, []);
  });
});
