/**
 * Step 5's final fit: the chosen candidate refitted on every sample outside the holdout (the pipeline fitted
 * on them too), scored once on the holdout, and saved with its fitted pipeline. Runs inside a worker with the
 * tfjs module passed in, or in-process for models without tfjs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Table } from '../data/table';
import { firstSamples } from '../dataset';
import { BaselineEstimator } from '../models/baseline';
import { saveEstimator } from '../models/persist';
import type { ModelContext } from '../models/types';
import type { Pipeline } from '../prepare/transformer';
import type { Dataset } from '../dataset';
import type { Project } from '../project';
import { fitWithProgress, prepareFit, scoreOn, type FoldRunOptions } from '../steps/fold';
import type { FinalTask, FinalTaskResult } from '../../protocol/runner';

/** The fitted pipeline's file in a bundle (PipelineState, plain JSON). */
export const PIPELINE_FILE = 'pipeline.json';
/** Training samples the final model predicts before it is saved, to refuse a diverged one (DIVERGED). */
const DIVERGENCE_CHECK_SAMPLES = 256;

/**
 * Fits the task's candidate on `trainRows`, scores it on `validationRows` when there are any, and writes the
 * model files and pipeline.json to `task.outputDir`. Resolves undefined when stopped; throws DIVERGED (and writes
 * nothing) when the fitted model's weights or predictions are not finite numbers.
 */
export async function runFinalFit(
  project: Project,
  table: Table,
  task: FinalTask,
  options: FoldRunOptions = {},
): Promise<FinalTaskResult | undefined> {
  const started = performance.now();
  const problem = project.config.problem;
  const { train, validation, pipeline, classCount, outputUnits, context, estimator } = prepareFit(
    project,
    table,
    task,
    task.candidate,
    options.tf,
  );
  try {
    const fit = await fitWithProgress(estimator, train, options);
    if (fit.stopped) return undefined;
    // A diverged network predicts NaN (DIVERGED from its predict) even when its loss and weights stayed finite.
    await estimator.predict(firstSamples(train, DIVERGENCE_CHECK_SAMPLES));
    const files = await saveEstimator(estimator, context, task.outputDir);
    writeFileSync(join(task.outputDir, PIPELINE_FILE), JSON.stringify(pipeline.getState(), null, 2) + '\n');
    files.push(PIPELINE_FILE);
    const result: FinalTaskResult = {
      taskId: task.taskId,
      trainSize: train.xShape[0],
      epochs: fit.epochs,
      durationMs: 0,
      files,
      featureNames: train.featureNames,
      inputShape: context.inputShape,
      outputUnits,
    };
    if (train.classes) result.classes = train.classes;
    if (fit.lastLogs) result.lastLogs = fit.lastLogs;
    if (validation.xShape[0] > 0) {
      const scoring = { problem, classCount, outputUnits };
      const { predictions, truth, metrics, confusion, score } = await scoreOn(
        estimator,
        pipeline,
        validation,
        scoring,
      );
      result.holdout = {
        score,
        metrics,
        size: validation.xShape[0],
        rows: Array.from(validation.rowIndex),
        predictions: Array.from(predictions),
        truth: Array.from(truth),
      };
      if (confusion) result.holdout.confusion = confusion;
      const baseline = await baselineOnHoldout(
        { ...context, projectDir: project.dir },
        pipeline,
        train,
        validation,
        scoring,
      );
      result.holdout.baseline = { score: baseline.score, metrics: baseline.metrics };
      if (problem.task === 'time-series')
        result.holdout.baselinePredictions = Array.from(baseline.predictions);
    }
    result.durationMs = Math.round(performance.now() - started);
    return result;
  } finally {
    estimator.dispose();
  }
}

/**
 * The task's baseline (majority class, mean, persistence) fitted on the final model's training rows and scored on
 * its holdout: the number to beat beside the holdout score. Cheap (no training), and never touches tfjs.
 */
async function baselineOnHoldout(
  context: ModelContext,
  pipeline: Pipeline,
  train: Dataset,
  holdout: Dataset,
  scoring: Parameters<typeof scoreOn>[3],
): Promise<{ score: number; metrics: Record<string, number>; predictions: Float32Array }> {
  const baseline = new BaselineEstimator({ name: 'baseline', model: 'baseline' }, context);
  try {
    await baseline.fit(train);
    const { score, metrics, predictions } = await scoreOn(baseline, pipeline, holdout, scoring);
    return { score, metrics, predictions };
  } finally {
    baseline.dispose();
  }
}
