import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrepareOp, ProblemConfig } from '../../src/core/config';
import {
  Pipeline,
  prepareFold,
  previewPreparation,
  stratifyLabels,
  targetClasses,
} from '../../src/core/prepare/pipeline';
import { categorical, close, featureValues, identifier, numeric, table, dates } from './prepare-helpers';

const binary: ProblemConfig = { data: 'data.csv', target: 'label', task: 'binary' };
const regression: ProblemConfig = { data: 'data.csv', target: 'price', task: 'regression' };

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('targetClasses', () => {
  it('sorts classes and puts the positive class at index 1', () => {
    const data = table([numeric('x', [1, 2, 3]), categorical('label', ['M', 'R', 'M'])]);
    assert.deepEqual(targetClasses(data, binary), ['M', 'R']);
    assert.deepEqual(targetClasses(data, { ...binary, positiveClass: 'M' }), ['R', 'M']);
  });

  it('sorts numeric labels by value and gives stratification indices', () => {
    const data = table([numeric('x', [1, 2, 3, 4]), numeric('label', [10, 2, 2, 10])]);
    const problem: ProblemConfig = { ...binary, task: 'multiclass' };
    assert.deepEqual(targetClasses(data, problem), ['2', '10']);
    assert.deepEqual([...(stratifyLabels(data, problem) ?? [])], [1, 0, 0, 1]);
    assert.equal(stratifyLabels(data, regression), undefined);
  });
});

describe('Pipeline features', () => {
  it('leaves out the target, ignored, identifier and date columns and says why', () => {
    const data = table([
      identifier('id', ['a1', 'a2', 'a3', 'a4']),
      dates('day', ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']),
      numeric('leak', [0, 1, 0, 1]),
      numeric('x', [1, 2, 3, 4]),
      categorical('label', ['no', 'yes', 'no', 'yes']),
    ]);
    const pipeline = new Pipeline({ ...binary, ignore: ['leak'] }, []).fit(data);
    const dataset = pipeline.transform(data);
    assert.deepEqual(dataset.featureNames, ['x']);
    assert.deepEqual(dataset.xShape, [4, 1]);
    assert.deepEqual([...dataset.y], [0, 1, 0, 1]);
    assert.deepEqual(dataset.classes, ['no', 'yes']);
    const lines = pipeline.describe().join('\n');
    assert.match(lines, /identifier column "id"/);
    assert.match(lines, /date column "day"/);
    assert.match(lines, /Ignored column "leak"/);
    assert.match(lines, /yes \(1, the positive class\)/);
  });

  it('gives regression targets as [n, 1] and keeps row indices', () => {
    const data = table([numeric('x', [1, 2, 3, 4]), numeric('price', [10, 20, 30, 40])]);
    const dataset = new Pipeline(regression, []).fit(data).transform(data, [3, 1]);
    assert.deepEqual(dataset.yShape, [2, 1]);
    assert.deepEqual([...dataset.y], [40, 20]);
    assert.deepEqual([...dataset.x], [4, 2]);
    assert.deepEqual([...dataset.rowIndex], [3, 1]);
  });
});

describe('Pipeline ops', () => {
  const mixed = table([
    numeric('age', [20, null, 40, 60]),
    categorical('origin', ['usa', 'japan', null, 'usa']),
    numeric('income', [0, 9, 99, 999]),
    numeric('price', [1, 2, 3, 4]),
  ]);

  it('imputes numeric columns with the median and categories with the most frequent value', () => {
    const ops: PrepareOp[] = [
      { op: 'impute', strategy: 'median', columns: ['age'] },
      { op: 'impute', strategy: 'most-frequent', columns: ['origin'] },
      { op: 'onehot' },
    ];
    const dataset = new Pipeline(regression, ops).fit(mixed).transform(mixed);
    assert.deepEqual(dataset.featureNames, ['age', 'origin=japan', 'origin=usa', 'income']);
    assert.deepEqual(featureValues(dataset.x, 4, 0), [20, 40, 40, 60]);
    assert.deepEqual(featureValues(dataset.x, 4, 2), [1, 0, 1, 1]);
  });

  it('imputes the mean, or a constant', () => {
    const withMean = new Pipeline(regression, [
      { op: 'impute', strategy: 'mean', columns: ['age'] },
      { op: 'impute', strategy: 'constant', value: 'unknown', columns: ['origin'] },
      { op: 'onehot' },
    ]).fit(mixed);
    const dataset = withMean.transform(mixed);
    assert.deepEqual(dataset.featureNames, ['age', 'origin=japan', 'origin=unknown', 'origin=usa', 'income']);
    assert.deepEqual(featureValues(dataset.x, 5, 0), [20, 40, 40, 60]);
    assert.deepEqual(featureValues(dataset.x, 5, 2), [0, 0, 1, 0]);
  });

  it('standardizes to mean 0 and std 1, and min-max scales to a range', () => {
    const data = table([
      numeric('a', [1, 2, 3, 4]),
      numeric('b', [10, 10, 20, 40]),
      numeric('price', [0, 0, 1, 1]),
    ]);
    const standardized = new Pipeline(regression, [{ op: 'standardize' }]).fit(data).transform(data);
    const a = featureValues(standardized.x, 2, 0);
    close(mean(a), 0);
    close(Math.sqrt(mean(a.map((value) => value * value))), 1);
    assert.deepEqual([...standardized.y], [0, 0, 1, 1], 'regression target is not scaled by default');
    const scaled = new Pipeline(regression, [{ op: 'minmax', columns: ['b'], range: [-1, 1] }])
      .fit(data)
      .transform(data);
    featureValues(scaled.x, 2, 1).forEach((value, index) => close(value, [-1, -1, -1 / 3, 1][index]));
    assert.deepEqual(featureValues(scaled.x, 2, 0), [1, 2, 3, 4]);
  });

  it('scales a regression target only when named, and inverseTarget undoes it', () => {
    const data = table([numeric('a', [1, 2, 3, 4]), numeric('price', [100, 200, 300, 600])]);
    const pipeline = new Pipeline(regression, [
      { op: 'log', columns: ['price'] },
      { op: 'standardize', columns: ['price'] },
    ]).fit(data);
    const dataset = pipeline.transform(data);
    close(mean([...dataset.y]), 0);
    const restored = pipeline.inverseTarget(dataset.y);
    [100, 200, 300, 600].forEach((value, index) => close(restored[index], value, 1e-3));
  });

  it('takes log(x + offset)', () => {
    const dataset = new Pipeline(regression, [
      { op: 'log', columns: ['income'], offset: 1 },
      { op: 'drop', columns: ['age', 'origin'] },
    ])
      .fit(mixed)
      .transform(mixed);
    featureValues(dataset.x, 1, 0).forEach((value, index) =>
      close(value, Math.log([0, 9, 99, 999][index] + 1)),
    );
  });

  it('onehot encodes unknown categories as zeros when told to ignore them', () => {
    const ops: PrepareOp[] = [{ op: 'onehot', unknown: 'ignore' }];
    const train = table([categorical('color', ['red', 'blue', 'red']), numeric('price', [1, 2, 3])]);
    const pipeline = new Pipeline(regression, ops).fit(train);
    const other = table([categorical('color', ['green', 'red']), numeric('price', [4, 5])]);
    const dataset = pipeline.transform(other);
    assert.deepEqual(dataset.featureNames, ['color=blue', 'color=red']);
    assert.deepEqual([...dataset.x], [0, 0, 0, 1]);
  });

  it('ordinal encodes in an explicit order', () => {
    const data = table([categorical('size', ['L', 'S', 'M', null]), numeric('price', [3, 1, 2, 2])]);
    const ops: PrepareOp[] = [
      { op: 'ordinal', order: { size: ['S', 'M', 'L'] } },
      { op: 'impute', strategy: 'median' },
    ];
    const dataset = new Pipeline(regression, ops).fit(data).transform(data);
    assert.deepEqual([...dataset.x], [2, 0, 1, 1]);
  });

  it('reshapes pixel columns into images divided by scale', () => {
    const pixels = Array.from({ length: 6 }, (_, index) => numeric(`p${index}`, [index * 2, 12]));
    const data = table([...pixels, categorical('label', ['a', 'b'])]);
    const problem: ProblemConfig = { data: 'data.csv', target: 'label', task: 'image' };
    const dataset = new Pipeline(problem, [{ op: 'image', rows: 2, cols: 3, scale: 2 }])
      .fit(data)
      .transform(data);
    assert.deepEqual(dataset.xShape, [2, 2, 3, 1]);
    assert.deepEqual([...dataset.x.subarray(0, 6)], [0, 1, 2, 3, 4, 5]);
    assert.deepEqual([...dataset.x.subarray(6)], [6, 6, 6, 6, 6, 6]);
    assert.deepEqual(dataset.featureNames, ['gray']);
  });
});

describe('Pipeline state', () => {
  it('round-trips through JSON and transforms identically', () => {
    const data = table([
      numeric('age', [20, null, 40, 60, 35]),
      categorical('origin', ['usa', 'japan', null, 'usa', 'europe']),
      numeric('income', [0, 9, 99, 999, 5]),
      categorical('label', ['x', 'y', 'x', 'y', 'y']),
    ]);
    const ops: PrepareOp[] = [
      { op: 'impute', strategy: 'mean', columns: ['age'] },
      { op: 'impute', strategy: 'most-frequent' },
      { op: 'log', columns: ['income'] },
      { op: 'onehot', unknown: 'ignore' },
      { op: 'minmax', columns: ['age'] },
      { op: 'standardize' },
    ];
    const pipeline = new Pipeline(binary, ops).fit(data, { rows: [0, 1, 2] });
    const restored = Pipeline.fromState(JSON.parse(JSON.stringify(pipeline.getState())));
    const original = pipeline.transform(data);
    const copy = restored.transform(data);
    assert.deepEqual(copy, original);
    assert.deepEqual(restored.describe(), pipeline.describe());
  });
});

describe('prepareFold', () => {
  // The validation rows come from a different distribution than the training rows.
  const rows = 10;
  const data = table([
    numeric('x', [1, 2, 3, 4, 5, 101, 102, 103, 104, 105]),
    categorical('label', ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']),
  ]);
  const fold = { train: [0, 1, 2, 3, 4], validation: [5, 6, 7, 8, 9] };

  it('fits standardize on the training part only', () => {
    const { train, validation } = prepareFold(data, binary, [{ op: 'standardize' }], fold);
    close(mean([...train.x]), 0);
    assert.ok(mean([...validation.x]) > 50, 'validation keeps its own shift');
    assert.deepEqual(train.classes, ['a', 'b']);
    assert.equal(train.xShape[0] + validation.xShape[0], rows);
  });

  it('does not change the fitted state when validation rows change', () => {
    const changed = table([
      numeric('x', [1, 2, 3, 4, 5, -7, 0, 9e6, 4, 5]),
      categorical('label', ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']),
    ]);
    const left = prepareFold(data, binary, [{ op: 'standardize' }], fold).pipeline.getState();
    const right = prepareFold(changed, binary, [{ op: 'standardize' }], fold).pipeline.getState();
    assert.deepEqual(left, right);
  });

  it('takes the class list from the whole table even when the training part lacks a class', () => {
    const data3 = table([numeric('x', [1, 2, 3, 4]), categorical('label', ['a', 'b', 'a', 'c'])]);
    const problem: ProblemConfig = { ...binary, task: 'multiclass' };
    const { train, validation } = prepareFold(data3, problem, [], { train: [0, 1, 2], validation: [3] });
    assert.deepEqual(train.classes, ['a', 'b', 'c']);
    assert.deepEqual([...validation.y], [2]);
  });
});

describe('previewPreparation', () => {
  it('reports raw and prepared statistics, shapes and the description', () => {
    const data = table([
      numeric('x', [2, 4, 6, 8, 100]),
      categorical('color', ['r', 'g', 'r', null, 'g']),
      numeric('price', [1, 2, 3, 4, 5]),
    ]);
    const ops: PrepareOp[] = [
      { op: 'impute', strategy: 'most-frequent' },
      { op: 'onehot' },
      { op: 'standardize' },
    ];
    const preview = previewPreparation(data, regression, ops, {
      index: 0,
      train: [0, 1, 2, 3],
      validation: [4],
    });
    assert.deepEqual(preview.shapes, {
      train: { x: [4, 3], y: [4, 1] },
      validation: { x: [1, 3], y: [1, 1] },
    });
    const before = preview.before.find((feature) => feature.name === 'x');
    assert.equal(before?.mean, 5);
    assert.equal(preview.before.find((feature) => feature.name === 'color')?.missing, 1);
    const after = preview.after.find((feature) => feature.name === 'x');
    close(after?.mean ?? NaN, 0);
    close(after?.std ?? NaN, 1);
    assert.deepEqual(
      preview.after.map((feature) => feature.name),
      ['x', 'color=g', 'color=r'],
    );
    assert.ok(preview.describe.some((line) => line.startsWith('standardize: 3 column(s)')));
    assert.doesNotThrow(() => JSON.stringify(preview));
  });
});
