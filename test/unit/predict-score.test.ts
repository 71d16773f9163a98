import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Table } from '../../src/core/data/table';
import type { BundleManifest } from '../../src/core/present/bundle';
import { scoreInput } from '../../src/core/present/score-input';
import { describeScore } from '../../src/runner/jobs/predict';

/** The manifest fields scoreInput reads. */
function manifest(fields: Partial<BundleManifest>): BundleManifest {
  return { target: 'y', metric: 'rmse', task: 'regression', ...fields } as BundleManifest;
}

function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);
}

describe('scoreInput (topdown predict on an input that holds the target)', () => {
  it('scores a regression with the project metric and the task’s other metrics, leaving out unknown targets', () => {
    const input: Table = {
      file: 'in.csv',
      rowCount: 4,
      columns: [{ name: 'y', type: 'numeric', values: Float32Array.from([1, 2, 3, NaN]) }],
    };
    const score = scoreInput(manifest({}), input, Float32Array.from([1.5, 2, 2, 9]), [0, 1, 2, 3]);
    assert.ok(score);
    assert.equal(score.target, 'y');
    assert.equal(score.metric, 'rmse');
    assert.equal(score.rows, 3);
    assert.equal(score.skipped, 1);
    // By hand over the three known rows: errors 0.5, 0, -1; the mean of the actual values is 2.
    close(score.value, Math.sqrt(1.25 / 3), 'value');
    close(score.metrics.rmse, Math.sqrt(1.25 / 3), 'rmse');
    close(score.metrics.mae, 0.5, 'mae');
    close(score.metrics.r2, 1 - 1.25 / 2, 'r2');
    assert.equal(
      describeScore(score),
      'The input holds y: against its actual values the predictions score RMSE 0.645 on 3 rows (1 without a known y left out).',
    );
  });

  it('scores a classifier on its classes’ probabilities, leaving out a class the model never saw', () => {
    const input: Table = {
      file: 'in.csv',
      rowCount: 3,
      columns: [{ name: 'Class', type: 'categorical', values: ['R', 'M', 'X'] }],
    };
    const bundle = manifest({ target: 'Class', task: 'binary', metric: 'accuracy', classes: ['M', 'R'] });
    // Rows as probabilities of M then R: the first is right (R), the second wrong (R for M).
    const probabilities = Float32Array.from([0.2, 0.8, 0.3, 0.7, 0.5, 0.5]);
    const score = scoreInput(bundle, input, probabilities, [0, 1, 2]);
    assert.ok(score);
    assert.equal(score.rows, 2);
    assert.equal(score.skipped, 1);
    assert.equal(score.value, 0.5);
    assert.equal(score.metrics.accuracy, 0.5);
    assert.ok('logLoss' in score.metrics && 'f1' in score.metrics, Object.keys(score.metrics).join(', '));
  });

  it('scores nothing without the target column, and never a time series', () => {
    const features: Table = {
      file: 'in.csv',
      rowCount: 1,
      columns: [{ name: 'x', type: 'numeric', values: Float32Array.from([1]) }],
    };
    assert.equal(scoreInput(manifest({}), features, Float32Array.from([1]), [0]), undefined);
    const series: Table = {
      file: 'in.csv',
      rowCount: 1,
      columns: [{ name: 'y', type: 'numeric', values: Float32Array.from([1]) }],
    };
    assert.equal(
      scoreInput(manifest({ task: 'time-series' }), series, Float32Array.from([1]), [0]),
      undefined,
    );
  });
});
