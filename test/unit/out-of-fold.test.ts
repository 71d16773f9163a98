/**
 * Out-of-fold predictions: the compact form of a fold's validation predictions, the reader that refuses what it
 * cannot trust, and `topdown evaluate` keeping them in every completed run's folder, the same bytes for the same
 * seed, consistent with the fold scores it records.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { RunStore } from '../../src/core/runs/store';
import { compactFoldPredictions, outOfFoldFile, parseOutOfFold } from '../../src/core/steps/out-of-fold';
import { OUT_OF_FOLD_FILE, type OutOfFoldFile } from '../../src/protocol/out-of-fold';
import { evaluateJob } from '../../src/runner/jobs/evaluate';
import { memoryReporter } from '../../src/runner/reporter';
import { binaryCsvProject, requireBuild } from '../helpers/cli';
import { seriesProject } from '../helpers/series';
import { diskFullFor } from '../helpers/writes';

describe('compactFoldPredictions', () => {
  it('keeps the predicted class, its probability and the true class probability of each sample', () => {
    const fold = compactFoldPredictions(
      2,
      { predictions: [0.1, 0.7, 0.2, 0.55555, 0.3, 0.14445], truth: [1, 2] },
      [10, 4],
      true,
    );
    assert.deepEqual(fold, {
      index: 2,
      rows: [10, 4],
      truth: [1, 2],
      predicted: [1, 0],
      probability: [0.7, 0.5556],
      truthProbability: [0.7, 0.1445],
    });
  });

  it('keeps regression and series values at float32 precision, row-major', () => {
    const predictions = Float32Array.from([36.2, 1.5, -0.1, 7]);
    const fold = compactFoldPredictions(
      0,
      { predictions, truth: Float32Array.from([36, 1, 0, 8]) },
      [5, 6],
      false,
    );
    assert.deepEqual(fold.predicted, [36.2, 1.5, -0.1, 7]);
    assert.deepEqual(fold.truth, [36, 1, 0, 8]);
    assert.equal(fold.probability, undefined);
  });
});

describe('parseOutOfFold', () => {
  const file = outOfFoldFile({ candidate: 'net', task: 'binary', outputs: 1, classes: ['no', 'yes'] }, [
    { index: 1, rows: [3], truth: [0], predicted: [1], probability: [0.6], truthProbability: [0.4] },
    {
      index: 0,
      rows: [1, 2],
      truth: [1, 0],
      predicted: [1, 0],
      probability: [0.9, 0.8],
      truthProbability: [0.9, 0.8],
    },
  ]);

  it('reads back what outOfFoldFile made, folds in fold order', () => {
    const read = parseOutOfFold(JSON.stringify(file));
    assert.deepEqual(read, file);
    assert.deepEqual(
      read?.folds.map((fold) => fold.index),
      [0, 1],
    );
  });

  it('refuses a cut file, another version, lengths that disagree and class indices out of range', () => {
    const text = JSON.stringify(file);
    const changed = (edit: (copy: OutOfFoldFile) => void): string => {
      const copy = JSON.parse(text) as OutOfFoldFile;
      edit(copy);
      return JSON.stringify(copy);
    };
    assert.equal(parseOutOfFold(text.slice(0, -5)), undefined);
    assert.equal(parseOutOfFold(changed((copy) => Object.assign(copy, { schemaVersion: 2 }))), undefined);
    assert.equal(parseOutOfFold(changed((copy) => copy.folds[0].predicted.pop())), undefined);
    assert.equal(parseOutOfFold(changed((copy) => (copy.folds[0].truth[0] = 2))), undefined);
    assert.equal(parseOutOfFold(changed((copy) => delete copy.folds[0].probability)), undefined);
    assert.equal(parseOutOfFold(changed((copy) => (copy.outputs = 0))), undefined);
    assert.equal(parseOutOfFold('[]'), undefined);
  });
});

/** The out-of-fold file of each run of an evaluate result, by candidate name, as text. */
function outOfFoldTexts(dir: string, runs: Array<{ name: string; runId: string }>): Map<string, string> {
  const store = new RunStore(dir);
  return new Map(
    runs.map(({ name, runId }) => {
      const record = store.get(runId);
      assert.equal(record.outputs?.outOfFold, join('runs', runId, OUT_OF_FOLD_FILE));
      return [name, readFileSync(join(dir, record.outputs.outOfFold), 'utf8')];
    }),
  );
}

describe('evaluate on a disk too full for the out-of-fold file', () => {
  it('keeps the scores and run records, and ends with one DISK_FULL error naming the file and what to do', async () => {
    requireBuild();
    const dir = binaryCsvProject('oof-full', [
      { name: 'baseline', model: 'baseline' },
      { name: 'linear', model: 'linear', epochs: 3 },
    ]);
    const write = diskFullFor('{"schemaVersion":1,"candidate":"linear"');
    const options = { backend: 'cpu' as const, workers: 1, reporter: memoryReporter(), write };
    let failure: TopdownError | undefined;
    await assert.rejects(evaluateJob(dir, options), (error) => {
      assert.ok(error instanceof TopdownError, String(error));
      failure = error;
      return true;
    });
    const store = new RunStore(dir);
    const linear = store.list({ candidate: 'linear' }).map((entry) => store.get(entry.id));
    assert.equal(linear.length, 1);
    const [record] = linear;
    assert.equal(record.status, 'completed');
    assert.equal(record.folds.length, 3);
    assert.ok(record.folds.every((fold) => Number.isFinite(fold.score)));
    assert.ok(record.summary && Number.isFinite(record.summary.mean));
    assert.equal(record.outputs?.outOfFold, undefined);
    const runDir = store.runDir(record.id);
    assert.deepEqual(
      readdirSync(runDir).filter((name) => name.startsWith(OUT_OF_FOLD_FILE)),
      [],
    );
    assert.equal(failure?.code, 'DISK_FULL');
    assert.equal(failure?.file, join(runDir, OUT_OF_FOLD_FILE));
    assert.match(failure!.message, /out-of-fold\.json: the disk is full \(ENOSPC\)/);
    assert.match(
      failure!.hint ?? '',
      /^Free space on the disk .*topdown evaluate.* scores of "linear" are kept/,
    );
    for (const entry of store.list()) assert.notEqual(store.get(entry.id).status, 'running', entry.id);
  });
});

describe('evaluate keeps out-of-fold predictions', () => {
  it('writes each run its folds’ predictions, the same bytes for the same seed, matching the fold scores', async () => {
    requireBuild();
    const dir = binaryCsvProject('oof-binary', [
      { name: 'baseline', model: 'baseline' },
      { name: 'linear', model: 'linear', epochs: 3 },
    ]);
    const options = { backend: 'cpu' as const, workers: 1, reporter: memoryReporter() };
    const first = await evaluateJob(dir, options);
    const second = await evaluateJob(dir, options);
    const texts = outOfFoldTexts(dir, first.candidates);
    assert.deepEqual(texts, outOfFoldTexts(dir, second.candidates));

    const store = new RunStore(dir);
    const linear = first.candidates.find((candidate) => candidate.name === 'linear')!;
    const file = parseOutOfFold(texts.get('linear')!)!;
    assert.deepEqual(file.classes, ['no', 'yes']);
    assert.equal(file.candidate, 'linear');
    // Every sample is validated exactly once over the three folds, and each fold's accuracy is its score.
    const rows = file.folds.flatMap((fold) => fold.rows).sort((a, b) => a - b);
    assert.deepEqual(
      rows,
      Array.from({ length: 60 }, (_, row) => row),
    );
    const labels = readFileSync(join(dir, 'data', 'data.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    for (const [position, fold] of file.folds.entries()) {
      const right = fold.truth.filter((truth, sample) => truth === fold.predicted[sample]).length;
      assert.equal(right / fold.rows.length, store.get(linear.runId).folds[position].score);
      fold.rows.forEach((row, sample) =>
        assert.equal(file.classes![fold.truth[sample]], labels[row].split(',')[4]),
      );
    }
  });

  it('keeps a time series’ forecasts per fold, horizon values per sample, truth from the rows they forecast', async () => {
    requireBuild();
    const { dir, values } = seriesProject('oof-series', 2, [{ name: 'linear', model: 'linear', epochs: 2 }]);
    const result = await evaluateJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() });
    const file = parseOutOfFold(outOfFoldTexts(dir, result.candidates).get('linear')!)!;
    assert.equal(file.outputs, 2);
    assert.equal(file.classes, undefined);
    assert.equal(file.folds.length, 2);
    for (const fold of file.folds) {
      assert.ok(fold.rows.length > 0);
      fold.rows.forEach((row, sample) => {
        for (let step = 0; step < 2; step++)
          assert.ok(
            Math.abs(fold.truth[sample * 2 + step] - values[row + step]) < 1e-3,
            `row ${row} step ${step}`,
          );
      });
      assert.ok(fold.predicted.every(Number.isFinite));
    }
    // Walk-forward: the second fold validates later rows than the first.
    assert.ok(Math.min(...file.folds[1].rows) > Math.max(...file.folds[0].rows));
  });
});
