/**
 * One candidate on one fold: prepare (fitted on the training part only), fit, predict the validation part,
 * score. Runs inside a worker process with the tfjs module passed in, or in-process for models without tfjs.
 */
import { performance } from 'node:perf_hooks';
import {
  candidatePrepare,
  isClassification,
  resolveMetric,
  type CandidateConfig,
  type ProblemConfig,
} from '../config';
import { sampleShape, type Dataset } from '../dataset';
import type { Table } from '../data/table';
import { TopdownError } from '../errors';
import { computeMetrics, metricKey } from '../metrics';
import { modelInput } from '../models/kinds';
import { createEstimator } from '../models/zoo';
import type { EpochLogs, Estimator, ModelContext, TF } from '../models/types';
import { prepareFold, prepareTargets, type Pipeline } from '../prepare/pipeline';
import { compactFoldPredictions } from './out-of-fold';
import type { Project } from '../project';
import type { FoldTask, FoldTaskResult } from '../../protocol/runner';

/** Hooks of a fold run. */
export interface FoldRunOptions {
  tf?: TF;
  onEpoch?: (epoch: number, logs: EpochLogs) => void;
  shouldStop?: () => boolean;
}

/** A fold result, or `undefined` when the run was stopped. */
export async function runFold(
  project: Project,
  table: Table,
  task: FoldTask,
  options: FoldRunOptions = {},
): Promise<FoldTaskResult | undefined> {
  const started = performance.now();
  const problem = project.config.problem;
  const candidate = capEpochs(task.candidate, task.maxEpochs);
  const { train, validation, pipeline, classCount, outputUnits, estimator } = prepareFit(
    project,
    table,
    task,
    candidate,
    options.tf,
    candidate.model === 'baseline',
  );
  try {
    const fit = await fitWithProgress(estimator, train, options, validation);
    if (fit.stopped) return undefined;
    const { predictions, truth, metrics, confusion, score } = await scoreOn(estimator, pipeline, validation, {
      problem,
      classCount,
      outputUnits,
    });
    const result: FoldTaskResult = {
      taskId: task.taskId,
      foldIndex: task.foldIndex,
      score,
      metrics,
      trainSize: train.xShape[0],
      validationSize: validation.xShape[0],
      epochs: fit.epochs,
      durationMs: Math.round(performance.now() - started),
    };
    if (confusion) result.confusion = confusion;
    if (fit.lastLogs) result.lastLogs = fit.lastLogs;
    if (task.returnPredictions) {
      result.predictions = Array.from(predictions);
      result.truth = Array.from(truth);
    }
    if (task.returnOutOfFold) {
      const classification = isClassification(problem.task);
      const scored = { predictions, truth };
      result.outOfFold = compactFoldPredictions(task.foldIndex, scored, validation.rowIndex, classification);
    }
    return result;
  } finally {
    estimator.dispose();
  }
}

/** A task's prepared parts (the pipeline fitted on its training rows only) and the candidate, built but unfitted. */
export interface PreparedFit {
  train: Dataset;
  validation: Dataset;
  pipeline: Pipeline;
  classCount: number;
  outputUnits: number;
  /** What the model was built for (also what a saved bundle records). */
  context: Pick<ModelContext, 'task' | 'inputShape' | 'outputUnits' | 'classes' | 'seed' | 'tokenIds'>;
  estimator: Estimator;
}

/**
 * Prepares a fold (or the final fit's rows) through the candidate's pipeline (its own `prepare`, else the
 * project's) and builds the candidate's estimator; shared by folds and step 5. `targetsOnly`: the fold of a model
 * that reads only the targets (the baseline's), without the preparation ops where the task allows it (see
 * prepareTargets); never for step 5, whose pipeline is saved with the model.
 */
export function prepareFit(
  project: Project,
  table: Table,
  task: FoldTask,
  candidate: CandidateConfig,
  tf: TF | undefined,
  targetsOnly = false,
): PreparedFit {
  const problem = project.config.problem;
  const samples = { train: task.trainRows, validation: task.validationRows, seed: task.seed };
  const prepared =
    (targetsOnly ? prepareTargets(table, problem, samples) : undefined) ??
    prepareFold(table, problem, candidatePrepare(project.config, candidate), samples);
  const { pipeline } = prepared;
  const [train, validation] = withCandidateField(project, candidate.name, () => [
    modelInput(prepared.train, candidate.model),
    modelInput(prepared.validation, candidate.model),
  ]);
  const classCount = train.classes?.length ?? 0;
  const outputUnits = isClassification(problem.task) ? classCount : (train.yShape[1] ?? 1);
  const context = {
    task: problem.task,
    inputShape: sampleShape(train),
    outputUnits,
    classes: train.classes,
    seed: task.seed,
    ...(train.tokenIds !== undefined ? { tokenIds: train.tokenIds } : {}),
  };
  const estimator = withCandidateField(project, candidate.name, () =>
    createEstimator(candidate, { ...context, tf, projectDir: project.dir }),
  );
  return { train, validation, pipeline, classCount, outputUnits, context, estimator };
}

/** Predictions and truth in target units, every metric of the task, and the project metric's score. */
export interface Scored {
  predictions: Float32Array;
  truth: Float32Array;
  metrics: Record<string, number>;
  confusion?: number[][];
  score: number;
}

/** Predicts `data` with a fitted estimator and scores it (regression targets back in their own units). */
export async function scoreOn(
  estimator: Estimator,
  pipeline: Pipeline,
  data: Dataset,
  context: { problem: ProblemConfig; classCount: number; outputUnits: number },
): Promise<Scored> {
  let predictions = await estimator.predict(data);
  let truth = data.y;
  if (!isClassification(context.problem.task)) {
    predictions = pipeline.inverseTarget(predictions);
    truth = pipeline.inverseTarget(truth);
  }
  const { metrics, confusion } = computeMetrics(context.problem.task, truth, predictions, {
    classCount: context.classCount,
    positiveIndex: 1,
    outputs: context.outputUnits,
  });
  const scored: Scored = {
    predictions,
    truth,
    metrics,
    score: metrics[metricKey(resolveMetric(context.problem))],
  };
  if (confusion) scored.confusion = confusion;
  return scored;
}

/** How a fit went: stopped by a cancel, epochs trained, and the last epoch's logs. */
export interface FitProgress {
  stopped: boolean;
  epochs: number;
  lastLogs?: EpochLogs;
}

/** Fits with the hooks of a fold run (epochs streamed, stop polled), counting epochs and keeping the last logs. */
export async function fitWithProgress(
  estimator: Estimator,
  train: Dataset,
  options: FoldRunOptions,
  validation?: Dataset,
): Promise<FitProgress> {
  const progress: FitProgress = { stopped: false, epochs: 0 };
  const fit = await estimator.fit(train, {
    validation,
    shouldStop: options.shouldStop,
    callbacks: {
      onEpochEnd: (epoch, logs) => {
        progress.epochs = epoch + 1;
        progress.lastLogs = logs;
        options.onEpoch?.(epoch, logs);
      },
    },
  });
  progress.stopped = fit.stopped;
  return progress;
}

/** Model kinds trained for a number of epochs (quick mode caps them). */
const EPOCH_MODELS = new Set(['linear', 'mlp', 'cnn', 'lstm', 'gru', 'embedding', 'custom']);

function capEpochs(candidate: CandidateConfig, maxEpochs: number | undefined): CandidateConfig {
  if (maxEpochs === undefined || !EPOCH_MODELS.has(candidate.model)) return candidate;
  const epochs = (candidate as { epochs?: number }).epochs ?? maxEpochs;
  return { ...candidate, epochs: Math.min(epochs, maxEpochs) } as CandidateConfig;
}

/** Points a model error at the candidate's place in topdown.json. */
function withCandidateField<T>(project: Project, name: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof TopdownError && error.field === undefined) {
      const index = project.config.evaluate.candidates.findIndex((candidate) => candidate.name === name);
      throw new TopdownError(error.code, error.message, {
        hint: error.hint,
        file: project.file,
        field: index >= 0 ? `/evaluate/candidates/${index}` : undefined,
      });
    }
    throw error;
  }
}
