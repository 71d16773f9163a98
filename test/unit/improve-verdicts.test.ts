import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareCandidates,
  decideTuning,
  formatPValue,
  formatScore,
  rankWords,
  summarizeRepeats,
} from '../../src/core/improve/verdicts';
import { compareWithBestSingle } from '../../src/core/improve/ensembleVerdict';
import { baselineWords } from '../../src/shared/verdicts';

// Fold scores shared by the tests. Expected t and p were computed with Python 3.11 + SciPy 1.17.1 from the
// Nadeau–Bengio formula: t = mean(d) / sqrt((1/k + 21/187) * var(d, ddof=1)), p = 2 * scipy.stats.t.sf(|t|, k - 1).
const mlp = [0.85, 0.8, 0.9, 0.88, 0.79, 0.84, 0.87, 0.91, 0.83, 0.86]; // mean 0.853
const forest = [0.8, 0.78, 0.85, 0.86, 0.8, 0.79, 0.84, 0.88, 0.8, 0.83]; // mean 0.823; vs mlp: t -3.5662, p 0.00606
const knn = [0.86, 0.78, 0.91, 0.86, 0.8, 0.83, 0.88, 0.9, 0.82, 0.85]; // mean 0.849; vs mlp: t -0.6863, p 0.5098
const baseline = [0.53, 0.55, 0.5, 0.52, 0.56, 0.54, 0.51, 0.53, 0.55, 0.55]; // mean 0.534
const sizes = { trainSize: 187, testSize: 21 };

describe('compareCandidates', () => {
  const verdicts = compareCandidates({
    metric: 'accuracy',
    candidates: [
      { name: 'forest', folds: forest },
      { name: 'mlp', folds: mlp },
      { name: 'knn', folds: knn },
      { name: 'baseline', folds: baseline },
    ],
    baseline,
    ...sizes,
  });
  const byName = new Map(verdicts.map((verdict) => [verdict.name, verdict]));

  it('calls the highest mean the best and says it beats the baseline, with the numbers', () => {
    const best = byName.get('mlp');
    assert.equal(best?.verdict, 'best');
    assert.equal(best?.baselineVerdict, 'better than baseline');
    assert.equal(best?.versusBest, null);
    assert.equal(
      best?.explanation,
      '0.853 ± 0.039 vs baseline 0.534: better than baseline (p < 0.001, corrected t-test over 10 folds); best.',
    );
  });

  it('calls a candidate significantly below the best worse than the best', () => {
    const verdict = byName.get('forest');
    assert.equal(verdict?.verdict, 'worse than the best');
    assert.ok(Math.abs((verdict?.versusBest?.t ?? 0) - -3.566214257582174) < 1e-9);
    assert.ok(Math.abs((verdict?.versusBest?.pValue ?? 0) - 0.006060038058341263) < 1e-12);
    assert.match(verdict?.explanation ?? '', /worse than the best, mlp at 0\.853 \(p = 0\.006\)\.$/);
  });

  it('calls a candidate close to the best indistinguishable from it', () => {
    const verdict = byName.get('knn');
    assert.equal(verdict?.verdict, 'indistinguishable from the best');
    assert.ok(Math.abs((verdict?.versusBest?.pValue ?? 0) - 0.5098056515290362) < 1e-12);
    assert.equal(verdict?.baselineVerdict, 'better than baseline');
  });

  it('says 3 folds (quick mode) cannot separate a gap the test could not resolve, not that it is indistinguishable', () => {
    const [best, weaker] = compareCandidates({
      metric: 'accuracy',
      candidates: [
        { name: 'mlp', folds: mlp.slice(0, 3) },
        { name: 'forest', folds: [0.8, 0.4, 0.85] },
      ],
      baseline: baseline.slice(0, 3),
      trainSize: 139,
      testSize: 69,
    });
    assert.equal(best.verdict, 'best');
    assert.equal(weaker.verdict, 'indistinguishable from the best');
    assert.equal(rankWords(weaker), '3 folds cannot separate it from the best');
    assert.match(
      weaker.explanation,
      /3 folds cannot separate it from the best, mlp at 0\.850 \(p = 0\.\d+\): more folds \(all of them, without --quick\) would tell\.$/,
    );
    // With 10 folds the same verdict keeps its word.
    assert.equal(rankWords(byName.get('knn')!), 'indistinguishable from the best');
  });

  it('does not call the baseline better than itself', () => {
    const verdict = byName.get('baseline');
    assert.equal(verdict?.baselineVerdict, 'not better than baseline');
    assert.equal(verdict?.versusBaseline.pValue, 1);
    assert.equal(verdict?.verdict, 'worse than the best');
  });

  it('keeps the input order', () => {
    assert.deepEqual(
      verdicts.map((verdict) => verdict.name),
      ['forest', 'mlp', 'knn', 'baseline'],
    );
  });

  it('ranks losses with lower is better and calls a significantly higher loss worse than baseline', () => {
    const lossVerdicts = compareCandidates({
      metric: 'rmse',
      candidates: [
        { name: 'small-error', folds: forest.map((value) => value - 0.5) },
        { name: 'large-error', folds: mlp },
      ],
      baseline,
      ...sizes,
    });
    assert.equal(lossVerdicts[0].verdict, 'best');
    assert.equal(lossVerdicts[0].baselineVerdict, 'better than baseline');
    assert.equal(lossVerdicts[1].verdict, 'worse than the best');
    assert.equal(lossVerdicts[1].baselineVerdict, 'worse than baseline');
  });

  it('makes no claim of better or worse with a single validation split', () => {
    const [onlyFold, other] = compareCandidates({
      metric: 'accuracy',
      candidates: [
        { name: 'mlp', folds: [0.9] },
        { name: 'forest', folds: [0.7] },
      ],
      baseline: [0.5],
      ...sizes,
    });
    assert.equal(onlyFold.baselineVerdict, 'not better than baseline');
    assert.equal(other.verdict, 'indistinguishable from the best');
    assert.match(onlyFold.explanation, /no test with 1 fold; use k-fold validation/);
  });

  it('never picks a candidate with failed folds as the best', () => {
    const [failed, working] = compareCandidates({
      metric: 'accuracy',
      candidates: [
        { name: 'diverged', folds: [Number.NaN, ...mlp.slice(1)] },
        { name: 'forest', folds: forest },
      ],
      baseline,
      ...sizes,
    });
    assert.equal(failed.verdict, 'worse than the best');
    assert.equal(working.verdict, 'best');
    assert.match(failed.explanation, /no test: some folds failed/);
  });
});

describe('decideTuning', () => {
  it('keeps the tuned configuration when it beats the untuned one significantly', () => {
    const decision = decideTuning({
      metric: 'accuracy',
      untuned: { name: 'forest', folds: forest },
      tuned: { name: 'forest#4', folds: mlp },
      ...sizes,
    });
    assert.equal(decision.keep, 'tuned');
    assert.equal(decision.chosen, 'forest#4');
    assert.match(
      decision.message,
      /beats the untuned forest \(0\.823\) \(p = 0\.006, corrected t-test over 10 folds\)/,
    );
  });

  it('keeps the untuned configuration when the gain may be noise, and says so', () => {
    const decision = decideTuning({
      metric: 'accuracy',
      untuned: { name: 'knn', folds: knn },
      tuned: { name: 'knn#2', folds: mlp },
      ...sizes,
    });
    assert.equal(decision.keep, 'untuned');
    assert.equal(decision.chosen, 'knn');
    assert.match(
      decision.message,
      /^Tuning did not beat the untuned knn: the best trial knn#2 scored 0\.853 vs 0\.849 \(p = 0\.510.*the gain may be noise/,
    );
  });

  it('keeps the untuned configuration when tuning made it worse', () => {
    const decision = decideTuning({
      metric: 'accuracy',
      untuned: { name: 'mlp', folds: mlp },
      tuned: { name: 'mlp#9', folds: forest },
      ...sizes,
    });
    assert.equal(decision.keep, 'untuned');
    assert.match(decision.message, /it scored no better/);
  });
});

describe('baselineWords', () => {
  it('says a gap to the baseline the test did not find over 3 folds cannot be separated, not that there is none', () => {
    assert.equal(
      baselineWords(3, 'not better than baseline'),
      '3 folds cannot separate it from the baseline',
    );
    assert.equal(baselineWords(10, 'not better than baseline'), 'not better than baseline');
    assert.equal(baselineWords(3, 'better than baseline'), 'better than baseline');
    assert.equal(baselineWords(3, 'worse than baseline'), 'worse than baseline');
  });
});

describe('formatting', () => {
  it('prints scores with precision that fits their size and small p-values as a bound', () => {
    assert.equal(formatScore(0.84567), '0.846');
    assert.equal(formatScore(123.456), '123.46');
    assert.equal(formatScore(12345.6), '12346');
    assert.equal(formatPValue(0.0004), 'p < 0.001');
    assert.equal(formatPValue(0.04213), 'p = 0.042');
  });
});

describe('summarizeRepeats', () => {
  it('measures the spread of the per-seed means', () => {
    const summary = summarizeRepeats([
      [0.8, 0.9],
      [0.82, 0.88],
      [0.9, 0.94],
    ]);
    assert.deepEqual(
      summary.means.map((value) => Number(value.toFixed(6))),
      [0.85, 0.85, 0.92],
    );
    // Means 0.85, 0.85, 0.92: sample variance (2 · (0.07/3)² + (0.14/3)²) / 2 = 0.0049/3, so std = 0.07/√3.
    assert.ok(Math.abs(summary.std - 0.07 / Math.sqrt(3)) < 1e-12);
    assert.equal(summary.message, 'Across 3 seeds the mean score was 0.873 ± 0.040 (0.850 to 0.920).');
  });
});

describe('compareWithBestSingle', () => {
  it('compares an ensemble with the best single model by mean and calls a gap the test cannot resolve "not better"', () => {
    const comparison = compareWithBestSingle({
      metric: 'accuracy',
      ensemble: { name: 'blend', folds: knn },
      singles: [
        { name: 'forest', folds: forest },
        { name: 'mlp', folds: mlp },
      ],
      ...sizes,
    });
    assert.equal(comparison?.name, 'mlp');
    assert.equal(comparison?.verdict, 'not better than the best single model');
    assert.ok(Math.abs((comparison?.pValue ?? 0) - 0.5098056515290362) < 1e-12);
    assert.ok(Math.abs((comparison?.meanDifference ?? 0) - -0.004) < 1e-9);
    assert.equal(
      comparison?.explanation,
      'blend (0.849 ± 0.042) is not better than the best single model, mlp (0.853 ± 0.039) (p = 0.510, corrected t-test over 10 folds): the single model is as good and simpler.',
    );
  });

  it('calls an ensemble significantly above the best single model better, and one below it worse', () => {
    const better = compareWithBestSingle({
      metric: 'accuracy',
      ensemble: { name: 'blend', folds: mlp },
      singles: [{ name: 'forest', folds: forest }],
      ...sizes,
    });
    assert.equal(better?.verdict, 'better than the best single model');
    assert.ok(Math.abs((better?.pValue ?? 0) - 0.006060038058341263) < 1e-12);
    assert.match(better?.explanation ?? '', /: the ensemble is worth its extra members\.$/);
    const worse = compareWithBestSingle({
      metric: 'accuracy',
      ensemble: { name: 'blend', folds: forest },
      singles: [
        { name: 'knn', folds: knn },
        { name: 'mlp', folds: mlp },
      ],
      ...sizes,
    });
    assert.equal(worse?.name, 'mlp');
    assert.equal(worse?.verdict, 'worse than the best single model');
  });

  it('takes the lowest loss as the best single model, and skips singles with failed folds', () => {
    const comparison = compareWithBestSingle({
      metric: 'log-loss',
      ensemble: { name: 'blend', folds: knn },
      singles: [
        { name: 'broken', folds: [Number.NaN, ...forest.slice(1)] },
        { name: 'mlp', folds: mlp },
        { name: 'forest', folds: forest },
      ],
      ...sizes,
    });
    assert.equal(comparison?.name, 'forest');
    assert.equal(comparison?.verdict, 'worse than the best single model');
  });

  it('says the test cannot tell with one fold, and has nothing to compare without a complete single model', () => {
    const single = compareWithBestSingle({
      metric: 'accuracy',
      ensemble: { name: 'blend', folds: [0.9] },
      singles: [{ name: 'mlp', folds: [0.8] }],
      ...sizes,
    });
    assert.equal(single?.pValue, null);
    assert.equal(single?.verdict, 'not better than the best single model');
    assert.match(single?.explanation ?? '', /no test with 1 fold.*: the test cannot tell them apart\.$/);
    const none = compareWithBestSingle({
      metric: 'accuracy',
      ensemble: { name: 'blend', folds: mlp },
      singles: [{ name: 'broken', folds: [Number.NaN] }],
      ...sizes,
    });
    assert.equal(none, undefined);
  });
});
