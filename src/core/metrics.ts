/**
 * Scores for one validation part, as scikit-learn computes them: accuracy, log loss, precision, recall, F1
 * and ROC AUC for classification; MSE, RMSE, MAE and R² for regression and time series.
 */
import type { MetricName, Task } from './config';
import { isClassification } from './config';
import { TopdownError } from './errors';
import type { ScoreSummary } from '../protocol/records';

/** Options for computeMetrics. */
export interface MetricOptions {
  /** Classification: columns of `predictions`; default predictions.length / samples. */
  classCount?: number;
  /** Binary: the class index that counts as positive. Default 1. */
  positiveIndex?: number;
  /** Regression / time series: values per sample (the horizon); default 1. */
  outputs?: number;
}

/** Every metric for the task, keyed in camelCase, plus the confusion matrix for classification. */
export interface MetricResult {
  metrics: Record<string, number>;
  /** Classification: counts [true class][predicted class]. */
  confusion?: number[][];
}

const LOG_LOSS_EPSILON = 1e-15;

/**
 * Scores predictions against the truth. Classification: `yTrue` holds class indices [n] and `predictions`
 * probabilities [n, classCount] row-major; gives accuracy, logLoss, precision, recall, f1 (of the positive
 * class for binary, macro-averaged otherwise), rocAuc (NaN when the part holds one class only) and the
 * confusion matrix. Regression and time series: both [n, outputs] row-major; gives mse, rmse, mae and r2
 * (R² averaged over outputs, as scikit-learn's default).
 */
export function computeMetrics(
  task: Task,
  yTrue: Float32Array,
  predictions: Float32Array,
  options: MetricOptions = {},
): MetricResult {
  if (isClassification(task)) return classificationMetrics(task, yTrue, predictions, options);
  return regressionMetrics(yTrue, predictions, options.outputs ?? 1);
}

function classificationMetrics(
  task: Task,
  yTrue: Float32Array,
  predictions: Float32Array,
  options: MetricOptions,
): MetricResult {
  const sampleCount = yTrue.length;
  const classCount = options.classCount ?? (sampleCount > 0 ? predictions.length / sampleCount : 0);
  if (!Number.isInteger(classCount) || predictions.length !== sampleCount * classCount) {
    throw new TopdownError(
      'INTERNAL',
      `Predictions hold ${predictions.length} values for ${sampleCount} samples of ${classCount} classes.`,
    );
  }
  const confusion = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  let correct = 0;
  let logLoss = 0;
  for (let sample = 0; sample < sampleCount; sample++) {
    const truth = yTrue[sample];
    const row = sample * classCount;
    let predicted = 0;
    for (let klass = 1; klass < classCount; klass++) {
      if (predictions[row + klass] > predictions[row + predicted]) predicted = klass;
    }
    confusion[truth][predicted]++;
    if (predicted === truth) correct++;
    const probability = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, predictions[row + truth]));
    logLoss -= Math.log(probability);
  }
  const binary = task === 'binary' || classCount === 2;
  const positiveIndex = options.positiveIndex ?? 1;
  const scored = binary ? [positiveIndex] : Array.from({ length: classCount }, (_, klass) => klass);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (const klass of scored) {
    const counts = classCounts(confusion, klass);
    const classPrecision = ratio(counts.truePositive, counts.truePositive + counts.falsePositive);
    const classRecall = ratio(counts.truePositive, counts.truePositive + counts.falseNegative);
    precision += classPrecision;
    recall += classRecall;
    f1 += ratio(
      2 * counts.truePositive,
      2 * counts.truePositive + counts.falsePositive + counts.falseNegative,
    );
  }
  const rocAuc = binary
    ? oneVersusRestAuc(yTrue, predictions, classCount, positiveIndex)
    : mean(scored.map((klass) => oneVersusRestAuc(yTrue, predictions, classCount, klass)));
  return {
    metrics: {
      accuracy: ratio(correct, sampleCount),
      logLoss: sampleCount > 0 ? logLoss / sampleCount : NaN,
      precision: precision / scored.length,
      recall: recall / scored.length,
      f1: f1 / scored.length,
      rocAuc,
    },
    confusion,
  };
}

function classCounts(
  confusion: number[][],
  klass: number,
): { truePositive: number; falsePositive: number; falseNegative: number } {
  let falsePositive = 0;
  let falseNegative = 0;
  for (let other = 0; other < confusion.length; other++) {
    if (other === klass) continue;
    falsePositive += confusion[other][klass];
    falseNegative += confusion[klass][other];
  }
  return { truePositive: confusion[klass][klass], falsePositive, falseNegative };
}

/** A ratio that is 0 when there is nothing to divide (scikit-learn's zero_division=0). */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * ROC AUC of one class against the rest, as the Mann–Whitney U statistic: the chance that a random positive
 * scores above a random negative, ties counting one half (average ranks). NaN without both kinds.
 */
function oneVersusRestAuc(
  yTrue: Float32Array,
  predictions: Float32Array,
  classCount: number,
  klass: number,
): number {
  const sampleCount = yTrue.length;
  const order = Array.from({ length: sampleCount }, (_, sample) => sample);
  const score = (sample: number): number => predictions[sample * classCount + klass];
  order.sort((left, right) => score(left) - score(right));
  let positives = 0;
  let positiveRankSum = 0;
  let start = 0;
  while (start < sampleCount) {
    let end = start + 1;
    while (end < sampleCount && score(order[end]) === score(order[start])) end++;
    // Ranks are 1-based; a tied group shares the average of its ranks.
    const averageRank = (start + 1 + end) / 2;
    for (let position = start; position < end; position++) {
      if (yTrue[order[position]] === klass) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = sampleCount - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function regressionMetrics(yTrue: Float32Array, predictions: Float32Array, outputs: number): MetricResult {
  if (yTrue.length !== predictions.length || yTrue.length % outputs !== 0) {
    throw new TopdownError(
      'INTERNAL',
      `Got ${predictions.length} predictions for ${yTrue.length} targets of ${outputs} output(s).`,
    );
  }
  const sampleCount = yTrue.length / outputs;
  let squared = 0;
  let absolute = 0;
  for (let index = 0; index < yTrue.length; index++) {
    const error = predictions[index] - yTrue[index];
    squared += error * error;
    absolute += Math.abs(error);
  }
  const r2PerOutput: number[] = [];
  for (let output = 0; output < outputs; output++) {
    let total = 0;
    for (let sample = 0; sample < sampleCount; sample++) total += yTrue[sample * outputs + output];
    const average = total / sampleCount;
    let residual = 0;
    let spread = 0;
    for (let sample = 0; sample < sampleCount; sample++) {
      const index = sample * outputs + output;
      residual += (yTrue[index] - predictions[index]) ** 2;
      spread += (yTrue[index] - average) ** 2;
    }
    // A constant target: perfect predictions score 1, anything else 0 (scikit-learn's force_finite).
    r2PerOutput.push(spread === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / spread);
  }
  const mse = squared / yTrue.length;
  return { metrics: { mse, rmse: Math.sqrt(mse), mae: absolute / yTrue.length, r2: mean(r2PerOutput) } };
}

/** The key of a metric in computeMetrics' result: 'log-loss' → 'logLoss', 'roc-auc' → 'rocAuc'. */
export function metricKey(metric: MetricName): string {
  return metric.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

const HIGHER_IS_BETTER: Record<MetricName, boolean> = {
  accuracy: true,
  'log-loss': false,
  f1: true,
  precision: true,
  recall: true,
  'roc-auc': true,
  rmse: false,
  mse: false,
  mae: false,
  r2: true,
};

/** Whether a larger value of the metric is better (accuracy, r2) or worse (log-loss, rmse). */
export function higherIsBetter(metric: MetricName): boolean {
  return HIGHER_IS_BETTER[metric];
}

/** Mean, sample standard deviation (n − 1; 0 for a single score), min and max of fold scores. */
export function summarize(scores: number[]): ScoreSummary {
  if (scores.length === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  const average = mean(scores);
  const squares = scores.reduce((sum, score) => sum + (score - average) ** 2, 0);
  return {
    mean: average,
    std: scores.length > 1 ? Math.sqrt(squares / (scores.length - 1)) : 0,
    min: Math.min(...scores),
    max: Math.max(...scores),
  };
}
