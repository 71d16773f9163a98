/**
 * The `topdown` CLI end to end: real CSV files, real child processes (the CLI and its worker pool), real run
 * records on disk.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryProject, requireBuild, runCli, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';

before(requireBuild);

/** Every run.json under runs/, by run id. */
function runRecords(dir: string): Map<string, Record<string, unknown>> {
  const runsDir = join(dir, 'runs');
  const records = new Map<string, Record<string, unknown>>();
  if (!existsSync(runsDir)) return records;
  for (const name of readdirSync(runsDir)) {
    const file = join(runsDir, name, 'run.json');
    if (existsSync(file))
      records.set(name, JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  }
  return records;
}

describe('topdown new', () => {
  it('scaffolds the Sonar template with its data and project file', async () => {
    const dir = join(tempDir('new'), 'sonar');
    const result = await runCli(['new', 'sonar', dir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.json?.template, 'sonar');
    const config = JSON.parse(readFileSync(join(dir, 'topdown.json'), 'utf8')) as {
      problem: { data: string };
    };
    assert.ok(readFileSync(join(dir, config.problem.data), 'utf8').startsWith('V1,V2'));
  });

  it('refuses a folder that is not empty, and suggests --force', async () => {
    const dir = tempDir('new-full');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const result = await runCli(['new', 'sonar', dir, '--json']);
    assert.equal(result.code, 2);
    const error = result.json?.error as { code: string; hint: string };
    assert.equal(error.code, 'USAGE');
    assert.match(error.hint, /--force/);
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
  });

  it('names the closest template when the name is wrong', async () => {
    const result = await runCli(['new', 'sonr', join(tempDir('typo'), 'x'), '--json']);
    assert.equal(result.code, 2);
    assert.match((result.json?.error as { hint: string }).hint, /Did you mean "sonar"/);
  });
});

describe('topdown new --from-csv', () => {
  it('proposes a project for any CSV that then runs step 1', async () => {
    const work = tempDir('from-csv');
    const csv = join(work, 'mine.csv');
    writeBinaryCsv(csv, 60);
    const dir = join(work, 'project');
    const result = await runCli(['new', '--from-csv', csv, '--target', 'label', dir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = result.json as {
      config: { problem: { target: string; task: string } };
      choices: Array<{ topic: string }>;
    };
    assert.equal(json.config.problem.target, 'label');
    assert.equal(json.config.problem.task, 'binary');
    assert.ok(json.choices.length >= 3);
    assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /label/);
    const define = await runCli(['define', dir, '--json']);
    assert.equal(define.code, 0, define.stderr);
  });

  it('refuses a file with a single column and says what to check', async () => {
    const work = tempDir('from-csv-bad');
    const csv = join(work, 'one.csv');
    writeFileSync(csv, 'only\n1\n2\n3\n');
    const result = await runCli(['new', '--from-csv', csv, join(work, 'p'), '--json']);
    assert.equal(result.code, 1);
    assert.equal((result.json?.error as { code: string }).code, 'CSV_MALFORMED');
  });

  it('refuses an unknown task before reading anything', async () => {
    const result = await runCli(['new', '--from-csv', 'x.csv', '--task', 'clustering', 'p', '--json']);
    assert.equal(result.code, 2);
    assert.match((result.json?.error as { hint: string }).hint, /regression/);
  });
});

describe('topdown columns', () => {
  it('lists each column with its type, distinct and missing counts and samples as the file wrote them', async () => {
    const csv = join(tempDir('columns'), 'c.csv');
    // Missing cells (empty) are not values; -0 and 0 are one value.
    writeFileSync(
      csv,
      'a,b,c\n0.02,x,2020-01-01\n0.1,y,2020-02-01\n0.02,x,2020-01-01\n,,\n-0,y,\n0,x,2020-02-01\n',
    );
    const result = await runCli(['columns', csv, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((result.json as { columns: unknown[] }).columns, [
      { name: 'a', type: 'numeric', distinct: 3, missing: 1, samples: ['0.02', '0.1', '0'] },
      { name: 'b', type: 'categorical', distinct: 2, missing: 1, samples: ['x', 'y'] },
      { name: 'c', type: 'date', distinct: 2, missing: 2, samples: ['2020-01-01', '2020-02-01'] },
    ]);
  });
});

describe('topdown define', () => {
  it('profiles the data and scores the majority-class baseline under the project folds', async () => {
    const dir = writeProject(tempDir('define'), binaryProject([{ name: 'baseline', model: 'baseline' }]));
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 90);
    const result = await runCli(['define', dir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = result.json as {
      baseline: { mean: number };
      rows: number;
      profile: string;
      runId: string;
      metric: string;
    };
    assert.equal(json.rows, 90);
    assert.equal(json.metric, 'accuracy');
    // 45 yes / 45 no, stratified: the majority class is right about half the time.
    assert.ok(Math.abs(json.baseline.mean - 0.5) < 0.03, `baseline ${json.baseline.mean}`);
    const profile = JSON.parse(readFileSync(json.profile, 'utf8')) as {
      rows: number;
      columns: Array<{ name: string }>;
    };
    assert.deepEqual(
      profile.columns.map((column) => column.name),
      ['a', 'b', 'noise1', 'noise2', 'label'],
    );
    const record = runRecords(dir).get(json.runId);
    assert.equal(record?.status, 'completed');
    assert.equal(record?.step, 'define');
  });
});

describe('topdown evaluate', () => {
  it('spot-checks every candidate on the same folds and beats the baseline with a learnable problem', async () => {
    const dir = writeProject(
      tempDir('evaluate'),
      binaryProject([
        { name: 'baseline', model: 'baseline' },
        { name: 'logistic', model: 'linear', epochs: 30, batchSize: 8, learningRate: 0.05 },
        { name: 'mlp', model: 'mlp', layers: [8], epochs: 20, batchSize: 8, learningRate: 0.01 },
        { name: 'knn', model: 'knn', k: 3 },
      ]),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 60);
    const result = await runCli(['evaluate', dir, '--json', '--workers', '1'], { timeoutMs: 120000 });
    assert.equal(result.code, 0, result.stderr);
    const json = result.json as {
      step: string;
      metric: string;
      baseline: { mean: number; std: number };
      candidates: Array<{
        name: string;
        runId: string;
        status: string;
        mean: number;
        std: number;
        folds: number[];
      }>;
      backend: string;
    };
    assert.equal(json.step, 'evaluate');
    assert.deepEqual(
      json.candidates.map((candidate) => [candidate.name, candidate.status, candidate.folds.length]),
      [
        ['baseline', 'completed', 3],
        ['logistic', 'completed', 3],
        ['mlp', 'completed', 3],
        ['knn', 'completed', 3],
      ],
    );
    for (const name of ['logistic', 'mlp', 'knn']) {
      const candidate = json.candidates.find((c) => c.name === name)!;
      assert.ok(
        candidate.mean > json.baseline.mean + 0.3,
        `${name} ${candidate.mean} vs baseline ${json.baseline.mean}`,
      );
    }
    // auto falls back to wasm here (tfjs-node cannot install on this machine) and says why.
    const records = runRecords(dir);
    const mlp = records.get(json.candidates[2].runId) as {
      backend: { name: string; reasons: string[] };
      foldHash: string;
    };
    assert.equal(json.backend, mlp.backend.name);
    assert.ok(['tensorflow', 'wasm'].includes(mlp.backend.name));
    if (mlp.backend.name === 'wasm') assert.match(mlp.backend.reasons.join(' '), /tfjs-node/);
    // The same folds for every candidate.
    const hashes = new Set(
      json.candidates.map((c) => (records.get(c.runId) as { foldHash: string }).foldHash),
    );
    assert.equal(hashes.size, 1);
    // Epoch logs stream to events.jsonl (one line per epoch per fold, Keras-shaped).
    const events = readFileSync(join(dir, 'runs', json.candidates[2].runId, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; logs?: Record<string, number> });
    const epochs = events.filter((event) => event.type === 'epoch');
    assert.equal(epochs.length, 3 * 20);
    assert.ok('loss' in epochs[0].logs! && 'val_loss' in epochs[0].logs!);
  });

  it('records a failing candidate as failed with its reason and still finishes the others', async () => {
    const dir = writeProject(
      tempDir('evaluate-fail'),
      binaryProject(
        [
          { name: 'throws', model: 'custom', module: 'models/throws.js', epochs: 2 },
          { name: 'wrong-shape', model: 'custom', module: 'models/shape.js', epochs: 2 },
          { name: 'exploding', model: 'mlp', layers: [8], epochs: 5, learningRate: 1e20, optimizer: 'sgd' },
          { name: 'diverged', model: 'mlp', layers: [8], epochs: 5, learningRate: 1e30 },
          { name: 'knn', model: 'knn' },
        ],
        { prepare: [] },
      ),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 60);
    writeFileSync(
      join(dir, 'models', 'throws.js'),
      "exports.build = () => { throw new Error('no layers yet'); };\n",
      { flag: 'w' },
    );
    writeFileSync(
      join(dir, 'models', 'shape.js'),
      'exports.build = (tf, { inputShape }) => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 7, inputShape })); return m; };\n',
    );
    const result = await runCli(['evaluate', dir, '--json', '--workers', '1'], { timeoutMs: 120000 });
    assert.equal(result.code, 3, 'the exit code says a candidate failed');
    assert.match(result.stderr, /4 candidate\(s\) failed: throws, wrong-shape, exploding, diverged/);
    const candidates = (
      result.json as {
        candidates: Array<{
          name: string;
          status: string;
          mean: number | null;
          error?: { code: string; message: string };
        }>;
      }
    ).candidates;
    const byName = new Map(candidates.map((c) => [c.name, c]));
    assert.equal(byName.get('throws')?.error?.code, 'CUSTOM_MODEL_FAILED');
    assert.match(byName.get('throws')!.error!.message, /no layers yet/);
    assert.equal(byName.get('wrong-shape')?.error?.code, 'CUSTOM_MODEL_SHAPE');
    assert.equal(byName.get('exploding')?.error?.code, 'LOSS_NAN');
    // A NaN loss (LOSS_NAN) or, with a finite loss, non-finite weights or predictions (DIVERGED).
    assert.ok(['DIVERGED', 'LOSS_NAN'].includes(byName.get('diverged')?.error?.code ?? ''));
    assert.match(byName.get('diverged')?.error?.message ?? '', /diverged/);
    assert.equal(byName.get('knn')?.status, 'completed');
    for (const name of ['throws', 'wrong-shape', 'exploding', 'diverged']) {
      assert.equal(byName.get(name)?.status, 'failed');
      assert.equal(byName.get(name)?.mean, null, 'a failed candidate has no score');
    }
  });

  it('gives a candidate whose worker was killed mid-run no score, finishes the others and exits with 3', async () => {
    const dir = writeProject(
      tempDir('evaluate-killed'),
      binaryProject(
        [
          { name: 'killed', model: 'custom', module: 'models/killed.js', epochs: 2 },
          { name: 'knn', model: 'knn' },
        ],
        { prepare: [] },
      ),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 60);
    // The second fold's build kills its own worker process (SIGKILL), after the first fold was scored.
    writeFileSync(
      join(dir, 'models', 'killed.js'),
      `const fs = require('fs');
const builds = __dirname + '/builds.txt';
exports.build = (tf, { inputShape, outputUnits }) => {
  fs.appendFileSync(builds, 'x');
  if (fs.readFileSync(builds, 'utf8').length === 2) process.kill(process.pid, 'SIGKILL');
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: outputUnits, inputShape, activation: 'softmax' }));
  return model;
};
`,
    );
    const result = await runCli(['evaluate', dir, '--json', '--workers', '1'], { timeoutMs: 120000 });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /1 candidate\(s\) failed: killed/);
    const candidates = (
      result.json as {
        candidates: Array<{
          name: string;
          status: string;
          mean?: number | null;
          folds: number[];
          error?: { code: string };
        }>;
      }
    ).candidates;
    const killed = candidates.find((candidate) => candidate.name === 'killed');
    assert.equal(killed?.status, 'failed');
    assert.equal(killed?.error?.code, 'RUNNER_CRASHED');
    assert.ok(killed.folds.length >= 1, 'a fold was scored before the kill');
    assert.equal(killed.mean ?? null, null, 'a failed candidate has no mean over the folds that finished');
    assert.equal(candidates.find((candidate) => candidate.name === 'knn')?.status, 'completed');
  });

  it('names an unknown candidate and the closest one', async () => {
    const dir = writeProject(
      tempDir('evaluate-name'),
      binaryProject([{ name: 'baseline', model: 'baseline' }]),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 30);
    const result = await runCli(['evaluate', dir, '--json', '--candidates', 'baselin']);
    assert.equal(result.code, 2);
    assert.match((result.json?.error as { hint: string }).hint, /Did you mean "baseline"/);
  });
});
