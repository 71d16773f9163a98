/**
 * `runs/<run-id>/out-of-fold.json`: what a step 3 candidate predicted for each fold's validation samples, kept by
 * `topdown evaluate` for the views that look at cross-validated predictions (a time series' per-fold forecast, a
 * text project's misclassified documents). Compact by design: a class index and two probabilities per sample for
 * classification (60,000 images of 10 classes stay near 2 MB), the predicted values for regression and series.
 * The same project, data and seed give the same bytes, whether the folds ran on local workers or on the queue.
 */

/** The file's name in a run's folder, and its key in the run record's `outputs`. */
export const OUT_OF_FOLD_FILE = 'out-of-fold.json';
export const OUT_OF_FOLD_OUTPUT = 'outOfFold';

/** Bumped whenever the shape below changes; readers skip a file of another version. */
export const OUT_OF_FOLD_SCHEMA_VERSION = 1;

/** One fold's validation samples, in the order the fold holds them. */
export interface FoldPredictions {
  /** The fold's index (the run record's `folds[].index`). */
  index: number;
  /**
   * 0-based row of each validation sample in the table as the project reads it (a time series: ordered by time,
   * and the row of the first value the sample forecasts).
   */
  rows: number[];
  /** Classification: the true class index per sample. Else the true values, row-major [samples, outputs]. */
  truth: number[];
  /** Classification: the predicted class index per sample. Else the predicted values, laid out as `truth`. */
  predicted: number[];
  /** Classification: the probability the model gave its predicted class (4 decimals). */
  probability?: number[];
  /** Classification: the probability the model gave the true class (4 decimals). */
  truthProbability?: number[];
}

/** The whole file. */
export interface OutOfFoldFile {
  schemaVersion: typeof OUT_OF_FOLD_SCHEMA_VERSION;
  candidate: string;
  /** The project's task (`binary`, `multiclass`, `regression`, `time-series`). */
  task: string;
  /** Values per sample in `truth` and `predicted`: 1, or a time series' horizon. */
  outputs: number;
  /** Classification: class labels, index i is class i. */
  classes?: string[];
  /** Every fold of the run, in fold order. */
  folds: FoldPredictions[];
}
