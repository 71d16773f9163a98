import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { checkTarget, profileTable } from '../../src/core/data/profile';
import type { Table } from '../../src/core/data/table';
import { TopdownError } from '../../src/core/errors';
import type { ColumnProfile, DataProfile } from '../../src/protocol/profile';
import { datasetPath } from '../helpers/datasets';

const load = (name: string): Promise<Table> => readCsv(datasetPath(name));

function columnOf(profile: DataProfile, name: string): ColumnProfile {
  const found = profile.columns.find((entry) => entry.name === name);
  assert.ok(found, `profile has column ${name}`);
  return found;
}

function codes(profile: DataProfile, column?: string): string[] {
  return profile.warnings
    .filter((warning) => column === undefined || warning.column === column)
    .map((w) => w.code);
}

/** A small hand-built table: numeric x (with one missing), text colour, numeric y. */
function smallTable(): Table {
  return {
    file: 'small.csv',
    rowCount: 6,
    columns: [
      { name: 'x', type: 'numeric', values: new Float32Array([1, 2, 3, 4, NaN, 6]) },
      { name: 'colour', type: 'categorical', values: ['red', 'blue', 'red', null, 'red', 'green'] },
      { name: 'same', type: 'numeric', values: new Float32Array([5, 5, 5, 5, 5, 5]) },
      { name: 'y', type: 'numeric', values: new Float32Array([2, 4, 6, 8, 10, 12]) },
    ],
  };
}

describe('profileTable', () => {
  it('warns that zeros look missing in Pima insulin but not in pregnancies', async () => {
    const profile = profileTable(await load('pima_diabetes'), { target: 'diabetes', task: 'binary' });
    const zeros = profile.warnings.filter((warning) => warning.code === 'ZEROS_LOOK_MISSING');
    const insulin = zeros.find((warning) => warning.column === 'insulin');
    assert.ok(insulin, 'insulin warns');
    assert.match(insulin.message, /374 zeros/);
    assert.match(insulin.message, /problem\.missing/);
    assert.ok(!zeros.some((warning) => warning.column === 'pregnant'));
    assert.equal(columnOf(profile, 'insulin').zeros, 374);
  });

  it('stops warning about zeros once 0 is listed as missing', async () => {
    const table = await readCsv(datasetPath('pima_diabetes'), { missing: { insulin: [0] } });
    const profile = profileTable(table, { target: 'diabetes', task: 'binary' });
    assert.deepEqual(codes(profile, 'insulin'), ['HIGH_MISSING']);
    assert.equal(columnOf(profile, 'insulin').missing, 374);
  });

  it('counts classes in order with the positive class last, and correlates with its indicator', async () => {
    const table = await load('pima_diabetes');
    const profile = profileTable(table, { target: 'diabetes', task: 'binary' });
    assert.deepEqual(profile.target.classes, [
      { value: 'neg', count: 500 },
      { value: 'pos', count: 268 },
    ]);
    // Reference: Pearson r of glucose with (diabetes == 'pos'), computed independently in Python: 0.46658.
    assert.ok(Math.abs((columnOf(profile, 'glucose').targetCorrelation ?? 0) - 0.4666) < 1e-3);
    const flipped = profileTable(table, { target: 'diabetes', task: 'binary', positiveClass: 'neg' });
    assert.equal(flipped.target.classes?.[1].value, 'neg');
    assert.ok(Math.abs((columnOf(flipped, 'glucose').targetCorrelation ?? 0) + 0.4666) < 1e-3);
  });

  it('uses the correlation ratio for multiclass targets', async () => {
    const profile = profileTable(await load('iris'), { target: 'species', task: 'multiclass' });
    const petal = columnOf(profile, 'petal_length').targetCorrelation ?? 0;
    const sepal = columnOf(profile, 'sepal_width').targetCorrelation ?? 0;
    assert.ok(petal > 0.95 && petal <= 1, `petal_length η = ${petal}`);
    assert.ok(sepal > 0 && sepal < petal);
    assert.equal(profile.target.classes?.length, 3);
    assert.deepEqual(profile.warnings, []);
  });

  it('describes numeric columns with min, max, mean, sample std and a 10-bin histogram', () => {
    const profile = profileTable(smallTable(), { target: 'y', task: 'regression' });
    const x = columnOf(profile, 'x');
    assert.equal(x.missing, 1);
    assert.equal(x.distinct, 5);
    assert.equal(x.min, 1);
    assert.equal(x.max, 6);
    assert.equal(x.mean, 3.2);
    assert.ok(Math.abs((x.std ?? 0) - Math.sqrt(14.8 / 4)) < 1e-12);
    assert.equal(x.histogram?.edges.length, 11);
    assert.deepEqual(x.histogram?.counts, [1, 0, 1, 0, 1, 0, 1, 0, 0, 1]);
    assert.equal(x.targetCorrelation, 1);
    assert.equal(x.role, 'feature');
    assert.equal(columnOf(profile, 'y').role, 'target');
    assert.equal(profile.target.distribution?.mean, 7);
  });

  it('lists the top categories by count', () => {
    const profile = profileTable(smallTable(), { target: 'y', task: 'regression', ignore: ['same'] });
    const colour = columnOf(profile, 'colour');
    assert.deepEqual(colour.top, [
      { value: 'red', count: 3 },
      { value: 'blue', count: 1 },
      { value: 'green', count: 1 },
    ]);
    assert.equal(colour.missing, 1);
    assert.equal(columnOf(profile, 'same').role, 'ignored');
    assert.ok(!codes(profile).includes('CONSTANT'), 'ignored columns do not warn');
  });

  it('warns about few rows, constant columns and identifiers', async () => {
    const small = profileTable(smallTable(), { target: 'y', task: 'regression' });
    assert.ok(codes(small).includes('FEW_ROWS'));
    assert.deepEqual(codes(small, 'same'), ['CONSTANT']);
    const auto = profileTable(await load('auto_mpg'), { target: 'mpg', task: 'regression' });
    assert.deepEqual(codes(auto), ['IDENTIFIER']);
    const ignored = profileTable(await load('auto_mpg'), {
      target: 'mpg',
      task: 'regression',
      ignore: ['name'],
    });
    assert.deepEqual(codes(ignored), []);
  });

  it('warns about high missing, high cardinality and an imbalanced target', () => {
    const rows = 200;
    const table: Table = {
      file: 'synthetic.csv',
      rowCount: rows,
      columns: [
        {
          name: 'sparse',
          type: 'numeric',
          values: Float32Array.from({ length: rows }, (_, index) => (index % 3 === 0 ? index : NaN)),
        },
        {
          name: 'city',
          type: 'categorical',
          values: Array.from({ length: rows }, (_, index) => `city${index % 60}`),
        },
        {
          name: 'label',
          type: 'categorical',
          values: Array.from({ length: rows }, (_, index) => (index % 10 === 0 ? 'rare' : 'common')),
        },
      ],
    };
    const profile = profileTable(table, { target: 'label', task: 'binary' });
    assert.deepEqual(codes(profile, 'sparse'), ['HIGH_MISSING']);
    assert.deepEqual(codes(profile, 'city'), ['HIGH_CARDINALITY']);
    assert.deepEqual(codes(profile, 'label'), ['IMBALANCED']);
    assert.match(
      profile.warnings.find((w) => w.code === 'IMBALANCED')?.message ?? '',
      /"rare" is only 10\.0%/,
    );
  });

  it('does not call ten even classes imbalanced', async () => {
    const profile = profileTable(await load('digits'), { target: 'label', task: 'image' });
    assert.ok(!codes(profile).includes('IMBALANCED'));
    assert.equal(profile.target.classes?.length, 10);
    assert.deepEqual(
      profile.target.classes?.slice(0, 3).map((entry) => entry.value),
      ['0', '1', '2'],
    );
  });
});

describe('checkTarget', () => {
  it('says TARGET_MISSING, lists the columns and suggests the closest name', async () => {
    const table = await load('iris');
    assert.throws(
      () => checkTarget(table, 'Species', 'multiclass', 'iris.csv'),
      (error: unknown) => {
        assert.ok(error instanceof TopdownError);
        assert.equal(error.code, 'TARGET_MISSING');
        assert.equal(error.file, 'iris.csv');
        assert.match(error.message, /"Species"/);
        assert.match(error.hint ?? '', /Did you mean "species"\?.*sepal_length, sepal_width/);
        assert.equal(error.field, '/problem/target');
        assert.equal(error.toJSON().suggestion, 'species');
        return true;
      },
    );
  });

  it('says TARGET_SINGLE_CLASS for a classification target with one class', () => {
    const table: Table = {
      file: 'one.csv',
      rowCount: 3,
      columns: [{ name: 'label', type: 'categorical', values: ['yes', 'yes', null] }],
    };
    assert.throws(() => checkTarget(table, 'label', 'binary', 'one.csv'), {
      code: 'TARGET_SINGLE_CLASS',
      column: 'label',
    });
  });

  it('says TARGET_NOT_NUMERIC for a regression target that is text', async () => {
    assert.throws(() => checkTarget(smallTable(), 'colour', 'regression', 'small.csv'), {
      code: 'TARGET_NOT_NUMERIC',
    });
  });

  it('accepts a numeric target for classification and regression', async () => {
    const table = await load('digits');
    assert.doesNotThrow(() => checkTarget(table, 'label', 'multiclass', 'digits.csv'));
    assert.doesNotThrow(() => checkTarget(table, 'label', 'regression', 'digits.csv'));
  });
});
