/**
 * Is an ensemble worth its members? Step 4 compares each ensemble with the best single model of the same
 * comparison (by mean, in the metric's direction) with the corrected resampled t-test over the shared folds,
 * and says so in one sentence that the CLI, REPORT.md and the Improve panel all quote.
 */
import { formatScore } from '../../shared/format';
import type { MetricName } from '../config';
import { higherIsBetter } from '../metrics';
import { mean, sampleStandardDeviation } from '../stats';
import type { EnsembleComparison, EnsembleVerdict } from '../../protocol/records';
import { bestByMean, compare, standing, testDescription, type FoldScores } from './verdicts';

export type { EnsembleComparison, EnsembleVerdict };

const consequence: Record<EnsembleVerdict, string> = {
  'better than the best single model': 'the ensemble is worth its extra members',
  'not better than the best single model': 'the single model is as good and simpler',
  'worse than the best single model': 'the single model is better',
};

/**
 * The ensemble against the best of `singles` (by mean; singles with failed folds cannot be best). "Better" or
 * "worse" only when the mean differs that way and p < alpha; otherwise "not better". Undefined when no single
 * model has complete fold scores.
 */
export function compareWithBestSingle(input: {
  metric: MetricName;
  ensemble: FoldScores;
  singles: readonly FoldScores[];
  trainSize: number;
  testSize: number;
  alpha?: number;
}): EnsembleComparison | undefined {
  const alpha = input.alpha ?? 0.05;
  const higher = higherIsBetter(input.metric);
  const best = bestByMean(input.singles, higher);
  if (!best) return undefined;
  const comparison = compare(input.ensemble, best, input);
  const verdict: EnsembleVerdict = `${standing(comparison, alpha, higher)} the best single model`;
  const bestMean = mean(best.folds);
  const bestStd = sampleStandardDeviation(best.folds);
  const ensembleScore = `${formatScore(mean(input.ensemble.folds))} ± ${formatScore(sampleStandardDeviation(input.ensemble.folds))}`;
  const test = testDescription(comparison, input.ensemble.folds.length);
  const outcome = Number.isNaN(comparison.pValue) ? 'the test cannot tell them apart' : consequence[verdict];
  return {
    name: best.name,
    mean: bestMean,
    std: bestStd,
    meanDifference: comparison.meanDifference,
    pValue: Number.isFinite(comparison.pValue) ? comparison.pValue : null,
    verdict,
    explanation: `${input.ensemble.name} (${ensembleScore}) is ${verdict.replace(/ model$/, ' model,')} ${best.name} (${formatScore(bestMean)} ± ${formatScore(bestStd)}) (${test}): ${outcome}.`,
  };
}
