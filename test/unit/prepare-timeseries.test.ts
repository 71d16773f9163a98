import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrepareOp, ProblemConfig } from '../../src/core/config';
import { countSamples, Pipeline, prepareFold } from '../../src/core/prepare/pipeline';
import { close, dates, numeric, table, throwsCode } from './prepare-helpers';

const problem: ProblemConfig = {
  data: 'series.csv',
  target: 'sales',
  task: 'time-series',
  timeColumn: 'day',
};
const days = Array.from({ length: 10 }, (_, index) => `2024-01-${String(index + 1).padStart(2, '0')}`);
const sales = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
const temperature = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
const series = table(
  [dates('day', days), numeric('temp', temperature), numeric('sales', sales)],
  'series.csv',
);
const window: PrepareOp = { op: 'window', lookBack: 3, horizon: 2 };

describe('window', () => {
  it('makes [n, lookBack, features] windows predicting the next horizon values', () => {
    const dataset = new Pipeline(problem, [window]).fit(series).transform(series);
    assert.equal(countSamples(series, problem, [window]), 6);
    assert.deepEqual(dataset.xShape, [6, 3, 2]);
    assert.deepEqual(dataset.yShape, [6, 2]);
    assert.deepEqual(dataset.featureNames, ['temp', 'sales'], 'the target is a feature, the date is not');
    // Sample 1 reads rows 1..3 and predicts rows 4 and 5.
    assert.deepEqual([...dataset.x.subarray(6, 12)], [1, 11, 0, 12, 1, 13]);
    assert.deepEqual([...dataset.y.subarray(2, 4)], [14, 15]);
    assert.deepEqual([...dataset.rowIndex], [3, 4, 5, 6, 7, 8]);
  });

  it('fills persistence with the last target value in each window', () => {
    const dataset = new Pipeline(problem, [window]).fit(series).transform(series);
    assert.deepEqual([...(dataset.persistence ?? [])], [12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 17]);
  });

  it('scales the target with the features by default and inverseTarget restores it', () => {
    const pipeline = new Pipeline(problem, [{ op: 'standardize' }, window]).fit(series);
    const dataset = pipeline.transform(series);
    assert.ok(Math.abs(dataset.y[0]) < 2, 'y is in scaled units');
    const restored = pipeline.inverseTarget(dataset.y);
    [13, 14, 14, 15].forEach((value, index) => close(restored[index], value, 1e-4));
    const persistence = pipeline.inverseTarget(dataset.persistence ?? new Float32Array());
    close(persistence[0], 12, 1e-4);
  });

  it('defaults to one row of history when there is no window op', () => {
    const pipeline = new Pipeline(problem, []).fit(series);
    const dataset = pipeline.transform(series);
    assert.deepEqual(dataset.xShape, [9, 1, 2]);
    assert.equal(countSamples(series, problem, []), 9);
    assert.ok(pipeline.describe().some((line) => line.startsWith('No window op')));
  });

  it('rejects a window longer than the data, naming the op', () => {
    throwsCode(
      () => new Pipeline(problem, [{ op: 'window', lookBack: 9, horizon: 2 }]).fit(series).transform(series),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.field, '/prepare/0');
        assert.match(error.message, /at least 11 rows; there are 10/);
      },
    );
  });

  it('rejects a window op outside time series', () => {
    throwsCode(
      () => new Pipeline({ ...problem, task: 'regression' }, [{ op: 'standardize' }, window]),
      'PREPARE_INVALID',
      (error) => assert.equal(error.field, '/prepare/1'),
    );
  });
});

describe('prepareFold for time series', () => {
  const fold = { train: [0, 1, 2], validation: [3, 4] };

  it('selects windows by sample index, validation reading earlier rows as history', () => {
    const { train, validation } = prepareFold(series, problem, [window], fold);
    assert.deepEqual(train.xShape, [3, 3, 2]);
    assert.deepEqual(validation.xShape, [2, 3, 2]);
    // Validation sample 3 reads rows 3..5 and predicts rows 6, 7.
    assert.deepEqual([...validation.x.subarray(0, 6)], [1, 13, 0, 14, 1, 15]);
    assert.deepEqual([...validation.y.subarray(0, 2)], [16, 17]);
    assert.deepEqual([...(validation.persistence ?? [])], [15, 15, 16, 16]);
  });

  it('fits only on rows covered by the training windows', () => {
    // Training windows 0..2 cover rows 0..6; rows 7..9 only reach validation.
    const changed = table(
      [
        dates('day', days),
        numeric('temp', [0, 1, 0, 1, 0, 1, 0, 50, 60, 70]),
        numeric('sales', [...sales.slice(0, 7), 900, 800, 700]),
      ],
      'series.csv',
    );
    const ops: PrepareOp[] = [{ op: 'minmax' }, window];
    const left = prepareFold(series, problem, ops, fold);
    const right = prepareFold(changed, problem, ops, fold);
    assert.deepEqual(right.pipeline.getState(), left.pipeline.getState());
    assert.deepEqual([...right.train.x], [...left.train.x]);
    const state = left.pipeline.getState().steps[0];
    assert.ok(state.op === 'minmax');
    assert.deepEqual(state.mins, [0, 10]);
    assert.deepEqual(state.scales, [1, 1 / 6]);
  });
});
