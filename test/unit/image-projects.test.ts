/** Image projects from the CLI: a folder of class subfolders and an IDX pair run define, evaluate and present. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeProject } from '../helpers/cli';
import { syntheticImages, writeIdx, writeImageFolder } from '../helpers/images';
import type { ConfusedPairs, DataProfile } from '../../src/protocol/profile';

const images = syntheticImages(20, 8, 3);

function imageProject(data: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'images',
    description: 'synthetic bars and squares',
    problem: { data, target: 'label', task: 'image', metric: 'accuracy', holdout: 0.2, ...extra },
    prepare: [{ op: 'image', rows: 8, cols: 8, channels: 1 }],
    evaluate: {
      validation: { scheme: 'stratified-kfold', folds: 3 },
      seed: 3,
      candidates: [
        { name: 'baseline', model: 'baseline' },
        { name: 'knn', model: 'knn', k: 1 },
      ],
    },
    present: { predictions: true, report: false },
  };
}

/** Rows of a predictions CSV as objects (no quoted fields in these). */
function readPredictions(file: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) =>
    Object.fromEntries(line.split(',').map((value, index) => [names[index], value])),
  );
}

/** `topdown predict` with an IDX file (labels kept), a folder of loose images, and a list of image files. */
async function predictsImages(dir: string, bundle: string): Promise<void> {
  const fresh = syntheticImages(5, 8, 99);
  const idx = writeIdx(join(dir, 'new'), 'test', fresh);
  const fromIdx = await runCli(['predict', bundle, idx, '--json']);
  assert.equal(fromIdx.code, 0, fromIdx.stderr);
  const rows = readPredictions(fromIdx.json?.output as string);
  assert.equal(rows.length, 15);
  const names = ['bar', 'column', 'square'];
  const correct = rows.filter((row) => row.prediction === row.label).length;
  assert.ok(correct >= 12, `${correct} of 15 new images right`);
  assert.equal(rows[0].label, names[fresh.labels[0]]);
  const folder = writeImageFolder(join(dir, 'new', 'folder'), fresh);
  const fromFolder = await runCli(['predict', bundle, folder, '--json']);
  assert.equal(fromFolder.code, 0, fromFolder.stderr);
  const folderRows = readPredictions(fromFolder.json?.output as string);
  assert.equal(folderRows.length, 15);
  assert.equal(folderRows[0].file, 'class-0/00000.png');
  const files = [join(folder, 'class-1', '00001.png'), join(folder, 'class-2', '00002.png')];
  const output = join(dir, 'two.csv');
  const fromFiles = await runCli(['predict', bundle, ...files, '--output', output, '--json']);
  assert.equal(fromFiles.code, 0, fromFiles.stderr);
  assert.deepEqual(
    readPredictions(output).map((row) => [row.file, row.prediction]),
    [
      ['00001.png', 'column'],
      ['00002.png', 'square'],
    ],
  );
  const notImage = await runCli(['predict', bundle, join(dir, 'topdown.json'), '--json']);
  assert.equal(notImage.code, 1);
  assert.equal((notImage.json as { error: { code: string } }).error.code, 'IMAGE_UNREADABLE');
}

/** The present run's confused pairs count exactly the holdout's mistakes; the report shows the sample grid. */
function assertConfusedPairs(dir: string, present: { runId?: string; bundle?: string }): void {
  const record = JSON.parse(readFileSync(join(dir, 'runs', present.runId!, 'run.json'), 'utf8')) as {
    outputs: Record<string, string>;
  };
  const pairs = JSON.parse(readFileSync(join(dir, record.outputs.confusedPairs), 'utf8')) as ConfusedPairs;
  const mistakes = readPredictions(join(present.bundle!, 'holdout-predictions.csv')).filter(
    (row) => row.label !== row.prediction,
  );
  assert.equal(
    pairs.pairs.reduce((sum, pair) => sum + pair.count, 0),
    mistakes.length,
  );
  assert.ok(pairs.pairs.length > 0);
  for (const pair of pairs.pairs) {
    assert.notEqual(pair.actual, pair.predicted);
    assert.equal(Buffer.from(pair.examples[0].pixels, 'base64').length, 64);
  }
  assert.match(readFileSync(join(dir, 'report', 'REPORT.md'), 'utf8'), /\(class-samples\.png\)/);
}

describe('image projects from the CLI', () => {
  it('runs a folder-of-images project: the profile shows samples per class and knn beats the baseline', async () => {
    const dir = tempDir('folder-project');
    writeProject(dir, imageProject('data/images'));
    writeImageFolder(join(dir, 'data', 'images'), images, { names: ['bar', 'column', 'square'] });
    const define = await runCli(['define', dir, '--json']);
    assert.equal(define.code, 0, define.stderr);
    const warnings = define.json?.warnings as Array<{ code: string }>;
    assert.ok(
      !warnings.some((warning) => warning.code === 'IDENTIFIER'),
      'the file-name column is no feature',
    );
    const profile = JSON.parse(readFileSync(define.json?.profile as string, 'utf8')) as DataProfile;
    assert.deepEqual(
      profile.images?.classes.map((entry) => [entry.value, entry.images.length]),
      [
        ['bar', 8],
        ['column', 8],
        ['square', 8],
      ],
    );
    assert.equal(Buffer.from(profile.images!.classes[0].images[0].pixels, 'base64').length, 64);
    const evaluate = await runCli(['evaluate', dir, '--json', '--workers', '1']);
    assert.equal(evaluate.code, 0, evaluate.stderr);
    const candidates = evaluate.json?.candidates as Array<{ name: string; mean: number }>;
    const knn = candidates.find((candidate) => candidate.name === 'knn')!;
    assert.ok(knn.mean > 0.8, `knn ${knn.mean}`);
  });

  it('runs an IDX project through present, with class names from problem.classNames', async () => {
    const dir = tempDir('idx-project');
    writeProject(dir, {
      ...imageProject('data/train-images-idx3-ubyte.gz', { classNames: ['bar', 'column', 'square'] }),
      present: { predictions: true, report: true },
    });
    writeIdx(join(dir, 'data'), 'train', images, { gzip: true });
    const all = await runCli(['all', dir, '--json', '--workers', '1']);
    assert.equal(all.code, 0, all.stderr);
    const present = (
      all.json?.steps as Record<string, { holdout?: { score: number }; bundle?: string; runId?: string }>
    ).present;
    assert.ok(present.holdout!.score > 0.8, `holdout ${present.holdout?.score}`);
    const predictions = readFileSync(join(present.bundle!, 'holdout-predictions.csv'), 'utf8').split('\n');
    assert.match(predictions[1], /bar|column|square/);
    // The baseline predicts one class, so every other holdout image is a mistake to show.
    const baseline = await runCli(['present', dir, '--candidate', 'baseline', '--json']);
    assert.equal(baseline.code, 0, baseline.stderr);
    assertConfusedPairs(dir, baseline.json as { runId: string; bundle: string });
    await predictsImages(dir, present.bundle!);
  });

  it('augments the training part of each fold only', async () => {
    const dir = tempDir('augment-project');
    const config = imageProject('data/train-images-idx3-ubyte.gz');
    config.prepare = [
      { op: 'image', rows: 8, cols: 8, channels: 1, augment: { flip: true, shift: 1, copies: 2 } },
    ];
    writeProject(dir, config);
    writeIdx(join(dir, 'data'), 'train', images, { gzip: true });
    const evaluate = await runCli(['evaluate', dir, '--json', '--workers', '1']);
    assert.equal(evaluate.code, 0, evaluate.stderr);
    const knn = (evaluate.json?.candidates as Array<{ name: string; runId: string }>).find(
      (candidate) => candidate.name === 'knn',
    )!;
    const run = JSON.parse(readFileSync(join(dir, 'runs', knn.runId, 'run.json'), 'utf8')) as {
      folds: Array<{ trainSize: number; validationSize: number }>;
    };
    // 48 images outside the 20% holdout, 3 folds: 32 train (each with 2 copies) and 16 validated.
    assert.deepEqual(
      run.folds.map((fold) => [fold.trainSize, fold.validationSize]),
      [
        [96, 16],
        [96, 16],
        [96, 16],
      ],
    );
  });

  it('names the broken image when a project folder holds one', async () => {
    const dir = tempDir('folder-broken');
    writeProject(dir, imageProject('data/images'));
    writeImageFolder(join(dir, 'data', 'images'), images);
    const { writeFileSync } = await import('node:fs');
    const broken = join(dir, 'data', 'images', 'class-1', '00004.png');
    writeFileSync(broken, 'oops');
    const define = await runCli(['define', dir, '--json']);
    assert.equal(define.code, 1);
    const error = (define.json as { error: { code: string; file: string } }).error;
    assert.equal(error.code, 'IMAGE_UNREADABLE');
    assert.equal(error.file, broken);
  });
});
