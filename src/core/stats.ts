/**
 * Small statistics for comparing cross-validated models: the Student t distribution (through the regularized
 * incomplete beta function) and paired t-tests over fold scores, including the corrected resampled t-test of
 * Nadeau & Bengio (2003), which accounts for the overlap between the training parts of k-fold splits.
 */
import { TopdownError } from './errors';

/** The outcome of a paired t-test of `a` against `b` (fold by fold). */
export interface TTestResult {
  /** The t statistic; positive when `a` is larger on average. ±Infinity when every difference is equal and non-zero. */
  t: number;
  /** Degrees of freedom: number of pairs − 1. */
  df: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Mean of `a[i] − b[i]`. */
  meanDifference: number;
}

/** Sizes of one fold's parts, for the variance correction of the resampled t-test. */
export interface ResampleSizes {
  /** Rows in each training part (an average if folds differ). */
  trainSize: number;
  /** Rows in each validation part (an average if folds differ). */
  testSize: number;
}

/** Arithmetic mean; NaN for an empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample variance (divides by n − 1); 0 for a single value, NaN for none. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  if (values.length === 1) return 0;
  const center = mean(values);
  let sum = 0;
  for (const value of values) sum += (value - center) ** 2;
  return sum / (values.length - 1);
}

/** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
export function sampleStandardDeviation(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

// Lanczos approximation (g = 7, n = 9), accurate to about 15 significant digits for x > 0.
const lanczosCoefficients = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Natural logarithm of the gamma function, for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection formula keeps the approximation in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const shifted = x - 1;
  let series = lanczosCoefficients[0];
  const g = 7;
  for (let index = 1; index < lanczosCoefficients.length; index++) {
    series += lanczosCoefficients[index] / (shifted + index);
  }
  const base = shifted + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(base) - base + Math.log(series);
}

/**
 * Continued fraction for the incomplete beta function, evaluated with the modified Lentz method
 * (Numerical Recipes §6.4). Converges quickly for x < (a + 1) / (a + b + 2).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const maxIterations = 300;
  const epsilon = 1e-15;
  const tiny = 1e-300;
  const sum = a + b;
  const aPlusOne = a + 1;
  const aMinusOne = a - 1;
  let c = 1;
  let d = 1 - (sum * x) / aPlusOne;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= maxIterations; m++) {
    const twoM = 2 * m;
    // Even step of the recurrence.
    let numerator = (m * (b - m) * x) / ((aMinusOne + twoM) * (a + twoM));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    // Odd step.
    numerator = (-(a + m) * (sum + m) * x) / ((a + twoM) * (aPlusOne + twoM));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < epsilon) return result;
  }
  return result;
}

/** The regularized incomplete beta function I_x(a, b), for 0 ≤ x ≤ 1 and a, b > 0. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || Number.isNaN(a) || Number.isNaN(b) || a <= 0 || b <= 0) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(logFront);
  // Use the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the continued fraction converges faster.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Cumulative distribution function of Student's t distribution with `df` degrees of freedom: P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function studentTTwoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5));
}

function pairedDifferences(a: readonly number[], b: readonly number[], test: string): number[] {
  if (a.length !== b.length) {
    throw new TopdownError(
      'INTERNAL',
      `${test}: the two score lists must be paired by fold, but have ${a.length} and ${b.length} values.`,
    );
  }
  if (a.length < 2) {
    throw new TopdownError('INTERNAL', `${test}: needs at least 2 paired folds, got ${a.length}.`, {
      hint: 'Use a k-fold validation scheme (folds ≥ 2) to compare candidates.',
    });
  }
  const differences = a.map((value, index) => value - b[index]);
  if (differences.some((difference) => !Number.isFinite(difference))) {
    throw new TopdownError('INTERNAL', `${test}: fold scores must be finite numbers.`);
  }
  return differences;
}

/**
 * The t-test on paired differences, given the factor that multiplies their sample variance. Zero variance
 * is decided without dividing by zero: identical scores give t = 0, p = 1; equal non-zero differences give
 * t = ±Infinity, p = 0 (every fold agrees, and no amount of noise is observed).
 */
function tTestFromDifferences(differences: number[], varianceFactor: number): TTestResult {
  const df = differences.length - 1;
  const meanDifference = mean(differences);
  const variance = sampleVariance(differences);
  // Differences equal up to rounding count as equal (scores like 0.1 + 0.2 leave 1e-17 of noise).
  const scale = Math.max(1, ...differences.map(Math.abs));
  if (variance <= (1e-12 * scale) ** 2) {
    if (Math.abs(meanDifference) <= 1e-12 * scale) return { t: 0, df, pValue: 1, meanDifference: 0 };
    return { t: meanDifference > 0 ? Infinity : -Infinity, df, pValue: 0, meanDifference };
  }
  const t = meanDifference / Math.sqrt(varianceFactor * variance);
  return { t, df, pValue: studentTTwoSidedPValue(t, df), meanDifference };
}

/**
 * Plain paired t-test of `a` against `b` over matched folds (df = k − 1, two-sided). It ignores that k-fold
 * training parts overlap, so its p-values are too small for cross-validation; kept for comparison and for
 * independent samples such as repeats across seeds on fresh data.
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): TTestResult {
  const differences = pairedDifferences(a, b, 'pairedTTest');
  return tTestFromDifferences(differences, 1 / differences.length);
}

/**
 * Corrected resampled t-test (Nadeau & Bengio 2003) of `a` against `b`, paired by fold: the variance of the
 * fold differences is scaled by (1/k + testSize/trainSize) instead of 1/k, because the training parts of
 * different folds share most of their rows. df = k − 1; the p-value is two-sided. For repeated k-fold, pass
 * all k·r folds in the same order for both lists (Bouckaert & Frank 2004 use the same correction).
 * Zero variance: identical scores → t = 0, p = 1; every difference equal and non-zero → t = ±Infinity, p = 0.
 * Throws INTERNAL when the lists differ in length, hold fewer than 2 folds, or hold non-finite scores.
 */
export function correctedResampledTTest(
  a: readonly number[],
  b: readonly number[],
  options: ResampleSizes,
): TTestResult {
  const differences = pairedDifferences(a, b, 'correctedResampledTTest');
  if (!(options.trainSize > 0) || !(options.testSize > 0)) {
    throw new TopdownError(
      'INTERNAL',
      `correctedResampledTTest: trainSize and testSize must be positive, got ${options.trainSize} and ${options.testSize}.`,
    );
  }
  return tTestFromDifferences(differences, 1 / differences.length + options.testSize / options.trainSize);
}
