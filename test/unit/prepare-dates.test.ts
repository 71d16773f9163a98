/** The date op: parts of a date by hand, the parts chosen from the dates, and the op inside the pipeline. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProblemConfig } from '../../src/core/config';
import { chooseDateParts, datePart } from '../../src/core/prepare/dates';
import { Pipeline } from '../../src/core/prepare/pipeline';
import { categorical, dates, numeric, table, throwsCode } from './prepare-helpers';

const utc = (text: string): number => Date.parse(`${text}Z`);

describe('datePart', () => {
  it('reads the year, month, day of the year, weekday and hour in UTC, counted from 0', () => {
    const time = utc('2020-03-01T06:30:00');
    assert.equal(datePart(time, 'year'), 2020);
    assert.equal(datePart(time, 'month'), 2, 'March');
    // 2020 is a leap year: 31 days of January and 29 of February come before 1 March, plus 6.5 hours.
    assert.equal(datePart(time, 'dayOfYear'), 60 + 6.5 / 24);
    assert.equal(datePart(time, 'weekday'), 0, '1 March 2020 was a Sunday');
    assert.equal(datePart(time, 'hour'), 6.5);
  });
});

describe('chooseDateParts', () => {
  const series = (start: string, step: number, count: number): Float64Array =>
    Float64Array.from({ length: count }, (_, index) => utc(start) + index * step);
  const DAY = 86_400_000;

  it('takes the year, the season and the weekday from two years of days', () => {
    assert.deepEqual(chooseDateParts(series('2012-01-01T00:00:00', DAY, 730)), [
      'year',
      'dayOfYear',
      'weekday',
    ]);
  });

  it('takes the year and the season, not the weekday, from months', () => {
    const months = Float64Array.from({ length: 36 }, (_, index) => Date.UTC(2010, index, 1));
    assert.deepEqual(chooseDateParts(months), ['year', 'dayOfYear']);
  });

  it('takes the weekday and the hour from two days of hours', () => {
    assert.deepEqual(chooseDateParts(series('2021-05-03T00:00:00', DAY / 24, 48)), ['weekday', 'hour']);
  });
});

describe('the date op in the pipeline', () => {
  const problem: ProblemConfig = { data: 'data.csv', target: 'kind', task: 'binary' };
  const data = table([
    dates('day', ['2019-12-31', '2020-01-01', '2020-07-01', '2021-04-01']),
    numeric('rain', [0, 1.5, 0.2, 3]),
    categorical('kind', ['dry', 'wet', 'dry', 'wet']),
  ]);

  it('replaces the column with the year from the first training year and sine/cosine pairs', () => {
    const pipeline = new Pipeline(problem, [{ op: 'date', columns: ['day'], parts: ['year', 'month'] }]);
    const dataset = pipeline.fit(data, { rows: [1, 2, 3] }).transform(data);
    assert.deepEqual(dataset.featureNames, ['day.year', 'day.month.sin', 'day.month.cos', 'rain']);
    const row = (index: number): number[] => [...dataset.x.slice(index * 4, index * 4 + 4)];
    // Row 0 is 31 Dec 2019: year −1 from the training part's first year (2020); December is month 11.
    const december = row(0);
    assert.equal(december[0], -1);
    assert.ok(Math.abs(december[1] - Math.sin((2 * Math.PI * 11) / 12)) < 1e-6);
    assert.ok(Math.abs(december[2] - Math.cos((2 * Math.PI * 11) / 12)) < 1e-6);
    // July 2020 (month 6): sine 0, cosine −1.
    const july = row(2);
    assert.equal(july[0], 0);
    assert.ok(Math.abs(july[1]) < 1e-6 && Math.abs(july[2] + 1) < 1e-6);
    assert.equal(row(3)[0], 1, 'April 2021 is year 1');
  });

  it('transforms rows the same after a round trip through its plain-JSON state', () => {
    const fitted = new Pipeline(problem, [{ op: 'date', columns: ['day'] }]).fit(data);
    const restored = Pipeline.fromState(JSON.parse(JSON.stringify(fitted.getState())));
    assert.deepEqual([...restored.transform(data).x], [...fitted.transform(data).x]);
    assert.match(fitted.describe().join('\n'), /date: day → year \(from the first training year\)/);
  });

  it('gives missing parts for a missing date, which an impute op then fills', () => {
    const holes = table([
      {
        name: 'day',
        type: 'date',
        values: Float64Array.from([utc('2020-01-01T00:00:00'), NaN, utc('2020-03-01T00:00:00')]),
      },
      numeric('rain', [1, 2, 3]),
      categorical('kind', ['dry', 'wet', 'dry']),
    ]);
    const pipeline = new Pipeline(problem, [
      { op: 'date', columns: ['day'], parts: ['month'] },
      { op: 'impute', strategy: 'mean', columns: ['day.month.sin', 'day.month.cos'] },
    ]);
    const dataset = pipeline.fit(holes).transform(holes);
    const sin = [0, 1, 2].map((rowIndex) => dataset.x[rowIndex * 3]);
    assert.ok(Math.abs(sin[1] - (sin[0] + sin[2]) / 2) < 1e-6, 'the missing month is the mean of the others');
  });

  it('refuses a date op over a column that does not hold dates, naming the field', () => {
    throwsCode(
      () => new Pipeline(problem, [{ op: 'date', columns: ['rain'] }]).fit(data),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.field, '/prepare/0/columns/0');
        assert.match(error.message, /"rain" holds numeric values, not dates/);
      },
    );
  });

  it('leaves a date column out, with the way to use it, when no date op names it', () => {
    const fitted = new Pipeline(problem, []).fit(data);
    assert.deepEqual(fitted.getState().featureNames, ['rain']);
    assert.ok(fitted.getState().notes.some((note) => note.includes('{"op": "date", "columns": ["day"]}')));
  });
});
