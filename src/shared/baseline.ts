/**
 * Which baseline a task is scored against, named the same way everywhere (views, panels, report): the
 * majority class for classification, the training mean for regression, persistence for time series
 * (src/core/models/baseline.ts is the rule itself).
 */

/** The baseline's short name: "majority class", "mean" or "persistence". */
export function baselineName(task: string | undefined): string {
  if (task === 'time-series') return 'persistence';
  if (task === 'regression') return 'mean';
  return 'majority class';
}

/** What the baseline predicts, as a sentence part: "always the training mean". */
export function baselineRule(task: string | undefined): string {
  if (task === 'time-series') return 'each next value is the last observed one';
  if (task === 'regression') return 'always the mean of the training target';
  return 'always the most frequent class of the training part';
}
