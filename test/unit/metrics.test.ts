import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetrics, higherIsBetter, metricKey, summarize } from '../../src/core/metrics';

// Expected values were computed independently with numpy (pairwise counting for AUC) and hard-coded here.

function close(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

function binaryProbabilities(positive: number[]): Float32Array {
  return Float32Array.from(positive.flatMap((probability) => [1 - probability, probability]));
}

describe('computeMetrics binary', () => {
  const truth = Float32Array.from([0, 1, 1, 0, 1, 0, 1, 1]);
  const predictions = binaryProbabilities([0.1, 0.8, 0.4, 0.4, 0.9, 0.6, 0.4, 0.7]);
  const { metrics, confusion } = computeMetrics('binary', truth, predictions, { classCount: 2 });

  it('scores accuracy, precision, recall and F1 of the positive class', () => {
    close(metrics.accuracy, 0.625);
    close(metrics.precision, 0.75);
    close(metrics.recall, 0.6);
    close(metrics.f1, 2 / 3);
    assert.deepEqual(confusion, [
      [2, 1],
      [2, 3],
    ]);
  });

  it('clips log loss and matches the reference value', () => {
    close(metrics.logLoss, 0.5062796769961073, 1e-6);
    const confident = computeMetrics('binary', Float32Array.from([1]), Float32Array.from([1, 0]));
    close(confident.metrics.logLoss, -Math.log(1e-15), 1e-9);
  });

  it('counts tied scores as half in ROC AUC', () => {
    close(metrics.rocAuc, 0.8);
    const allTied = computeMetrics(
      'binary',
      Float32Array.from([0, 1, 0, 1]),
      binaryProbabilities([0.5, 0.5, 0.5, 0.5]),
    );
    close(allTied.metrics.rocAuc, 0.5);
  });

  it('scores precision of another positive index when asked', () => {
    const flipped = computeMetrics('binary', truth, predictions, { positiveIndex: 0 });
    // Class 0: predicted 0 for samples 0, 2, 3, 6 (two of them truly 0); truly 0 are 0, 3, 5.
    close(flipped.metrics.precision, 0.5);
    close(flipped.metrics.recall, 2 / 3);
    close(flipped.metrics.rocAuc, 0.8);
  });

  it('gives NaN ROC AUC when the part holds one class', () => {
    const single = computeMetrics('binary', Float32Array.from([1, 1]), binaryProbabilities([0.2, 0.9]));
    assert.ok(Number.isNaN(single.metrics.rocAuc));
    close(single.metrics.accuracy, 0.5);
  });
});

describe('computeMetrics multiclass', () => {
  const truth = Float32Array.from([0, 1, 2, 2, 1, 0, 2]);
  const predictions = Float32Array.from([
    0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.4, 0.3, 0.1, 0.8, 0.1, 0.4, 0.4, 0.2, 0.2, 0.2, 0.6,
  ]);
  const { metrics, confusion } = computeMetrics('multiclass', truth, predictions, { classCount: 3 });

  it('macro-averages precision, recall and F1 and breaks argmax ties to the first class', () => {
    close(metrics.accuracy, 6 / 7);
    close(metrics.precision, 0.8888888888888888);
    close(metrics.recall, 0.8888888888888888);
    close(metrics.f1, 0.8666666666666667);
    assert.deepEqual(confusion, [
      [2, 0, 0],
      [0, 2, 0],
      [0, 1, 2],
    ]);
  });

  it('matches reference log loss and one-vs-rest macro ROC AUC', () => {
    close(metrics.logLoss, 0.6306971896518927, 1e-6);
    close(metrics.rocAuc, 0.9861111111111112);
  });

  it('rejects predictions of the wrong size', () => {
    assert.throws(
      () => computeMetrics('multiclass', truth, predictions.subarray(0, 20), { classCount: 3 }),
      (error: Error & { code?: string }) => error.code === 'INTERNAL',
    );
  });
});

describe('computeMetrics regression', () => {
  it('scores MSE, RMSE, MAE over all outputs and averages R² per output', () => {
    const truth = Float32Array.from([1, 10, 2, 12, 3, 9, 4, 15, 5, 11]);
    const predictions = Float32Array.from([1.5, 11, 1.8, 12.5, 3.2, 8, 3.5, 14, 5.5, 12]);
    const { metrics, confusion } = computeMetrics('time-series', truth, predictions, { outputs: 2 });
    close(metrics.mse, 0.508, 1e-6);
    close(metrics.rmse, 0.7127411899242934, 1e-6);
    close(metrics.mae, 0.64, 1e-6);
    close(metrics.r2, 0.8582641490360474, 1e-6);
    assert.equal(confusion, undefined);
  });

  it('gives R² 1 for a perfect fit of a constant target and 0 otherwise', () => {
    const constant = Float32Array.from([3, 3, 3]);
    close(computeMetrics('regression', constant, Float32Array.from([3, 3, 3])).metrics.r2, 1);
    close(computeMetrics('regression', constant, Float32Array.from([3, 4, 3])).metrics.r2, 0);
  });
});

describe('metricKey and higherIsBetter', () => {
  it('maps metric names to camelCase result keys', () => {
    assert.equal(metricKey('log-loss'), 'logLoss');
    assert.equal(metricKey('roc-auc'), 'rocAuc');
    assert.equal(metricKey('rmse'), 'rmse');
  });

  it('knows which direction is better', () => {
    assert.equal(higherIsBetter('accuracy'), true);
    assert.equal(higherIsBetter('r2'), true);
    assert.equal(higherIsBetter('log-loss'), false);
    assert.equal(higherIsBetter('mae'), false);
  });
});

describe('summarize', () => {
  it('uses the sample standard deviation', () => {
    const summary = summarize([0.8, 0.85, 0.9, 0.75]);
    close(summary.mean, 0.825);
    close(summary.std, 0.06454972243679027);
    assert.equal(summary.min, 0.75);
    assert.equal(summary.max, 0.9);
  });

  it('gives std 0 for a single score', () => {
    assert.deepEqual(summarize([0.4]), { mean: 0.4, std: 0, min: 0.4, max: 0.4 });
  });
});
