import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { finalOutputPath, finalResultsFromBundle } from '../../src/extension/panels/finalResults';
import type { RunRecord } from '../../src/protocol/records';

function project(manifest: Record<string, unknown>, predictions: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-final-'));
  mkdirSync(join(dir, 'models', 'knn'), { recursive: true });
  writeFileSync(join(dir, 'models', 'knn', 'bundle.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'models', 'knn', 'holdout-predictions.csv'), predictions);
  return dir;
}

const record = (bundle: string | undefined) =>
  ({ id: 'run-present', bundle, outputs: { report: 'report/REPORT.md' } }) as unknown as RunRecord;

describe('finalResultsFromBundle', () => {
  it('reads holdout and cross-validation scores, classes, confusion and a predictions sample from the bundle', () => {
    const dir = project(
      {
        candidate: { name: 'knn', model: 'knn', config: {} },
        task: 'binary',
        target: 'Class',
        classes: ['M', 'R'],
        metric: 'accuracy',
        higherIsBetter: true,
        cv: { runId: 'run-eval', step: 'evaluate', mean: 0.84, std: 0.02, folds: 3 },
        holdout: {
          score: 0.81,
          metrics: { f1: 0.8 },
          size: 2,
          confusion: [
            [1, 0],
            [1, 0],
          ],
        },
      },
      'row,Class,prediction,p_M,p_R\n12,M,M,0.9,0.1\n40,"R",M,0.6,0.4\n',
    );
    const results = finalResultsFromBundle(dir, record('models/knn'));
    assert.deepEqual(results?.holdout, { f1: 0.8, accuracy: 0.81 });
    assert.deepEqual(results?.crossValidation, { accuracy: { mean: 0.84, std: 0.02 } });
    assert.deepEqual(results?.confusion, [
      [1, 0],
      [1, 0],
    ]);
    assert.deepEqual(results?.predictions, [
      { row: 12, actual: 'M', predicted: 'M', probability: 0.9 },
      { row: 40, actual: 'R', predicted: 'M', probability: 0.6 },
    ]);
    assert.equal(results?.positiveClass, 'R', 'without problem.positiveClass, the second class is positive');
    assert.equal(results?.candidate, 'knn');
    assert.equal(results?.hasReport, true);
    assert.equal(results?.residuals, undefined);
  });

  it('gives regression runs residuals instead of classes', () => {
    const dir = project(
      {
        candidate: { name: 'knn', model: 'knn', config: {} },
        task: 'regression',
        target: 'mpg',
        metric: 'rmse',
        higherIsBetter: false,
        cv: null,
        holdout: { score: 2.5, metrics: { mae: 2 }, size: 2 },
      },
      'row,mpg,prediction\n3,21.5,20\n9,30,33.5\n',
    );
    const results = finalResultsFromBundle(dir, record('models/knn'));
    assert.deepEqual(results?.residuals, [
      { actual: 21.5, predicted: 20, row: 3 },
      { actual: 30, predicted: 33.5, row: 9 },
    ]);
    assert.equal(results?.decimals, 1, 'the actual values carry one decimal');
    assert.equal(results?.classes, undefined);
    assert.equal(results?.positiveClass, undefined);
    assert.deepEqual(results?.crossValidation, {});
    assert.deepEqual(results?.baseline, { name: 'mean' });
  });

  it('gives nothing for a run without a bundle or with a bundle outside the project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topdown-final-'));
    assert.equal(finalResultsFromBundle(dir, record(undefined)), undefined);
    assert.equal(finalResultsFromBundle(dir, record('../elsewhere')), undefined);
    assert.equal(finalResultsFromBundle(dir, record('models/missing')), undefined);
  });
});

describe('finalOutputPath', () => {
  it('opens the model folder a present run records as outputs.bundle (there is no outputs.model)', () => {
    const present = {
      id: 'run-present',
      bundle: 'models/mlp-small',
      outputs: {
        bundle: 'models/mlp-small',
        predictions: 'models/mlp-small/holdout-predictions.csv',
        report: 'report/REPORT.md',
      },
    } as unknown as RunRecord;
    assert.equal(finalOutputPath(present, 'model'), 'models/mlp-small');
    assert.equal(finalOutputPath(present, 'report'), 'report/REPORT.md');
  });

  it('falls back to the record’s bundle field, and gives nothing for a run without a model or report', () => {
    assert.equal(finalOutputPath({ bundle: 'models/knn' } as unknown as RunRecord, 'model'), 'models/knn');
    assert.equal(finalOutputPath({} as unknown as RunRecord, 'model'), undefined);
    assert.equal(finalOutputPath({ outputs: {} } as unknown as RunRecord, 'report'), undefined);
  });
});
