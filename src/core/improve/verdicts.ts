/**
 * "Is the difference real?" For each candidate: the corrected resampled t-test against the best candidate and
 * against the baseline over the shared folds, and a plain-language verdict with the numbers behind it. Also
 * the decision to keep a tuned configuration only when it really beats the untuned one.
 */
import { formatPValue, formatScore } from '../../shared/format';
import { untestedGapWords } from '../../shared/verdicts';
import type { MetricName } from '../config';
import { higherIsBetter } from '../metrics';
import { correctedResampledTTest, mean, sampleStandardDeviation } from '../stats';

/** Where a candidate stands against the best candidate. */
export type RankVerdict = 'best' | 'indistinguishable from the best' | 'worse than the best';

export { FEW_FOLDS } from '../../shared/verdicts';

/**
 * The rank verdict in words for people: as `verdict`, except that an untested gap over fewer than FEW_FOLDS folds
 * reads "3 folds cannot separate it from the best" rather than "indistinguishable from the best".
 */
export function rankWords(verdict: Pick<CandidateVerdict, 'verdict' | 'folds'>): string {
  return verdict.verdict === 'indistinguishable from the best'
    ? untestedGapWords(verdict.folds, verdict.verdict)
    : verdict.verdict;
}

/** Where a candidate stands against the baseline. */
export type BaselineVerdict = 'better than baseline' | 'not better than baseline' | 'worse than baseline';

/** Fold scores of one candidate, in the shared fold order. */
export interface FoldScores {
  name: string;
  folds: number[];
}

/** One test of a candidate against another score list. */
export interface Comparison {
  /** Name of what the candidate was compared with (the best candidate, or the baseline). */
  against: string;
  /** Mean of (candidate − other) fold by fold, in metric units (negative is better for losses). */
  meanDifference: number;
  t: number;
  df: number;
  /** Two-sided p-value of the corrected resampled t-test; NaN when it cannot be computed (fewer than 2 folds, failed folds). */
  pValue: number;
}

/** The verdict on one candidate. */
export interface CandidateVerdict {
  name: string;
  mean: number;
  /** Sample standard deviation of the fold scores. */
  std: number;
  folds: number;
  verdict: RankVerdict;
  baselineVerdict: BaselineVerdict;
  /** Null for the best candidate itself. */
  versusBest: Comparison | null;
  versusBaseline: Comparison;
  /** One sentence with the numbers, e.g. "0.846 ± 0.057 vs baseline 0.534: better than baseline (p = 0.001, corrected t-test over 10 folds); best." */
  explanation: string;
}

/** Input of compareCandidates. */
export interface CompareInput {
  metric: MetricName;
  candidates: FoldScores[];
  /** The baseline's fold scores, same folds and order. */
  baseline: number[];
  /** Display name of the baseline. Default "baseline". */
  baselineName?: string;
  /** Rows in each training and validation part (averages), for the variance correction. */
  trainSize: number;
  testSize: number;
  /** Significance level. Default 0.05. */
  alpha?: number;
}

/** Formats a metric value for a sentence (as the report and the panels do). */
export { formatScore };

/** Formats a p-value (as the report and the panels do). */
export { formatPValue };

function allFinite(values: readonly number[]): boolean {
  return values.every((value) => Number.isFinite(value));
}

/** The corrected resampled t-test of `candidate` against `other` over their folds (p = NaN when it cannot run). */
export function compare(
  candidate: FoldScores,
  other: FoldScores,
  sizes: { trainSize: number; testSize: number },
): Comparison {
  const meanDifference = mean(candidate.folds) - mean(other.folds);
  if (
    candidate.folds.length < 2 ||
    candidate.folds.length !== other.folds.length ||
    !allFinite(candidate.folds) ||
    !allFinite(other.folds)
  ) {
    return {
      against: other.name,
      meanDifference,
      t: Number.NaN,
      df: candidate.folds.length - 1,
      pValue: Number.NaN,
    };
  }
  const result = correctedResampledTTest(candidate.folds, other.folds, sizes);
  return {
    against: other.name,
    meanDifference: result.meanDifference,
    t: result.t,
    df: result.df,
    pValue: result.pValue,
  };
}

function isBetter(difference: number, higher: boolean): boolean {
  return higher ? difference > 0 : difference < 0;
}

/**
 * The candidate's standing in a comparison: "better than" or "worse than" only when its mean differs that way and
 * p < alpha; otherwise "not better than" (an untested comparison included).
 */
export function standing(
  comparison: Comparison,
  alpha: number,
  higher: boolean,
): 'better than' | 'not better than' | 'worse than' {
  if (!(comparison.pValue < alpha)) return 'not better than';
  return isBetter(comparison.meanDifference, higher) ? 'better than' : 'worse than';
}

/** The candidate with the best mean in the metric's direction (ties: the first); none with failed or no folds. */
export function bestByMean<Scores extends FoldScores>(
  candidates: readonly Scores[],
  higher: boolean,
): Scores | undefined {
  let best: Scores | undefined;
  for (const candidate of candidates) {
    if (!allFinite(candidate.folds) || candidate.folds.length === 0) continue;
    if (best === undefined || isBetter(mean(candidate.folds) - mean(best.folds), higher)) best = candidate;
  }
  return best;
}

/** "p = 0.042, corrected t-test over 10 folds", or why there was no test. */
export function testDescription(comparison: Comparison, folds: number): string {
  if (Number.isNaN(comparison.pValue)) {
    return folds < 2
      ? `no test with ${folds} fold; use k-fold validation to test differences`
      : 'no test: some folds failed';
  }
  return `${formatPValue(comparison.pValue)}, corrected t-test over ${folds} folds`;
}

/**
 * Verdicts for every candidate against the best (by mean, in the metric's direction; ties go to the first
 * listed; candidates with failed folds cannot be best) and against the baseline, with the corrected
 * resampled t-test over the shared folds. A candidate is "better than baseline" only when its mean is better
 * and p < alpha; "worse than baseline" when its mean is worse and p < alpha; else "not better than baseline".
 * It is "worse than the best" when p < alpha, else "indistinguishable from the best". With fewer than 2
 * folds nothing can be tested, so no candidate is called better or worse. Results keep the input order.
 */
export function compareCandidates(input: CompareInput): CandidateVerdict[] {
  const alpha = input.alpha ?? 0.05;
  const higher = higherIsBetter(input.metric);
  const sizes = { trainSize: input.trainSize, testSize: input.testSize };
  const baseline: FoldScores = { name: input.baselineName ?? 'baseline', folds: input.baseline };
  const baselineMean = mean(baseline.folds);
  const best = bestByMean(input.candidates, higher);
  return input.candidates.map((candidate) => {
    const candidateMean = mean(candidate.folds);
    const std = sampleStandardDeviation(candidate.folds);
    const foldCount = candidate.folds.length;
    const versusBaseline = compare(candidate, baseline, sizes);
    const baselineVerdict: BaselineVerdict = `${standing(versusBaseline, alpha, higher)} baseline`;
    const isBest = candidate === best;
    const versusBest = isBest || best === undefined ? null : compare(candidate, best, sizes);
    let verdict: RankVerdict = 'best';
    let rankText = 'best';
    if (!isBest) {
      const failed = !allFinite(candidate.folds) || best === undefined;
      verdict =
        failed || (versusBest !== null && versusBest.pValue < alpha)
          ? 'worse than the best'
          : 'indistinguishable from the best';
      const words = rankWords({ verdict, folds: foldCount });
      rankText =
        best === undefined
          ? words
          : `${words}, ${best.name} at ${formatScore(mean(best.folds))} (${formatPValue(versusBest?.pValue ?? Number.NaN)})`;
      if (words !== verdict) rankText += ': more folds (all of them, without --quick) would tell';
    }
    const scoreText = `${formatScore(candidateMean)} ± ${formatScore(std)}`;
    const explanation = `${scoreText} vs ${baseline.name} ${formatScore(baselineMean)}: ${baselineVerdict} (${testDescription(versusBaseline, foldCount)}); ${rankText}.`;
    return {
      name: candidate.name,
      mean: candidateMean,
      std,
      folds: foldCount,
      verdict,
      baselineVerdict,
      versusBest,
      versusBaseline,
      explanation,
    };
  });
}

/** The outcome of comparing the best tuned configuration with the untuned candidate. */
export interface TuningDecision {
  /** Which configuration to keep. */
  keep: 'tuned' | 'untuned';
  /** Name of the kept configuration. */
  chosen: string;
  /** The tuned configuration against the untuned one. */
  comparison: Comparison;
  /** One or two sentences saying what was kept and why, with the numbers. */
  message: string;
}

/**
 * Keeps the tuned configuration only when its mean is better than the untuned candidate's and the corrected
 * t-test over the shared folds gives p < alpha. The best of many trials looks better than it is (it was
 * picked on these same folds), so an unclear win keeps the untuned, simpler configuration, and says so.
 */
export function decideTuning(input: {
  metric: MetricName;
  untuned: FoldScores;
  tuned: FoldScores;
  trainSize: number;
  testSize: number;
  alpha?: number;
}): TuningDecision {
  const alpha = input.alpha ?? 0.05;
  const comparison = compare(input.tuned, input.untuned, input);
  const better =
    isBetter(comparison.meanDifference, higherIsBetter(input.metric)) && allFinite(input.tuned.folds);
  const tunedScore = formatScore(mean(input.tuned.folds));
  const untunedScore = formatScore(mean(input.untuned.folds));
  const test = testDescription(comparison, input.tuned.folds.length);
  if (better && comparison.pValue < alpha) {
    return {
      keep: 'tuned',
      chosen: input.tuned.name,
      comparison,
      message: `${input.tuned.name} (${tunedScore}) beats the untuned ${input.untuned.name} (${untunedScore}) (${test}): keeping the tuned configuration.`,
    };
  }
  const reason = better ? 'the gain may be noise' : 'it scored no better';
  return {
    keep: 'untuned',
    chosen: input.untuned.name,
    comparison,
    message: `Tuning did not beat the untuned ${input.untuned.name}: the best trial ${input.tuned.name} scored ${tunedScore} vs ${untunedScore} (${test}), so ${reason}; keeping the untuned configuration.`,
  };
}

/** Run-to-run noise of one configuration trained again with other seeds on the same folds. */
export interface RepeatSummary {
  /** Mean fold score of each seed, in the order given. */
  means: number[];
  /** Mean of those means. */
  mean: number;
  /** Sample standard deviation of the per-seed means: the noise that comes from the seed alone. */
  std: number;
  min: number;
  max: number;
  /** One sentence, e.g. "Across 3 seeds the mean score was 0.846 ± 0.012 (0.833 to 0.858)." */
  message: string;
}

/**
 * Summarizes repeats of one configuration across seeds (`scoresPerSeed[s]` = that seed's fold scores).
 * A difference between candidates smaller than this spread is within run-to-run noise.
 */
export function summarizeRepeats(scoresPerSeed: readonly number[][]): RepeatSummary {
  const means = scoresPerSeed.map((folds) => mean(folds));
  const center = mean(means);
  const std = sampleStandardDeviation(means);
  const min = Math.min(...means);
  const max = Math.max(...means);
  const message = `Across ${means.length} seed${means.length === 1 ? '' : 's'} the mean score was ${formatScore(center)} ± ${formatScore(std)} (${formatScore(min)} to ${formatScore(max)}).`;
  return { means, mean: center, std, min, max, message };
}
