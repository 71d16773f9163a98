/**
 * Scores a bundle's predictions against the actual values when the input CSV holds the target column (rows of
 * known outcome, kept aside): the project metric and the task's other metrics, over the rows whose target is
 * known (a missing value or a class the model never saw is left out, and counted). Time series forecast values
 * the input cannot hold yet, and are never scored.
 */
import { isClassification } from '../config';
import { computeMetrics, metricKey } from '../metrics';
import { findColumn, type Column, type Table } from '../data/table';
import type { BundleManifest } from './bundle';

/** The predictions scored against the input's target column. */
export interface InputScore {
  /** The target column that held the actual values. */
  target: string;
  /** The project metric, as the bundle names it. */
  metric: string;
  /** The project metric's value over the scored rows. */
  value: number;
  /** Every metric of the task, keyed in camelCase. */
  metrics: Record<string, number>;
  /** Rows scored. */
  rows: number;
  /** Rows left out: their target was missing (or, for a classifier, a class the model does not know). */
  skipped: number;
}

/** The actual value of a row as the model's truth: a class index, a number, or undefined when unknown. */
function actualOf(column: Column, row: number, classes: string[] | undefined): number | undefined {
  const value = column.values[row];
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)))
    return undefined;
  if (!classes)
    return typeof value === 'number' ? value : Number.isFinite(Number(value)) ? Number(value) : undefined;
  const index = classes.indexOf(String(value));
  return index < 0 ? undefined : index;
}

/**
 * The score of `predictions` (row-major, one row per entry of `rowIndex`: probabilities, or values in target
 * units) against the target column of `input`; undefined when the input has no target column or is a series.
 */
export function scoreInput(
  manifest: BundleManifest,
  input: Table,
  predictions: Float32Array,
  rowIndex: ArrayLike<number>,
): InputScore | undefined {
  if (manifest.task === 'time-series') return undefined;
  const column = findColumn(input, manifest.target);
  if (!column || rowIndex.length === 0) return undefined;
  const classes = isClassification(manifest.task) ? manifest.classes : undefined;
  const width = Math.round(predictions.length / rowIndex.length);
  const truth: number[] = [];
  const kept: number[] = [];
  for (let sample = 0; sample < rowIndex.length; sample++) {
    const actual = actualOf(column, rowIndex[sample], classes);
    if (actual === undefined) continue;
    truth.push(actual);
    for (let unit = 0; unit < width; unit++) kept.push(predictions[sample * width + unit]);
  }
  if (truth.length === 0) return undefined;
  const { metrics } = computeMetrics(manifest.task, Float32Array.from(truth), Float32Array.from(kept), {
    classCount: classes?.length,
    positiveIndex: 1,
  });
  return {
    target: manifest.target,
    metric: manifest.metric,
    value: metrics[metricKey(manifest.metric)],
    metrics,
    rows: truth.length,
    skipped: rowIndex.length - truth.length,
  };
}
