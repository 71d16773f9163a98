import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seriesProfile, timeLabels } from '../../src/core/data/series';
import type { Table } from '../../src/core/data/table';
import type { DataProfile } from '../../src/protocol/profile';
import { formatDates } from '../../src/shared/format';
import { defineJob } from '../../src/runner/jobs/define';
import { memoryReporter } from '../../src/runner/reporter';

const root = join(__dirname, '..', '..');

describe('formatDates', () => {
  it('shows a column at the precision its dates carry, one precision for the column', () => {
    const month = (year: number, index: number, day = 1, hour = 0) => Date.UTC(year, index, day, hour);
    assert.deepEqual(formatDates([month(1949, 0), month(1949, 1), NaN]), ['1949-01', '1949-02', '—']);
    assert.deepEqual(formatDates([month(1949, 0), month(1949, 1, 15)]), ['1949-01-01', '1949-02-15']);
    assert.deepEqual(formatDates([month(1949, 0), month(1949, 0, 1, 6)]), [
      '1949-01-01 00:00',
      '1949-01-01 06:00',
    ]);
  });
});

describe('seriesProfile', () => {
  const table: Table = {
    file: 'toy.csv',
    rowCount: 8,
    columns: [
      {
        name: 'day',
        type: 'date',
        values: Float64Array.from({ length: 8 }, (_, day) => Date.UTC(2020, 0, day + 1)),
      },
      { name: 'y', type: 'numeric', values: new Float32Array([1, 2, NaN, 4, 5, 6, 7, 8]) },
    ],
  };

  it('labels each row by its time and draws each fold as the rows its samples forecast', () => {
    // lookBack 2, horizon 2: 5 samples; sample s forecasts rows s+2 and s+3.
    const series = seriesProfile(
      table,
      { timeColumn: 'day', target: 'y', window: { lookBack: 2, horizon: 2 } },
      [
        { index: 0, train: [0, 1], validation: [2] },
        { index: 1, train: [0, 1, 2], validation: [3, 4] },
        { index: 2, train: [0], validation: [] },
      ],
    );
    assert.ok(series);
    assert.equal(series.time, 'day');
    assert.deepEqual(series.times.slice(0, 2), ['2020-01-01', '2020-01-02']);
    assert.deepEqual(series.values, [1, 2, null, 4, 5, 6, 7, 8]);
    assert.deepEqual(series.folds, [
      { index: 0, train: [2, 4], validation: [4, 5] },
      // The last sample's second step is row 7, the last row.
      { index: 1, train: [2, 5], validation: [5, 7] },
    ]);
  });

  it('has no series without the time column or with a non-numeric target', () => {
    const window = { lookBack: 1, horizon: 1 };
    assert.equal(seriesProfile(table, { timeColumn: 'when', target: 'y', window }, []), undefined);
    assert.equal(seriesProfile(table, { timeColumn: 'y', target: 'day', window }, []), undefined);
    assert.deepEqual(timeLabels(table.columns[1]).slice(0, 3), ['1', '2', '—']);
  });
});

describe('Define Problem on the airline template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-series-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the time column the role "time" and profiles the series with the walk-forward folds on it', async () => {
    cpSync(join(root, 'templates', 'airline'), dir, { recursive: true });
    const result = await defineJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    const profile = JSON.parse(readFileSync(result.profile, 'utf8')) as DataProfile;
    const month = profile.columns.find((column) => column.name === 'Month');
    assert.equal(month?.role, 'time');
    const series = profile.series;
    assert.ok(series);
    // 144 months, the last 44 windows held out: the profile's 100 months end in April 1957.
    assert.equal(series.times.length, profile.rows);
    assert.deepEqual([series.times[0], series.times.at(-1)], ['1949-01', '1957-04']);
    assert.equal(series.values[0], 112);
    const folds = series.folds;
    assert.equal(
      folds.length,
      JSON.parse(readFileSync(join(dir, 'topdown.json'), 'utf8')).evaluate.validation.folds,
    );
    for (const [index, fold] of folds.entries()) {
      // Training always starts at the first forecast month (after one look-back year) and ends before validation.
      assert.equal(fold.train[0], 12);
      assert.equal(fold.validation[0], fold.train[1] + 1);
      if (index > 0)
        assert.equal(fold.train[1], folds[index - 1].validation[1], 'each step adds the last block');
    }
    assert.equal(folds.at(-1)?.validation[1], profile.rows - 1);
  });
});
