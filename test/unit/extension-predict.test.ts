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
import {
  describePrediction,
  runPredict,
  scoreMetricsWords,
  scoreSentence,
  type PredictRequest,
} from '../../src/extension/jobs/predict';

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
  hangs: `
    require('fs').writeFileSync('started', '');
    setInterval(() => {}, 1000);`,
};

/** Names a shell would expand inside double quotes (bash) or as a subexpression (PowerShell). */
const HOSTILE = 'a`touch MARKER-tick`$(touch MARKER-dollar)"; touch MARKER-quote; echo "$HOME';

let folder: string;

function request(script: string, bundleDir: string, inputFile: string, output?: string): PredictRequest {
  return {
    cliPath: join(folder, `${script}.js`),
    node: { execPath: process.execPath, env: {}, source: 'path', reason: 'test', backend: 'cpu' },
    bundleDir,
    inputs: [inputFile],
    ...(output ? { output } : {}),
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
    const output = join(folder, `${HOSTILE}.predictions.csv`);
    const outcome = await runPredict(request('completes', bundleDir, inputFile, output));
    assert.deepEqual(outcome, { status: 'completed', output: `${inputFile}.out`, rows: 3 });
    const argv = JSON.parse(readFileSync(join(folder, 'argv.json'), 'utf8'));
    assert.deepEqual(argv, [
      'predict',
      bundleDir,
      inputFile,
      '--output',
      output,
      '--json',
      '--backend',
      'cpu',
    ]);
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
      'Wrote 12 predictions to p.csv. Scored 12 rows against "label": accuracy 0.917 (2 without a known label left out).',
    );
    const plain = await runPredict(request('completes', 'models/x', 'in.csv'));
    assert.ok(plain.status === 'completed' && plain.score === undefined);
    assert.equal(describePrediction(plain), 'Wrote 3 predictions to in.csv.out.');
  });

  it('stops the child when the signal aborts (Cancel), and says it was cancelled', async () => {
    const abort = new AbortController();
    const pending = runPredict({ ...request('hangs', 'models/x', 'in.csv'), signal: abort.signal });
    while (!existsSync(join(folder, 'started'))) await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    assert.deepEqual(await pending, { status: 'cancelled' });
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

describe('the score of predictions, in words', () => {
  const score = {
    target: 'Class',
    metric: 'log-loss',
    value: 0.3312,
    metrics: { accuracy: 0.861, logLoss: 0.3312, f1: 0.85 },
    rows: 208,
    skipped: 0,
  };

  it('says the rows, the target and the project metric, and the rows left out only when there are', () => {
    assert.equal(scoreSentence(score), 'Scored 208 rows against "Class": log loss 0.331.');
    assert.equal(
      scoreSentence({ ...score, skipped: 3 }),
      'Scored 208 rows against "Class": log loss 0.331 (3 without a known Class left out).',
    );
  });

  it('lists every metric of the task in words, the project metric first', () => {
    assert.equal(scoreMetricsWords(score), 'log loss 0.331, accuracy 0.861, F1 0.850');
    const { metrics: _none, ...withoutMetrics } = score;
    assert.equal(scoreMetricsWords(withoutMetrics), 'log loss 0.331');
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
