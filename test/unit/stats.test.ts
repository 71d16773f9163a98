import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TopdownError } from '../../src/core/errors';
import {
  correctedResampledTTest,
  logGamma,
  mean,
  pairedTTest,
  regularizedIncompleteBeta,
  sampleStandardDeviation,
  studentTCdf,
  studentTTwoSidedPValue,
} from '../../src/core/stats';

function assertClose(actual: number, expected: number, tolerance: number, label = ''): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label} expected ${expected}, got ${actual} (tolerance ${tolerance})`,
  );
}

// Expected values below were computed with Python 3.11 + SciPy 1.17.1:
//   scipy.stats.t.cdf(t, df), 2 * scipy.stats.t.sf(abs(t), df), scipy.special.betainc(a, b, x),
//   scipy.stats.ttest_rel(a, b), and the Nadeau–Bengio formula written out with numpy
//   (t = mean(d) / sqrt((1/k + n_test/n_train) * var(d, ddof=1)), p = 2 * t.sf(|t|, k - 1)).

describe('logGamma', () => {
  it('matches log((n-1)!) at integers and log(sqrt(pi)) at one half', () => {
    assertClose(logGamma(1), 0, 1e-13);
    assertClose(logGamma(5), Math.log(24), 1e-13);
    assertClose(logGamma(11), Math.log(3628800), 1e-12);
    assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches scipy.special.betainc on both sides of the symmetry switch', () => {
    assertClose(regularizedIncompleteBeta(0.3, 2, 3), 0.34829999999999994, 1e-12);
    assertClose(regularizedIncompleteBeta(0.9, 0.5, 0.5), 0.7951672353008665, 1e-12);
    assertClose(regularizedIncompleteBeta(0.5, 10, 20), 0.9692858271300793, 1e-12);
  });

  it('stays accurate in the far tail', () => {
    const value = regularizedIncompleteBeta(0.01, 50, 0.5);
    assertClose(value / 7.998227417904836e-102, 1, 1e-9);
  });

  it('is 0 at x = 0 and 1 at x = 1', () => {
    assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
  });
});

describe('studentTCdf', () => {
  it('gives the textbook critical values: t = 2.262, df = 9 is two-sided p 0.05', () => {
    assertClose(studentTCdf(2.262, 9), 0.9749935772487727, 1e-12);
    assertClose(studentTTwoSidedPValue(2.262, 9), 0.05001284550245463, 1e-12);
  });

  it('gives one-sided 0.05 at t = 1.833, df = 9', () => {
    assertClose(1 - studentTCdf(1.833, 9), 0.0500089700252915, 1e-12);
  });

  it('gives two-sided 0.05 at t = 12.706, df = 1 (the Cauchy case)', () => {
    assertClose(studentTTwoSidedPValue(12.706, 1), 0.05000080235813319, 1e-12);
  });

  it('matches scipy for negative t, fractional df and large df', () => {
    assertClose(studentTCdf(-1.5, 3), 0.11529193262241147, 1e-12);
    assertClose(studentTCdf(0.7, 2.5), 0.728297528405226, 1e-12);
    assertClose(studentTCdf(3.5, 30), 0.9992615962811778, 1e-12);
    assertClose(studentTCdf(-4, 100), 6.0761822150380886e-5, 1e-15);
    assertClose(studentTTwoSidedPValue(-4, 100), 0.00012152364430076177, 1e-15);
  });

  it('is one half at zero and saturates at infinity', () => {
    assert.equal(studentTCdf(0, 5), 0.5);
    assert.equal(studentTTwoSidedPValue(0, 5), 1);
    assert.equal(studentTCdf(Infinity, 5), 1);
    assert.equal(studentTCdf(-Infinity, 5), 0);
    assert.equal(studentTTwoSidedPValue(-Infinity, 5), 0);
  });
});

const better = [0.85, 0.8, 0.9, 0.88, 0.79, 0.84, 0.87, 0.91, 0.83, 0.86];
const worse = [0.8, 0.78, 0.85, 0.86, 0.8, 0.79, 0.84, 0.88, 0.8, 0.83];

describe('pairedTTest', () => {
  it('matches scipy.stats.ttest_rel', () => {
    const result = pairedTTest(better, worse);
    assertClose(result.t, 5.196152422706633, 1e-9);
    assertClose(result.pValue, 0.0005669643108945589, 1e-12);
    assert.equal(result.df, 9);
    assertClose(result.meanDifference, 0.03, 1e-12);
  });

  it('flips the sign of t when the arguments swap', () => {
    assertClose(pairedTTest(worse, better).t, -5.196152422706633, 1e-9);
  });
});

describe('correctedResampledTTest', () => {
  it('matches the Nadeau–Bengio formula computed with numpy and scipy', () => {
    const result = correctedResampledTTest(better, worse, { trainSize: 187, testSize: 21 });
    assertClose(result.t, 3.566214257582174, 1e-9);
    assertClose(result.pValue, 0.006060038058341263, 1e-12);
    assert.equal(result.df, 9);
  });

  it('gives a larger p-value than the plain paired test on the same folds', () => {
    const corrected = correctedResampledTTest(better, worse, { trainSize: 90, testSize: 10 });
    const plain = pairedTTest(better, worse);
    assert.ok(corrected.pValue > plain.pValue);
  });

  it('returns t = 0 and p = 1 for identical scores', () => {
    const result = correctedResampledTTest(better, better, { trainSize: 90, testSize: 10 });
    assert.deepEqual(result, { t: 0, df: 9, pValue: 1, meanDifference: 0 });
  });

  it('returns p = 0 and an infinite t when every fold differs by the same amount', () => {
    const shifted = worse.map((value) => value + 0.1);
    const up = correctedResampledTTest(shifted, worse, { trainSize: 90, testSize: 10 });
    assert.equal(up.t, Infinity);
    assert.equal(up.pValue, 0);
    assertClose(up.meanDifference, 0.1, 1e-12);
    const down = correctedResampledTTest(worse, shifted, { trainSize: 90, testSize: 10 });
    assert.equal(down.t, -Infinity);
    assert.equal(down.pValue, 0);
  });

  it('rejects lists that are not paired by fold', () => {
    assert.throws(
      () => correctedResampledTTest([1, 2, 3], [1, 2], { trainSize: 9, testSize: 1 }),
      (error: unknown) =>
        error instanceof TopdownError && error.code === 'INTERNAL' && /3 and 2/.test(error.message),
    );
  });

  it('rejects a single fold, which has no variance to test', () => {
    assert.throws(
      () => correctedResampledTTest([0.9], [0.8], { trainSize: 80, testSize: 20 }),
      (error: unknown) => error instanceof TopdownError && error.code === 'INTERNAL',
    );
  });
});

describe('mean and sampleStandardDeviation', () => {
  it('use n - 1 for the spread', () => {
    assertClose(mean([1, 2, 3, 4]), 2.5, 1e-15);
    assertClose(sampleStandardDeviation([1, 2, 3, 4]), Math.sqrt(5 / 3), 1e-15);
    assert.equal(sampleStandardDeviation([7]), 0);
  });
});
