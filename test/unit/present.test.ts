/**
 * Step 5 end to end in-process (the final fit runs in a real worker process): choosing the candidate, the
 * holdout check, the bundle on disk, and `predictJob` on real CSV files, good and bad.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '../../src/core/runs/store';
import { BUNDLE_SCHEMA_VERSION, type BundleManifest } from '../../src/core/present/bundle';
import { presentJob, type PresentResult } from '../../src/runner/jobs/present';
import { predictJob } from '../../src/runner/jobs/predict';
import { memoryReporter } from '../../src/runner/reporter';
import { rng, tempDir, writeProject } from '../helpers/cli';
import { rejectsWith } from '../helpers/errors';
import { recordCompletedRun } from '../helpers/runs';

/** a, b separate the classes; color is a category; id identifies the row. */
function writeData(file: string, rows: number, seed: number, options: { rareClass?: boolean } = {}): void {
  const random = rng(seed);
  const lines = ['id,a,b,color,label'];
  for (let row = 0; row < rows; row++) {
    const positive = row % 2 === 0;
    const shift = positive ? 1.5 : -1.5;
    const color = ['red', 'green', 'blue'][row % 3];
    const label = options.rareClass && row === 0 ? 'rare' : positive ? 'yes' : 'no';
    lines.push(
      `s${String(row).padStart(3, '0')},${(shift + random()).toFixed(3)},${(shift + random()).toFixed(3)},${color},${label}`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function projectConfig(overrides: Record<string, unknown> = {}, problem: Record<string, unknown> = {}) {
  return {
    name: 'present-test',
    problem: {
      data: 'data/data.csv',
      target: 'label',
      task: 'binary',
      positiveClass: 'yes',
      holdout: 0.2,
      ...problem,
    },
    prepare: [{ op: 'standardize' }, { op: 'onehot' }],
    evaluate: {
      validation: { scheme: 'stratified-kfold', folds: 3 },
      seed: 3,
      candidates: [
        { name: 'baseline', model: 'baseline' },
        { name: 'knn', model: 'knn', k: 3 },
        { name: 'forest', model: 'random-forest', trees: 5 },
      ],
    },
    ...overrides,
  };
}

async function presentedProject(): Promise<{ dir: string; result: PresentResult }> {
  const dir = writeProject(tempDir('present'), projectConfig());
  writeData(join(dir, 'data', 'data.csv'), 100, 1);
  await recordCompletedRun(dir, 'evaluate', { name: 'baseline', model: 'baseline' }, [0.5, 0.5, 0.5]);
  await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.97, 0.95, 0.96]);
  await recordCompletedRun(
    dir,
    'evaluate',
    { name: 'forest', model: 'random-forest', trees: 5 },
    [0.9, 0.92, 0.91],
  );
  const result = await presentJob(dir, { backend: 'cpu', reporter: memoryReporter() });
  return { dir, result };
}

describe('presentJob', () => {
  let dir: string;
  let result: PresentResult;
  before(async () => {
    ({ dir, result } = await presentedProject());
  });

  it('presents the candidate with the best CV mean and reports the holdout beside it', () => {
    assert.equal(result.candidate, 'knn');
    assert.equal(result.cv.mean, 0.96);
    assert.ok(result.holdout, 'a holdout result');
    assert.equal(result.holdout.size, 20);
    assert.ok(result.holdout.score >= 0.9, `holdout accuracy ${result.holdout.score}`);
    assert.match(result.message, /holdout \(20 samples\)/);
  });

  it('writes the bundle with its manifest, model, pipeline, metrics and holdout predictions', () => {
    assert.equal(result.bundle, join(dir, 'models', 'knn'));
    const manifest = JSON.parse(readFileSync(join(result.bundle, 'bundle.json'), 'utf8')) as BundleManifest;
    assert.equal(manifest.schemaVersion, 1);
    assert.equal(manifest.candidate.name, 'knn');
    assert.deepEqual(manifest.classes, ['no', 'yes']);
    assert.deepEqual(manifest.idColumns, ['id']);
    assert.deepEqual(
      manifest.inputs.map((input) => `${input.name}:${input.type}`),
      ['a:numeric', 'b:numeric', 'color:categorical'],
    );
    assert.equal(manifest.trainSize, 80);
    assert.match(manifest.dataHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(manifest.files.map((file) => file.path).sort(), [
      'estimator.json',
      'holdout-predictions.csv',
      'metrics.json',
      'pipeline.json',
    ]);
    const lines = readFileSync(join(result.bundle, 'holdout-predictions.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'row,label,prediction,p_no,p_yes');
    assert.equal(lines.length, 21);
  });

  it('records a present run with the holdout and the bundle folder', () => {
    const record = new RunStore(dir).get(result.runId);
    assert.equal(record.step, 'present');
    assert.equal(record.status, 'completed');
    assert.equal(record.bundle, join('models', 'knn'));
    assert.equal(record.outputs?.predictions, join('models', 'knn', 'holdout-predictions.csv'));
    assert.equal(record.holdout?.size, 20);
    assert.equal(record.folds.length, 1);
  });

  it('scores the majority-class baseline on the same holdout and keeps it beside the model’s score', () => {
    const record = new RunStore(dir).get(result.runId);
    const baseline = record.holdout?.baseline;
    assert.ok(baseline, 'the holdout baseline is recorded');
    // The training part's most frequent class, predicted for every holdout row: its share of the holdout.
    const labels = readFileSync(join(dir, 'data', 'data.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[4]);
    const holdoutRows = readFileSync(join(result.bundle, 'holdout-predictions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[0]) - 1);
    const holdoutLabels = holdoutRows.map((row) => labels[row]);
    const trainingLabels = labels.filter((_, row) => !holdoutRows.includes(row));
    const count = (values: string[], label: string) => values.filter((value) => value === label).length;
    const majority = count(trainingLabels, 'yes') > count(trainingLabels, 'no') ? 'yes' : 'no';
    assert.equal(baseline.score, count(holdoutLabels, majority) / holdoutLabels.length);
    assert.equal(baseline.metrics.accuracy, baseline.score);
    const manifest = JSON.parse(readFileSync(join(result.bundle, 'bundle.json'), 'utf8')) as BundleManifest;
    assert.deepEqual(manifest.holdout?.baseline, baseline);
  });

  it('predicts a new CSV without its target, with the id and one probability per class', async () => {
    const input = join(tempDir('predict'), 'new.csv');
    writeData(input, 12, 9);
    // Drop the label column: the target may be absent.
    const text = readFileSync(input, 'utf8').replace(/,(yes|no|label)$/gm, '');
    writeFileSync(input, text);
    const predicted = await predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() });
    assert.equal(predicted.rows, 12);
    assert.equal(predicted.output, join(input, '..', 'new.predictions.csv'));
    const lines = readFileSync(predicted.output, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'row,id,prediction,p_no,p_yes');
    const right = lines
      .slice(1)
      .filter((line, index) => line.split(',')[2] === (index % 2 === 0 ? 'yes' : 'no'));
    assert.ok(right.length >= 11, `${right.length} of 12 right`);
    assert.equal(lines[1].split(',')[1], 's000');
  });

  it('scores the predictions against the actual values when the CSV holds the target, and says so', async () => {
    const input = join(tempDir('predict'), 'labelled.csv');
    writeData(input, 12, 9);
    // One row of unknown outcome: left out of the score, and counted.
    const lines = readFileSync(input, 'utf8').trim().split('\n');
    lines[3] = lines[3].replace(/,(yes|no)$/, ',');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const reporter = memoryReporter();
    const predicted = await predictJob(result.bundle, input, { backend: 'cpu', reporter });
    const score = predicted.score;
    assert.ok(score, 'scored');
    assert.equal(score.target, 'label');
    assert.equal(score.metric, 'accuracy');
    assert.equal(score.rows, 11);
    assert.equal(score.skipped, 1);
    // The score is the share of the written predictions that match the CSV's labels.
    const written = readFileSync(predicted.output, 'utf8').trim().split('\n').slice(1);
    const actual = lines.slice(1).map((line) => line.split(',').at(-1));
    const right = written.filter(
      (line, index) => actual[index] && line.split(',')[2] === actual[index],
    ).length;
    assert.equal(score.value, right / 11);
    assert.equal(score.metrics.accuracy, score.value);
    const said = reporter.events.find((event) => event.type === 'log' && /holds label/.test(event.message));
    assert.ok(said, 'the log says the predictions were scored');
    // Without the target there is nothing to score.
    writeFileSync(input, readFileSync(input, 'utf8').replace(/,(yes|no|label|)$/gm, ''));
    const unlabelled = await predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() });
    assert.equal(unlabelled.score, undefined);
  });

  it('names a column the input lacks, and lists what the model reads', async () => {
    const input = join(tempDir('predict'), 'missing.csv');
    writeFileSync(input, 'id,a,color\ns1,1.0,red\n');
    const error = await rejectsWith('COLUMN_NOT_FOUND', () =>
      predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.equal(error.column, 'b');
    assert.equal(error.file, input);
    assert.match(error.hint ?? '', /a, b, color/);
  });

  it('refuses a UTF-16 input with CSV_ENCODING on its first row, not as columns it lacks', async () => {
    const input = join(tempDir('predict'), 'utf16.csv');
    const text = 'id,a,b,color\ns1,1.0,2.0,red\n';
    writeFileSync(input, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const error = await rejectsWith('CSV_ENCODING', () =>
      predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.equal(error.file, input);
    assert.equal(error.row, 1);
    assert.match(error.message, /UTF-16/);
    assert.match(error.hint ?? '', /UTF-8/);
  });

  it('names the column, row and known values of an unseen category', async () => {
    const input = join(tempDir('predict'), 'unseen.csv');
    writeFileSync(input, 'a,b,color\n1.0,1.0,red\n1.0,1.0,purple\n');
    const error = await rejectsWith('UNSEEN_CATEGORY', () =>
      predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.equal(error.column, 'color');
    assert.equal(error.row, 3);
    assert.match(error.message, /purple/);
    assert.match(error.hint ?? '', /blue, green, red/);
  });

  it('names the column and row of text in a numeric column', async () => {
    const input = join(tempDir('predict'), 'text.csv');
    writeFileSync(input, 'a,b,color\n1.0,1.0,red\n1.0,lots,blue\n');
    const error = await rejectsWith('NON_NUMERIC_VALUE', () =>
      predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.equal(error.column, 'b');
    assert.equal(error.row, 3);
  });

  it('refuses a bundle from a newer schema with SCHEMA_TOO_NEW and a hint to update', async () => {
    const copy = tempDir('newer');
    for (const name of ['bundle.json', 'estimator.json', 'pipeline.json'])
      writeFileSync(join(copy, name), readFileSync(join(result.bundle, name)));
    const manifest = JSON.parse(readFileSync(join(copy, 'bundle.json'), 'utf8')) as BundleManifest;
    writeFileSync(
      join(copy, 'bundle.json'),
      JSON.stringify({ ...manifest, schemaVersion: BUNDLE_SCHEMA_VERSION + 1, files: [] }),
    );
    const input = join(tempDir('predict'), 'ok.csv');
    writeFileSync(input, 'a,b,color\n1.0,1.0,red\n');
    const error = await rejectsWith('SCHEMA_TOO_NEW', () =>
      predictJob(copy, input, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.equal(error.file, join(copy, 'bundle.json'));
    assert.match(error.hint ?? '', /Update Topdown/);
  });

  it('names a missing bundle file with BUNDLE_INVALID', async () => {
    const copy = tempDir('broken');
    for (const name of ['bundle.json', 'estimator.json'])
      writeFileSync(join(copy, name), readFileSync(join(result.bundle, name)));
    const input = join(tempDir('predict'), 'ok.csv');
    writeFileSync(input, 'a,b,color\n1.0,1.0,red\n');
    const error = await rejectsWith('BUNDLE_INVALID', () =>
      predictJob(copy, input, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.equal(error.file, join(copy, 'pipeline.json'));
  });

  it('says a project folder given as the bundle is a project, and names its bundles', async () => {
    const input = join(tempDir('predict'), 'ok.csv');
    writeFileSync(input, 'a,b,color\n1.0,1.0,red\n');
    const error = await rejectsWith('BUNDLE_INVALID', () =>
      predictJob(dir, input, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.match(error.message, /is a Topdown project, not a model bundle/);
    assert.ok((error.hint ?? '').includes(result.bundle), `hint: ${error.hint}`);
  });
});

describe('presentJob choices and checks', () => {
  it('presents a named candidate even when another scored better', async () => {
    const dir = writeProject(
      tempDir('named'),
      projectConfig({ present: { candidate: 'forest', name: 'final' } }),
    );
    writeData(join(dir, 'data', 'data.csv'), 60, 2);
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.97, 0.95, 0.96]);
    await recordCompletedRun(
      dir,
      'evaluate',
      { name: 'forest', model: 'random-forest', trees: 5 },
      [0.9, 0.92, 0.91],
    );
    const result = await presentJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    assert.equal(result.candidate, 'forest');
    assert.equal(result.bundle, join(dir, 'models', 'final'));
  });

  it('says the CV estimate is the only estimate when there is no holdout', async () => {
    const dir = writeProject(tempDir('no-holdout'), projectConfig({}, { holdout: undefined }));
    writeData(join(dir, 'data', 'data.csv'), 40, 3);
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.9, 0.8, 0.85]);
    const result = await presentJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    assert.equal(result.holdout, null);
    assert.equal(result.predictions, null);
    assert.match(result.message, /No holdout: the CV estimate .* is the only estimate/);
  });

  it('copies ids into predictions, never an ignored constant or category, and numbers rows from 1', async () => {
    const dir = writeProject(
      tempDir('ids'),
      projectConfig({}, { holdout: undefined, ignore: ['batch', 'site', 'ref'] }),
    );
    // batch is one value on every row, site repeats, ref (numbers) is unique per row: only ref names rows.
    const withExtras = (file: string) => {
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const extended = lines.map((line, index) =>
        index === 0
          ? `batch,site,ref,${line}`
          : `b1,${index % 2 ? 'north' : 'south'},${1000 + index},${line}`,
      );
      writeFileSync(file, `${extended.join('\n')}\n`);
    };
    writeData(join(dir, 'data', 'data.csv'), 40, 3);
    withExtras(join(dir, 'data', 'data.csv'));
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.9, 0.8, 0.85]);
    const result = await presentJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    const manifest = JSON.parse(readFileSync(join(result.bundle, 'bundle.json'), 'utf8')) as BundleManifest;
    assert.deepEqual(manifest.idColumns.sort(), ['id', 'ref']);
    const input = join(tempDir('predict'), 'extras.csv');
    writeData(input, 5, 4);
    withExtras(input);
    const predicted = await predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() });
    const lines = readFileSync(predicted.output, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    assert.ok(!header.includes('batch') && !header.includes('site'), `no dropped column in ${lines[0]}`);
    assert.ok(header.includes('id') && header.includes('ref'), `the ids in ${lines[0]}`);
    assert.equal(header[0], 'row');
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(',')[0]),
      ['1', '2', '3', '4', '5'],
      'the first data row is row 1',
    );
    const ref = header.indexOf('ref');
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(',')[ref]),
      ['1001', '1002', '1003', '1004', '1005'],
    );
  });

  it('asks for an evaluation first when no candidate has one', async () => {
    const dir = writeProject(tempDir('none'), projectConfig());
    writeData(join(dir, 'data', 'data.csv'), 40, 4);
    const error = await rejectsWith('RUN_NOT_FOUND', () =>
      presentJob(dir, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.match(error.hint ?? '', /topdown evaluate/);
  });

  it('refuses a holdout with no sample of a class, naming the class and /problem/holdout, and keeps the old bundle', async () => {
    const dir = writeProject(
      tempDir('rare'),
      projectConfig({}, { task: 'multiclass', positiveClass: undefined, holdout: 0.1 }),
    );
    writeData(join(dir, 'data', 'data.csv'), 40, 5, { rareClass: true });
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.9, 0.8, 0.85]);
    writeFileSync(join(dir, 'models', 'keep.txt'), 'old');
    const error = await rejectsWith('CLASS_TOO_SMALL', () =>
      presentJob(dir, { backend: 'cpu', reporter: memoryReporter() }),
    );
    assert.equal(error.field, '/problem/holdout');
    assert.match(error.message, /class "rare"/);
    assert.equal(new RunStore(dir).list({ step: 'present' }).length, 0);
    assert.ok(existsSync(join(dir, 'models', 'keep.txt')));
    rmSync(dir, { recursive: true, force: true });
  });
});
