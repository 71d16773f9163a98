/**
 * One fold's data: the pipeline is fitted on the fold's training part only and transforms both parts, so
 * no statistic ever comes from validation rows.
 */
import { isClassification, type PrepareOp, type ProblemConfig } from '../config';
import type { Dataset } from '../dataset';
import type { Table } from '../data/table';
import { TopdownError } from '../errors';
import { Pipeline, windowSettings } from './transformer';
import { encodeClasses, targetClasses } from './target';
import { augmentImages, augmentSettings } from './augment';

/** Train and validation sample indices (rows, or windows for time series). */
export interface FoldSamples {
  train: number[];
  validation: number[];
  /** Seeds the augmentation of the training images (the image op's `augment`); default 0. */
  seed?: number;
}

/** A fold's prepared data and the pipeline fitted on its training part. */
export interface PreparedFold {
  train: Dataset;
  validation: Dataset;
  pipeline: Pipeline;
}

/** Samples the pipeline makes from a table: its rows, or its windows for time series. */
export function countSamples(table: Table, problem: ProblemConfig, ops: PrepareOp[]): number {
  const window = windowSettings(problem, ops);
  if (!window) return table.rowCount;
  return Math.max(0, table.rowCount - window.lookBack - window.horizon + 1);
}

/** The given samples of a Dataset, in the given order. */
export function selectSamples(dataset: Dataset, samples: ArrayLike<number>): Dataset {
  const pick = (values: Float32Array, shape: number[]): Float32Array => {
    const size = shape.slice(1).reduce((product, dimension) => product * dimension, 1);
    const result = new Float32Array(samples.length * size);
    for (let position = 0; position < samples.length; position++) {
      result.set(values.subarray(samples[position] * size, (samples[position] + 1) * size), position * size);
    }
    return result;
  };
  const selected: Dataset = {
    x: pick(dataset.x, dataset.xShape),
    xShape: [samples.length, ...dataset.xShape.slice(1)],
    y: pick(dataset.y, dataset.yShape),
    yShape: [samples.length, ...dataset.yShape.slice(1)],
    featureNames: dataset.featureNames,
    rowIndex: Int32Array.from(
      { length: samples.length },
      (_, position) => dataset.rowIndex[samples[position]],
    ),
  };
  if (dataset.classes) selected.classes = dataset.classes;
  if (dataset.persistence) selected.persistence = pick(dataset.persistence, dataset.yShape);
  return selected;
}

/** The largest value (a loop: spreading a large array into Math.max overflows the stack). */
export function largest(values: ArrayLike<number>): number {
  let result = -Infinity;
  for (let index = 0; index < values.length; index++) result = Math.max(result, values[index]);
  return result;
}

function checkSamples(samples: number[], count: number, part: string): void {
  for (const sample of samples) {
    if (!Number.isInteger(sample) || sample < 0 || sample >= count) {
      throw new TopdownError('INTERNAL', `The ${part} part names sample ${sample}; there are ${count}.`);
    }
  }
  if (part === 'training' && samples.length === 0) {
    throw new TopdownError('INTERNAL', 'The training part of the fold is empty.');
  }
}

/**
 * Fits a pipeline on the fold's training samples only and transforms both parts; the image op's augmentation
 * adds copies of the training images only. Classification classes
 * come from the whole table. Time series: fold indices are windows; the pipeline is fitted on the rows the
 * training windows cover (row 0 to the last training window's last target row), and validation windows may
 * read earlier rows as history.
 */
export function prepareFold(
  table: Table,
  problem: ProblemConfig,
  ops: PrepareOp[],
  fold: FoldSamples,
): PreparedFold {
  const sampleTotal = countSamples(table, problem, ops);
  checkSamples(fold.train, sampleTotal, 'training');
  checkSamples(fold.validation, sampleTotal, 'validation');
  const pipeline = new Pipeline(problem, ops);
  const classes = isClassification(problem.task) ? targetClasses(table, problem) : undefined;
  const window = windowSettings(problem, ops);
  if (!window) {
    const train = pipeline.fitTransform(table, { rows: fold.train, classes });
    const augment = augmentSettings(ops, table.file);
    return {
      train: augment ? augmentImages(train, augment, fold.seed ?? 0) : train,
      validation: pipeline.transform(table, fold.validation),
      pipeline,
    };
  }
  const span = window.lookBack + window.horizon - 1;
  const coveredRows = (samples: number[]): Int32Array =>
    Int32Array.from({ length: largest(samples) + span + 1 }, (_, row) => row);
  pipeline.fit(table, { rows: coveredRows(fold.train) });
  // Windows are built over rows 0..n from the start, so window s of this Dataset is sample s.
  const windows = pipeline.transform(table, coveredRows([...fold.train, ...fold.validation]));
  return {
    train: selectSamples(windows, fold.train),
    validation: selectSamples(windows, fold.validation),
    pipeline,
  };
}

/**
 * A fold's targets without features, for a model that learns from the targets only (the baseline's class
 * frequencies): no op runs, so no text is tokenized, no image scaled, and no feature check applies (a project whose
 * only features are text keeps its baseline). Classification only, where no op changes the target; undefined for
 * regression and time series, whose target the ops may scale or log (the baseline's mean is taken after them).
 */
export function prepareTargets(
  table: Table,
  problem: ProblemConfig,
  fold: FoldSamples,
): PreparedFold | undefined {
  if (!isClassification(problem.task)) return undefined;
  checkSamples(fold.train, table.rowCount, 'training');
  checkSamples(fold.validation, table.rowCount, 'validation');
  const classes = targetClasses(table, problem);
  const part = (rows: number[]): Dataset => ({
    x: new Float32Array(0),
    xShape: [rows.length, 0],
    y: Float32Array.from(encodeClasses(table, problem, classes, rows)),
    yShape: [rows.length],
    featureNames: [],
    rowIndex: Int32Array.from(rows),
    classes: [...classes],
  });
  return {
    train: part(fold.train),
    validation: part(fold.validation),
    pipeline: Pipeline.targetsOnly(problem, classes),
  };
}
