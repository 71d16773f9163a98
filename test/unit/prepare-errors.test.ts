import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { PrepareOp, ProblemConfig } from '../../src/core/config';
import { readCsv } from '../../src/core/data/csv';
import { Pipeline, prepareFold, targetClasses } from '../../src/core/prepare/pipeline';
import { categorical, numeric, table, throwsCode } from './prepare-helpers';

const regression: ProblemConfig = { data: 'cars.csv', target: 'mpg', task: 'regression' };
const carsFile = join(__dirname, '..', 'fixtures', 'prepare', 'cars.csv');

describe('prepare errors on a real CSV', () => {
  it('names the column and the spreadsheet row of a missing value, and the op to add', async () => {
    const cars = await readCsv(carsFile);
    throwsCode(
      () => new Pipeline(regression, [{ op: 'onehot', unknown: 'ignore' }]).fit(cars),
      'PREPARE_INVALID',
      (error) => {
        // The header is row 1, so the 9th data row (origin empty) is row 10.
        assert.equal(error.row, 10);
        assert.equal(error.column, 'origin');
        assert.equal(error.file, carsFile);
        assert.equal(error.field, '/prepare/0');
        assert.match(error.hint ?? '', /impute/);
      },
    );
    throwsCode(
      () =>
        new Pipeline(regression, [
          { op: 'impute', strategy: 'most-frequent', columns: ['origin'] },
          { op: 'onehot' },
        ]).fit(cars),
      'PREPARE_INVALID',
      (error) => {
        assert.match(
          error.message,
          /Column "horsepower" has missing values in row 4: add \{"op": "impute"\}/,
        );
        assert.equal(error.row, 4);
      },
    );
  });

  it('prepares the file once the right ops are added, dropping the identifier-like name', async () => {
    const cars = await readCsv(carsFile);
    const ops: PrepareOp[] = [
      { op: 'impute', strategy: 'median' },
      { op: 'impute', strategy: 'most-frequent' },
      { op: 'onehot' },
      { op: 'standardize' },
    ];
    const { train, validation } = prepareFold(cars, regression, ops, {
      train: [0, 1, 2, 3, 4, 5, 6, 7],
      validation: [8, 9, 10, 11],
    });
    assert.deepEqual(train.featureNames, [
      'cylinders',
      'horsepower',
      'origin=europe',
      'origin=japan',
      'origin=usa',
    ]);
    assert.deepEqual(validation.xShape, [4, 5]);
    assert.deepEqual([...validation.y], [17, 29, 22, 33]);
  });

  it('says which op to add for a categorical column left over', async () => {
    const cars = await readCsv(carsFile);
    throwsCode(
      () => new Pipeline(regression, [{ op: 'impute', strategy: 'median' }]).fit(cars),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.message, 'Column "origin" is categorical: add {"op": "onehot"}.');
        assert.equal(error.column, 'origin');
      },
    );
  });
});

describe('prepare errors', () => {
  const colors = table([categorical('color', ['red', 'blue', 'red', 'green']), numeric('mpg', [1, 2, 3, 4])]);

  it('raises UNSEEN_CATEGORY naming column, row and value', () => {
    throwsCode(
      () => prepareFold(colors, regression, [{ op: 'onehot' }], { train: [0, 1, 2], validation: [3] }),
      'UNSEEN_CATEGORY',
      (error) => {
        assert.equal(error.column, 'color');
        assert.equal(error.row, 5);
        assert.match(error.message, /"green"/);
        assert.match(error.hint ?? '', /"unknown": "ignore"/);
      },
    );
  });

  it('raises UNSEEN_CATEGORY for an ordinal value outside the given order', () => {
    throwsCode(
      () => new Pipeline(regression, [{ op: 'ordinal', order: { color: ['red', 'blue'] } }]).fit(colors),
      'UNSEEN_CATEGORY',
      (error) => {
        assert.equal(error.row, 5);
        assert.match(error.hint ?? '', /order/);
      },
    );
  });

  it('rejects log of a value at or below -offset, naming row and column', () => {
    const data = table([numeric('balance', [5, -1, 3]), numeric('mpg', [1, 2, 3])]);
    throwsCode(
      () => new Pipeline(regression, [{ op: 'log', columns: ['balance'] }]).fit(data),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.row, 3);
        assert.equal(error.column, 'balance');
        assert.equal(error.field, '/prepare/0');
      },
    );
  });

  it('rejects an image shape that does not match the pixel count, naming the counts', () => {
    const data = table([
      numeric('p0', [1]),
      numeric('p1', [2]),
      numeric('p2', [3]),
      categorical('label', ['a']),
    ]);
    const problem: ProblemConfig = { data: 'digits.csv', target: 'label', task: 'image' };
    throwsCode(
      () => new Pipeline(problem, [{ op: 'image', rows: 2, cols: 2 }]).fit(data, { classes: ['a', 'b'] }),
      'PREPARE_INVALID',
      (error) => {
        assert.match(error.message, /needs 4 pixel columns, but there are 3/);
        assert.equal(error.field, '/prepare/0');
      },
    );
  });

  it('rejects a missing target, naming its row', () => {
    const data = table([numeric('x', [1, 2, 3]), numeric('mpg', [1, null, 3])]);
    throwsCode(
      () => new Pipeline(regression, []).fit(data),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.row, 3);
        assert.equal(error.column, 'mpg');
        assert.match(error.hint ?? '', /remove them/);
      },
    );
    const labels = table([numeric('x', [1, 2, 3]), categorical('label', ['a', 'b', null])]);
    throwsCode(
      () => targetClasses(labels, { ...regression, target: 'label', task: 'binary' }),
      'PREPARE_INVALID',
      (error) => assert.equal(error.row, 4),
    );
  });

  it('rejects an op column that is not a feature, pointing at the op', () => {
    throwsCode(
      () =>
        new Pipeline(regression, [{ op: 'standardize' }, { op: 'standardize', columns: ['colour'] }]).fit(
          colors,
        ),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.field, '/prepare/1');
        assert.equal(error.column, 'colour');
        assert.match(error.hint ?? '', /color/);
      },
    );
    throwsCode(
      () => new Pipeline(regression, [{ op: 'standardize', columns: ['color'] }]).fit(colors),
      'PREPARE_INVALID',
      (error) => assert.match(error.message, /needs numeric columns; "color" is categorical/),
    );
  });

  it('refuses to drop or encode the target', () => {
    throwsCode(
      () => new Pipeline(regression, [{ op: 'drop', columns: ['mpg'] }]).fit(colors),
      'PREPARE_INVALID',
    );
    const labels = table([numeric('x', [1, 2]), categorical('label', ['a', 'b'])]);
    const binary: ProblemConfig = { data: 'x.csv', target: 'label', task: 'binary' };
    throwsCode(
      () => new Pipeline(binary, [{ op: 'onehot', columns: ['label'] }]).fit(labels),
      'PREPARE_INVALID',
      (error) => assert.match(error.message, /is the target/),
    );
  });

  it('rejects an unknown target column and an unknown positive class', () => {
    throwsCode(
      () => new Pipeline({ ...regression, target: 'price' }, []).fit(colors),
      'COLUMN_NOT_FOUND',
      (error) => assert.equal(error.field, '/problem/target'),
    );
    const labels = table([numeric('x', [1, 2]), categorical('label', ['a', 'b'])]);
    throwsCode(
      () => targetClasses(labels, { data: 'x.csv', target: 'label', task: 'binary', positiveClass: 'c' }),
      'PREPARE_INVALID',
      (error) => assert.equal(error.field, '/problem/positiveClass'),
    );
  });

  it('rejects a binary task with three classes, and any task with one', () => {
    const three = table([numeric('x', [1, 2, 3]), categorical('label', ['a', 'b', 'c'])]);
    throwsCode(
      () => targetClasses(three, { data: 'x.csv', target: 'label', task: 'binary' }),
      'PREPARE_INVALID',
      (error) => assert.match(error.hint ?? '', /multiclass/),
    );
    const one = table([numeric('x', [1, 2]), categorical('label', ['a', 'a'])]);
    throwsCode(
      () => targetClasses(one, { data: 'x.csv', target: 'label', task: 'multiclass' }),
      'TARGET_SINGLE_CLASS',
    );
  });

  it('rejects an empty minmax range, naming the field', () => {
    throwsCode(
      () => new Pipeline(regression, [{ op: 'minmax', range: [1, 1] }]).fit(colors),
      'PREPARE_INVALID',
      (error) => assert.equal(error.field, '/prepare/0/range'),
    );
  });
});
