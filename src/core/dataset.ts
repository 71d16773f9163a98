/**
 * Prepared, model-ready data: a dense float32 feature tensor plus targets, both row-major. This is what the
 * preparation pipeline produces for each fold and what every model in the zoo consumes.
 */

/** Model-ready data for one part of one fold. */
export interface Dataset {
  /** Features, row-major, shape `xShape` = [samples, ...featureDims] (e.g. [n, f], [n, lookBack, f], [n, rows, cols, channels]). */
  x: Float32Array;
  xShape: number[];
  /**
   * Targets, row-major, shape `yShape`. Classification: class index per sample, shape [n]. Regression: [n, 1].
   * Time series: [n, horizon].
   */
  y: Float32Array;
  yShape: number[];
  /** Names of the last feature dimension (after one-hot expansion etc.). */
  featureNames: string[];
  /** Classification: class labels; index i is class i. Binary: index 1 is the positive class. */
  classes?: string[];
  /** Row numbers in the source table of each sample (for predictions and error messages). */
  rowIndex: Int32Array;
  /**
   * Time series only: the last observed target value before each sample's horizon, repeated per horizon step,
   * shape [n, horizon], in the same units as `y`. The persistence baseline predicts it.
   */
  persistence?: Float32Array;
}

/** Number of samples in a Dataset. */
export function sampleCount(dataset: Dataset): number {
  return dataset.xShape[0];
}

/** Feature shape of one sample (xShape without the sample axis). */
export function sampleShape(dataset: Dataset): number[] {
  return dataset.xShape.slice(1);
}
