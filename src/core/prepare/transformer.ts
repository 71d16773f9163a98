/**
 * The preparation pipeline, shaped like scikit-learn's `Pipeline`: `fit` learns each op's state from the
 * training rows only, `transform` applies it to any rows, and the fitted state is plain JSON so a run can
 * store it and a later step can rebuild the same transform with `Pipeline.fromState`.
 */
import { isClassification, type PrepareOp, type ProblemConfig } from '../config';
import type { Dataset } from '../dataset';
import type { Table } from '../data/table';
import { TopdownError } from '../errors';
import { scaleImages, type ImageSize } from '../data/images/block';
import { augmentSettings } from './augment';
import { describeStates } from './describe';
import {
  buildFrame,
  firstMissing,
  opField,
  resolveInputs,
  spreadsheetRow,
  type Frame,
  type InputColumn,
  type NumericFrameColumn,
  type OpContext,
} from './frame';
import { featureNamesOf, numericOnly, textInputs, type FeatureColumn } from './text-features';
import { applyOp, fitOp, inverseTargetOps, type OpState } from './ops';
import { checkNumericTarget, encodeClasses, targetClasses } from './target';

/** What an image source's bytes are divided by when the image op gives no scale. */
export const IMAGE_SOURCE_SCALE = 255;

/** Current version of PipelineState. */
export const PIPELINE_STATE_VERSION = 1;

/** A fitted pipeline as plain JSON. */
export interface PipelineState {
  version: number;
  problem: ProblemConfig;
  ops: PrepareOp[];
  /** Table columns read, in order (the target too for regression and time series). */
  inputs: InputColumn[];
  /** What was left out and why (identifiers, dates, ignored columns). */
  notes: string[];
  /** Classification: class labels, index i is class i. */
  classes?: string[];
  /** Fitted state per op, aligned with `ops`. */
  steps: OpState[];
  /** Names of the last feature dimension of x. */
  featureNames: string[];
  /**
   * Image sources: the features are the source's images, at this size, each byte divided by `scale`. Absent
   * for tables, whose features are columns (pixel columns included).
   */
  images?: ImageFeatures;
}

/** How a pipeline reads the images of an image source. */
export interface ImageFeatures extends ImageSize {
  /** Each byte is divided by this (the image op's scale; default 255). */
  scale: number;
}

/** Options for Pipeline.fit. */
export interface FitOptions {
  /** Table rows to learn from (default: all). */
  rows?: ArrayLike<number>;
  /** Classification: the class list (default: from every row of the table). */
  classes?: string[];
}

/** The window of a time-series pipeline: an explicit window op, or one row of history by default. */
export function windowSettings(
  problem: ProblemConfig,
  ops: PrepareOp[],
): { lookBack: number; horizon: number } | undefined {
  if (problem.task !== 'time-series') return undefined;
  const window = ops.find((op) => op.op === 'window');
  return window ? { lookBack: window.lookBack, horizon: window.horizon ?? 1 } : { lookBack: 1, horizon: 1 };
}

function allRows(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, row) => row);
}

/** Checks op settings that do not depend on the data. */
function checkOps(problem: ProblemConfig, ops: PrepareOp[], file: string): void {
  let shaping = -1;
  ops.forEach((op, opIndex) => {
    const fail = (message: string, hint: string, field = opField(opIndex)) =>
      new TopdownError('PREPARE_INVALID', message, { file, field, hint });
    if (op.op !== 'window' && op.op !== 'image') return;
    if (shaping >= 0) {
      throw fail(
        `Only one window or image op is allowed; op ${shaping} already shapes the data.`,
        'Remove one of them.',
      );
    }
    shaping = opIndex;
    if (op.op === 'window') {
      if (problem.task !== 'time-series')
        throw fail('The window op is for time-series tasks.', 'Remove it, or set "task" to "time-series".');
      for (const [name, value] of [
        ['lookBack', op.lookBack],
        ['horizon', op.horizon ?? 1],
      ] as const) {
        if (!Number.isInteger(value) || value < 1) {
          throw fail(
            `window: "${name}" must be a whole number of 1 or more; got ${value}.`,
            'Use e.g. 12.',
            `${opField(opIndex)}/${name}`,
          );
        }
      }
    } else {
      if (!isClassification(problem.task)) {
        throw fail('The image op is for classification tasks.', 'Remove it, or set "task" to "image".');
      }
      const scale = op.scale ?? 1;
      if (!(scale > 0))
        throw fail(
          `image: "scale" must be more than 0; got ${scale}.`,
          'Use e.g. 255.',
          `${opField(opIndex)}/scale`,
        );
      augmentSettings(ops, file);
    }
  });
}

/** Every column a date op names is a date column of the table (read as dates by the CSV reader). */
function checkDateColumns(table: Table, ops: PrepareOp[]): void {
  ops.forEach((op, opIndex) => {
    if (op.op !== 'date') return;
    op.columns.forEach((name, index) => {
      const column = table.columns.find((candidate) => candidate.name === name);
      if (column?.type === 'date') return;
      throw new TopdownError(
        'PREPARE_INVALID',
        column
          ? `date: column "${name}" holds ${column.type} values, not dates.`
          : `date: column "${name}" is not in ${table.file}.`,
        {
          file: table.file,
          column: name,
          field: `${opField(opIndex)}/columns/${index}`,
          hint: 'Name a column whose cells are dates (YYYY-MM-DD, optionally with hh:mm).',
        },
      );
    });
  });
}

/** A preparation pipeline for one problem: fit on training rows, transform any rows. */
export class Pipeline {
  readonly problem: ProblemConfig;
  readonly ops: PrepareOp[];
  private state: PipelineState | undefined;

  constructor(problem: ProblemConfig, ops: PrepareOp[]) {
    this.problem = problem;
    this.ops = ops;
    checkOps(problem, ops, problem.data);
  }

  /** Learns every op's state from the given rows of the table (the training part of a fold). */
  fit(table: Table, options: FitOptions = {}): this {
    this.fitFrame(table, options);
    return this;
  }

  /**
   * fit(), then the model-ready data of the rows it learned from, as transform() gives them: from the frame fit
   * already computed, so their text is tokenized and counted once more, not twice.
   */
  fitTransform(table: Table, options: FitOptions = {}): Dataset {
    const rows = options.rows ?? allRows(table.rowCount);
    return this.dataset(table, this.fitFrame(table, { ...options, rows }), rows);
  }

  /** fit()'s work; returns the frame of the training rows after every op. */
  private fitFrame(table: Table, options: FitOptions): Frame {
    const rows = options.rows ?? allRows(table.rowCount);
    checkDateColumns(table, this.ops);
    const { inputs, notes } = resolveInputs(table, this.problem, this.ops);
    const classes = isClassification(this.problem.task)
      ? (options.classes ?? targetClasses(table, this.problem))
      : undefined;
    if (classes) encodeClasses(table, this.problem, classes, rows);
    else checkNumericTarget(table, this.problem, rows);
    let frame = buildFrame(table, inputs, rows);
    const context = this.context(table);
    const steps = this.ops.map((op, opIndex) => {
      const step = fitOp(op, opIndex, frame, context);
      frame = applyOp(step, opIndex, frame, context);
      return step;
    });
    const features = this.checkFeatures(frame, context, table.images !== undefined);
    const image = steps.find((step) => step.op === 'image');
    const images = table.images ? this.imageFeatures(table.images) : undefined;
    const channels = images?.channels ?? (image ? image.channels : undefined);
    const featureNames = channels ? channelNames(channels) : features.flatMap(featureNamesOf);
    this.state = {
      version: PIPELINE_STATE_VERSION,
      problem: this.problem,
      ops: this.ops,
      inputs,
      notes,
      steps,
      featureNames,
    };
    if (classes) this.state.classes = classes;
    if (images) this.state.images = images;
    else if (image) this.imageSize(features.length, context);
    return frame;
  }

  /** Model-ready data for the given rows of the table (default: all); windows for time series. */
  transform(table: Table, rows: ArrayLike<number> = allRows(table.rowCount)): Dataset {
    const state = this.fitted();
    const context = this.context(table);
    let frame = buildFrame(table, state.inputs, rows);
    state.steps.forEach((step, opIndex) => {
      frame = applyOp(step, opIndex, frame, context);
    });
    return this.dataset(table, frame, rows);
  }

  /** The model-ready data of a frame after every op (rows: the table rows it was built from). */
  private dataset(table: Table, frame: Frame, rows: ArrayLike<number>): Dataset {
    const state = this.fitted();
    const context = this.context(table);
    const features = this.checkFeatures(frame, context, state.images !== undefined);
    const window = windowSettings(this.problem, this.ops);
    if (window) {
      checkNumericTarget(table, this.problem, rows);
      const target = frame.columns.find(
        (column) => column.name === this.problem.target,
      ) as NumericFrameColumn;
      return windowed(frame, numericOnly(features, context), target.values, window, state.featureNames, {
        file: table.file,
        field: this.windowField(),
      });
    }
    const sampleCount = frame.rows.length;
    const text = textInputs(features, sampleCount, context);
    const { x, xShape } = state.images
      ? this.imageInputs(table, state.images, frame.rows)
      : (text ?? this.columnInputs(numericOnly(features, context), sampleCount, context));
    const base: Pick<Dataset, 'x' | 'featureNames' | 'rowIndex' | 'sparse' | 'tokenIds'> = {
      x,
      featureNames: state.featureNames,
      rowIndex: Int32Array.from(frame.rows),
    };
    if (text?.sparse) base.sparse = text.sparse;
    if (text?.tokenIds !== undefined) base.tokenIds = text.tokenIds;
    if (state.classes) {
      const y = Float32Array.from(encodeClasses(table, this.problem, state.classes, rows));
      return { ...base, xShape, y, yShape: [sampleCount], classes: [...state.classes] };
    }
    checkNumericTarget(table, this.problem, rows);
    const target = frame.columns.find((column) => column.name === this.problem.target) as NumericFrameColumn;
    return { ...base, xShape, y: Float32Array.from(target.values), yShape: [sampleCount, 1] };
  }

  private columnInputs(
    features: NumericFrameColumn[],
    sampleCount: number,
    context: OpContext,
  ): { x: Float32Array; xShape: number[] } {
    const x = new Float32Array(sampleCount * features.length);
    features.forEach((column, feature) => {
      for (let sample = 0; sample < sampleCount; sample++)
        x[sample * features.length + feature] = column.values[sample];
    });
    const image = this.fitted().steps.find((step) => step.op === 'image');
    if (!image) return { x, xShape: [sampleCount, features.length] };
    for (let index = 0; index < x.length; index++) x[index] /= image.scale;
    return { x, xShape: [sampleCount, ...this.imageSize(features.length, context)] };
  }

  /** Float32 features straight from an image source's bytes (no per-column float64 frame). */
  private imageInputs(
    table: Table,
    images: ImageFeatures,
    rows: Int32Array,
  ): { x: Float32Array; xShape: number[] } {
    const block = table.images;
    if (
      !block ||
      block.rows !== images.rows ||
      block.cols !== images.cols ||
      block.channels !== images.channels
    ) {
      const got = block ? `${block.rows} × ${block.cols} × ${block.channels} images` : 'no images';
      throw new TopdownError(
        'PREPARE_INVALID',
        `This pipeline reads ${images.rows} × ${images.cols} × ${images.channels} images, but ${table.file} gives ${got}.`,
        {
          file: table.file,
          hint: 'Give images (a folder, image files or an IDX file) of the size the model was trained on.',
        },
      );
    }
    return {
      x: scaleImages(block, rows, images.scale),
      xShape: [rows.length, images.rows, images.cols, images.channels],
    };
  }

  /** The image features of an image source: its size (the image op's, which the source resized to) and scale. */
  private imageFeatures(block: ImageSize): ImageFeatures {
    const op = this.ops.find((candidate) => candidate.op === 'image');
    const scale = op && op.op === 'image' ? (op.scale ?? IMAGE_SOURCE_SCALE) : IMAGE_SOURCE_SCALE;
    return { rows: block.rows, cols: block.cols, channels: block.channels, scale };
  }

  /** Target values (predictions or y) back in the target's own units: undoes scaling and log of the target. */
  inverseTarget(values: Float32Array): Float32Array {
    return inverseTargetOps(this.fitted().steps, this.problem.target, values);
  }

  /** The fitted state, plain JSON (a deep copy). */
  getState(): PipelineState {
    return JSON.parse(JSON.stringify(this.fitted())) as PipelineState;
  }

  /** A fitted pipeline rebuilt from getState(); it transforms exactly as the original. */
  static fromState(state: PipelineState): Pipeline {
    if (state.version > PIPELINE_STATE_VERSION) {
      throw new TopdownError(
        'SCHEMA_TOO_NEW',
        `This pipeline state has version ${state.version}; this Topdown reads up to ${PIPELINE_STATE_VERSION}.`,
        {
          hint: 'Update Topdown.',
        },
      );
    }
    const pipeline = new Pipeline(state.problem, state.ops);
    pipeline.state = JSON.parse(JSON.stringify(state)) as PipelineState;
    return pipeline;
  }

  /**
   * A fitted pipeline that reads and makes no features, for the folds of a model that learns from class targets
   * only (the baseline): its inverseTarget is the identity, as for every classification pipeline.
   */
  static targetsOnly(problem: ProblemConfig, classes: string[]): Pipeline {
    const pipeline = new Pipeline(problem, []);
    pipeline.state = {
      version: PIPELINE_STATE_VERSION,
      problem,
      ops: [],
      inputs: [],
      notes: [],
      classes: [...classes],
      steps: [],
      featureNames: [],
    };
    return pipeline;
  }

  /** What the pipeline does, one line per fact, in plain words (fitted details once fitted). */
  describe(): string[] {
    return describeStates(this.problem, this.ops, this.state);
  }

  private fitted(): PipelineState {
    if (!this.state) throw new TopdownError('INTERNAL', 'The pipeline was used before fit().');
    return this.state;
  }

  private context(table: Table): OpContext {
    return { task: this.problem.task, target: this.problem.target, file: table.file };
  }

  private windowField(): string {
    const index = this.ops.findIndex((op) => op.op === 'window');
    return index >= 0 ? opField(index) : '/prepare';
  }

  /**
   * The feature columns after all ops: numeric and complete, or PREPARE_INVALID saying which op to add. With
   * an image source the images are the features and no column may be left.
   */
  private checkFeatures(frame: Frame, context: OpContext, images: boolean): FeatureColumn[] {
    const keepTarget = this.problem.task === 'time-series';
    const features = frame.columns.filter((column) => keepTarget || column.name !== this.problem.target);
    for (const column of features) {
      if (column.kind === 'text' || column.kind === 'tokens') {
        throw new TopdownError(
          'PREPARE_INVALID',
          `Column "${column.name}" is ${column.kind === 'text' ? 'free text' : 'tokens'}: add {"op": "tfidf"}.`,
          {
            file: context.file,
            column: column.name,
            field: '/prepare',
            hint: `Models need numbers. Add {"op": "tfidf", "columns": ["${column.name}"]} (or "counts", or "sequences" for an embedding network), or {"op": "drop", "columns": ["${column.name}"]}.`,
          },
        );
      }
      if (column.kind === 'categorical') {
        throw new TopdownError(
          'PREPARE_INVALID',
          `Column "${column.name}" is categorical: add {"op": "onehot"}.`,
          {
            file: context.file,
            column: column.name,
            field: '/prepare',
            hint: `Models need numbers. Add {"op": "onehot"} (or "ordinal" for ordered categories), or {"op": "drop", "columns": ["${column.name}"]}.`,
          },
        );
      }
      const missing = firstMissing(column);
      if (missing >= 0) {
        const row = spreadsheetRow(frame.rows[missing]);
        throw new TopdownError(
          'PREPARE_INVALID',
          `Column "${column.name}" has missing values in row ${row}: add {"op": "impute"}.`,
          {
            file: context.file,
            row,
            column: column.name,
            field: '/prepare',
            hint: 'Add {"op": "impute", "strategy": "median"} before scaling, or drop the column.',
          },
        );
      }
    }
    if (images) {
      if (features.length === 0) return [];
      throw new TopdownError(
        'PREPARE_INVALID',
        `An image source has no feature columns; got "${features[0].name}".`,
        {
          file: context.file,
          column: features[0].name,
          field: '/prepare',
          hint: 'The images are the features: remove the ops that add columns.',
        },
      );
    }
    if (features.length === 0) {
      throw new TopdownError('PREPARE_INVALID', 'No feature columns are left after preparation.', {
        file: context.file,
        field: '/prepare',
        hint: 'Check problem.ignore and the drop ops.',
      });
    }
    return features as FeatureColumn[];
  }

  private imageSize(featureCount: number, context: OpContext): number[] {
    const index = this.ops.findIndex((op) => op.op === 'image');
    const op = this.ops[index] as Extract<PrepareOp, { op: 'image' }>;
    const channels = op.channels ?? 1;
    if (featureCount !== op.rows * op.cols * channels) {
      throw new TopdownError(
        'PREPARE_INVALID',
        `image: ${op.rows} × ${op.cols} × ${channels} needs ${op.rows * op.cols * channels} pixel columns, but there are ${featureCount} feature columns.`,
        {
          file: context.file,
          field: opField(index),
          hint: 'Fix rows, cols or channels, or drop the columns that are not pixels.',
        },
      );
    }
    return [op.rows, op.cols, channels];
  }
}

function channelNames(channels: number): string[] {
  if (channels === 1) return ['gray'];
  if (channels === 3) return ['red', 'green', 'blue'];
  if (channels === 4) return ['red', 'green', 'blue', 'alpha'];
  return Array.from({ length: channels }, (_, channel) => `channel ${channel + 1}`);
}

/**
 * Sliding windows: sample s reads rows s..s+lookBack-1 and predicts the target at rows
 * s+lookBack..s+lookBack+horizon-1; persistence repeats the last target value in its window.
 */
function windowed(
  frame: Frame,
  features: NumericFrameColumn[],
  target: Float64Array,
  window: { lookBack: number; horizon: number },
  featureNames: string[],
  where: { file: string; field: string },
): Dataset {
  const { lookBack, horizon } = window;
  const rowCount = frame.rows.length;
  const sampleCount = rowCount - lookBack - horizon + 1;
  if (sampleCount < 1) {
    throw new TopdownError(
      'PREPARE_INVALID',
      `A window of ${lookBack} rows plus a horizon of ${horizon} needs at least ${lookBack + horizon} rows; there are ${rowCount}.`,
      {
        ...where,
        hint: 'Lower "lookBack" or "horizon", or use more rows.',
      },
    );
  }
  const featureCount = features.length;
  const x = new Float32Array(sampleCount * lookBack * featureCount);
  const y = new Float32Array(sampleCount * horizon);
  const persistence = new Float32Array(sampleCount * horizon);
  const rowIndex = new Int32Array(sampleCount);
  for (let sample = 0; sample < sampleCount; sample++) {
    for (let step = 0; step < lookBack; step++) {
      const offset = (sample * lookBack + step) * featureCount;
      for (let feature = 0; feature < featureCount; feature++)
        x[offset + feature] = features[feature].values[sample + step];
    }
    for (let step = 0; step < horizon; step++) {
      y[sample * horizon + step] = target[sample + lookBack + step];
      persistence[sample * horizon + step] = target[sample + lookBack - 1];
    }
    rowIndex[sample] = frame.rows[sample + lookBack];
  }
  return {
    x,
    xShape: [sampleCount, lookBack, featureCount],
    y,
    yShape: [sampleCount, horizon],
    featureNames,
    rowIndex,
    persistence,
  };
}
