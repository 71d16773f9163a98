/**
 * What step 2 shows: the pipeline fitted on one fold's training part, with per-feature statistics before
 * (raw columns) and after (model-ready features), and the shapes the models will see. Plain JSON, stored as
 * `preview.json` with the prepare run.
 */
import type { CandidateConfig, PrepareOp, ProblemConfig, Task } from '../config';
import type { Dataset } from '../dataset';
import type { CsrMatrix } from '../sparse';
import { moments } from '../data/stats';
import type { ColumnType, Table } from '../data/table';
import { largest, prepareFold, type FoldSamples } from './fold';
import type { PipelineState } from './transformer';
import type {
  CandidatePipelinePreview,
  PreparationPreview,
  PreviewFeatureAfter,
  PreviewFeatureBefore,
} from '../../protocol/panel-prepare';

/** Raw statistics of one input column over the rows the pipeline was fitted on (the panel's type, typed here). */
export interface FeatureBefore extends PreviewFeatureBefore {
  type: ColumnType;
}

/** Statistics of one model-ready feature (last axis of x) over the training part. */
export type FeatureAfter = PreviewFeatureAfter;

/**
 * The preview of step 2, plain JSON: what the Prepare panel reads (`PreparationPreview`), plus the fitted pipeline
 * as stored state. Sparse (text) features: `after` holds only the {@link PREVIEW_SPARSE_FEATURES} non-zero in the
 * most rows; `shapes` gives the full count.
 */
export interface PreparePreview extends Omit<PreparationPreview, 'task' | 'before'> {
  task: Task;
  before: FeatureBefore[];
  /** The fitted pipeline, as stored state. */
  pipeline: PipelineState;
}

/** Mean, population standard deviation (a standardized column reads 1), min and max; undefined when all missing. */
function numericStats(
  values: ArrayLike<number>,
): { mean: number; std: number; min: number; max: number } | undefined {
  const { count, mean, squares, min, max } = moments(values);
  if (count === 0) return undefined;
  return { mean, std: Math.sqrt(squares / count), min, max };
}

function describeBefore(table: Table, state: PipelineState, rows: Int32Array): FeatureBefore[] {
  return state.inputs.map((input) => {
    const column = table.columns.find((candidate) => candidate.name === input.name);
    const role = input.name === state.problem.target ? 'target' : 'feature';
    if (!column || column.type === 'date')
      return { name: input.name, type: column?.type ?? 'numeric', role, missing: 0 };
    if (column.type === 'numeric') {
      const values = Array.from(rows, (row) => column.values[row]);
      const missing = values.filter((value) => Number.isNaN(value)).length;
      return { name: input.name, type: column.type, role, missing, ...numericStats(values) };
    }
    const values = Array.from(rows, (row) => column.values[row]);
    const present = values.filter((value): value is string => value !== null);
    return {
      name: input.name,
      type: column.type,
      role,
      missing: values.length - present.length,
      distinct: new Set(present).size,
    };
  });
}

/** Sparse features shown in the preview: the ones non-zero in the most training rows. */
export const PREVIEW_SPARSE_FEATURES = 100;

/** Statistics of sparse features (zeros counted), for the {@link PREVIEW_SPARSE_FEATURES} most often non-zero. */
function describeSparse(dataset: Dataset, matrix: CsrMatrix): FeatureAfter[] {
  const { rows, cols } = matrix;
  const sums = new Float64Array(cols);
  const squares = new Float64Array(cols);
  const mins = new Float64Array(cols).fill(Infinity);
  const maxs = new Float64Array(cols).fill(-Infinity);
  const nonZero = new Int32Array(cols);
  for (let item = 0; item < matrix.indices.length; item++) {
    const column = matrix.indices[item];
    const value = matrix.values[item];
    sums[column] += value;
    squares[column] += value * value;
    mins[column] = Math.min(mins[column], value);
    maxs[column] = Math.max(maxs[column], value);
    nonZero[column]++;
  }
  const order = Array.from({ length: cols }, (_, column) => column)
    .sort((left, right) => nonZero[right] - nonZero[left] || left - right)
    .slice(0, PREVIEW_SPARSE_FEATURES);
  return order.map((column) => {
    const mean = rows > 0 ? sums[column] / rows : 0;
    const std = rows > 0 ? Math.sqrt(Math.max(0, squares[column] / rows - mean * mean)) : 0;
    // Zeros count: a column with an empty row has minimum at most 0 and maximum at least 0.
    const zeros = nonZero[column] < rows;
    const min = zeros ? Math.min(0, mins[column]) : mins[column];
    const max = zeros ? Math.max(0, maxs[column]) : maxs[column];
    return { name: dataset.featureNames[column], mean, std, min, max };
  });
}

function describeAfter(dataset: Dataset): FeatureAfter[] {
  if (dataset.sparse) return describeSparse(dataset, dataset.sparse);
  const featureCount = dataset.featureNames.length;
  return dataset.featureNames.map((name, feature) => {
    const values: number[] = [];
    for (let index = feature; index < dataset.x.length; index += featureCount) values.push(dataset.x[index]);
    const stats = numericStats(values) ?? { mean: 0, std: 0, min: 0, max: 0 };
    return { name, ...stats };
  });
}

/**
 * Fits the pipeline on one fold's training part (exactly as step 3 will) and reports what it does: raw
 * column statistics over the fitted rows, statistics of each prepared feature over the training part, the
 * shapes of x and y, and the pipeline's description.
 */
export function previewPreparation(
  table: Table,
  problem: ProblemConfig,
  ops: PrepareOp[],
  fold: FoldSamples & { index?: number },
): PreparePreview {
  const { train, validation, pipeline } = prepareFold(table, problem, ops, fold);
  const state = pipeline.getState();
  // The rows statistics were learned from: the training rows, or for windows every row they cover.
  const fittedRows =
    problem.task === 'time-series'
      ? Int32Array.from({ length: largest(train.rowIndex) + train.yShape[1] }, (_, row) => row)
      : Int32Array.from(fold.train);
  const preview: PreparePreview = {
    task: problem.task,
    target: problem.target,
    fold: fold.index ?? 0,
    shapes: {
      train: { x: train.xShape, y: train.yShape },
      validation: { x: validation.xShape, y: validation.yShape },
    },
    before: describeBefore(table, state, fittedRows),
    after: describeAfter(train),
    describe: pipeline.describe(),
    pipeline: state,
  };
  if (train.classes) preview.classes = train.classes;
  return preview;
}

/**
 * The candidates' own pipelines (their `prepare`), each fitted on the same fold as the project's: one entry per
 * distinct pipeline, naming the candidates that declare it, with its steps and the shapes its models see.
 */
export function previewCandidatePipelines(
  table: Table,
  problem: ProblemConfig,
  candidates: readonly CandidateConfig[],
  fold: FoldSamples,
): CandidatePipelinePreview[] {
  const byPipeline = new Map<string, { ops: PrepareOp[]; candidates: string[] }>();
  for (const candidate of candidates) {
    if (!candidate.prepare) continue;
    const key = JSON.stringify(candidate.prepare);
    const entry = byPipeline.get(key) ?? { ops: candidate.prepare, candidates: [] };
    entry.candidates.push(candidate.name);
    byPipeline.set(key, entry);
  }
  return [...byPipeline.values()].map(({ ops, candidates: names }) => {
    const { train, validation, pipeline } = prepareFold(table, problem, ops, fold);
    return {
      candidates: names,
      shapes: {
        train: { x: train.xShape, y: train.yShape },
        validation: { x: validation.xShape, y: validation.yShape },
      },
      describe: pipeline.describe(),
    };
  });
}
