/**
 * Prepared, model-ready data: a dense float32 feature tensor plus targets, both row-major. This is what the
 * preparation pipeline produces for each fold and what every model in the zoo consumes.
 */

import { csrToDense, selectCsrRows, type CsrMatrix } from './sparse';

/** Model-ready data for one part of one fold. */
export interface Dataset {
  /**
   * Features, row-major, shape `xShape` = [samples, ...featureDims] (e.g. [n, f], [n, lookBack, f], [n, rows, cols,
   * channels]). Empty when the features are `sparse`.
   */
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
  /**
   * Augmented training images only: the sample each sample was drawn from (itself for an original), so that
   * early stopping holds out originals with all their copies.
   */
  augmentedFrom?: Int32Array;
  /**
   * Text features (tfidf, counts, beside any numeric columns): the [n, f] features as a sparse matrix, `x` left
   * empty. Models that read dense input get them through {@link denseFeatures}.
   */
  sparse?: CsrMatrix;
  /** Token ids (the `sequences` op): `x` holds ids from 0 to tokenIds - 1, what an embedding layer looks up. */
  tokenIds?: number;
}

/**
 * The Dataset with dense `x`: itself when it is dense, else its sparse features made dense for `who` (a model
 * kind), or MODEL_INVALID when they are too large for that.
 */
export function denseFeatures(dataset: Dataset, who: string): Dataset {
  if (!dataset.sparse) return dataset;
  const { sparse, ...dense } = dataset;
  return { ...dense, x: csrToDense(sparse, who) };
}

/** Number of samples in a Dataset. */
export function sampleCount(dataset: Dataset): number {
  return dataset.xShape[0];
}

/** Feature shape of one sample (xShape without the sample axis). */
export function sampleShape(dataset: Dataset): number[] {
  return dataset.xShape.slice(1);
}

/** The first `count` samples of a Dataset (views over its arrays, no copies). */
export function firstSamples(dataset: Dataset, count: number): Dataset {
  const samples = Math.min(count, sampleCount(dataset));
  const per = (array: Float32Array): number =>
    sampleCount(dataset) > 0 ? array.length / sampleCount(dataset) : 0;
  const head: Dataset = {
    ...dataset,
    x: dataset.x.subarray(0, samples * per(dataset.x)),
    xShape: [samples, ...sampleShape(dataset)],
    y: dataset.y.subarray(0, samples * per(dataset.y)),
    yShape: [samples, ...dataset.yShape.slice(1)],
    rowIndex: dataset.rowIndex.subarray(0, samples),
  };
  if (dataset.persistence)
    head.persistence = dataset.persistence.subarray(0, samples * per(dataset.persistence));
  if (dataset.sparse)
    head.sparse = selectCsrRows(
      dataset.sparse,
      Int32Array.from({ length: samples }, (_, row) => row),
    );
  return head;
}
