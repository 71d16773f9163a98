/**
 * Runs a set of candidates on the same folds through the worker pool, recording each candidate as one run:
 * epochs stream to `events.jsonl` and to the host, fold scores land in `run.json` as they finish. Shared by
 * step 3 (evaluate) and step 4 (improve: trials are candidates too).
 */
import { resolveMetric, type CandidateConfig } from '../../core/config';
import { TopdownError } from '../../core/errors';
import { adviseFromCurves, type AdviceOptions } from '../../core/improve/advisor';
import { higherIsBetter } from '../../core/metrics';
import type { EpochLogs } from '../../core/models/types';
import type { Fold } from '../../core/folds';
import { resolveCandidate } from '../../core/models/zoo';
import type { Project } from '../../core/project';
import { deriveSeed } from '../../core/random';
import { projectSeed, type ProjectData } from '../../core/steps/data';
import type { RunStore } from '../../core/runs/store';
import type { BackendInfo, FoldRecord, RunRecord } from '../../protocol/records';
import type { FoldPredictions } from '../../protocol/out-of-fold';
import type { FoldTask, FoldTaskResult } from '../../protocol/runner';
import { chooseBackend, probeShapeKey, withProbe, type BackendChoice } from '../backend-probe';
import { defaultPoolSize } from '../pool';
import type { TaskOutcome } from '../task-pool';
import {
  begin,
  coreCount,
  failedStatus,
  finishRecord,
  publish,
  QUICK,
  sortFolds,
  startRecord,
  type JobOptions,
} from './common';
import { keepOutOfFold } from './out-of-fold';
import { withTaskRunner, type TaskRunner } from './task-runner';

/** One candidate's outcome. */
export interface CandidateRun {
  candidate: CandidateConfig;
  record: RunRecord;
  /** Per-fold epoch logs, for the learning-curve advisor. */
  curves: FoldCurves;
  /** Validation predictions per fold index, when asked for (ensembles). */
  predictions?: Map<number, number[]>;
  /** Validation truth per fold index, in the same layout, when predictions are asked for. */
  truth?: Map<number, number[]>;
  /** Compact validation predictions per fold index, when the batch keeps them (step 3's out-of-fold file). */
  outOfFold?: Map<number, FoldPredictions>;
}

/** Epoch logs of every fold of a run; `mean()` is the curve the advisor reads. */
export class FoldCurves {
  private readonly folds = new Map<number, EpochLogs[]>();

  /** Records one epoch of one fold. */
  add(fold: number, epoch: number, logs: EpochLogs): void {
    const curve = this.folds.get(fold) ?? [];
    curve[epoch] = logs;
    this.folds.set(fold, curve);
  }

  /** Mean of each log key per epoch over the folds that reached that epoch. */
  mean(): EpochLogs[] {
    const curves = [...this.folds.values()];
    const length = Math.max(0, ...curves.map((curve) => curve.length));
    const result: EpochLogs[] = [];
    for (let epoch = 0; epoch < length; epoch++) {
      const sums: Record<string, { total: number; count: number }> = {};
      for (const curve of curves) {
        for (const [key, value] of Object.entries(curve[epoch] ?? {})) {
          if (!Number.isFinite(value)) continue;
          const sum = (sums[key] ??= { total: 0, count: 0 });
          sum.total += value;
          sum.count += 1;
        }
      }
      result.push(Object.fromEntries(Object.entries(sums).map(([key, sum]) => [key, sum.total / sum.count])));
    }
    return result;
  }
}

/** What the advisor needs besides the curves: the metric, the settings, and what a constant guess scores. */
function adviceOptions(project: Project, data: ProjectData, candidate: CandidateConfig): AdviceOptions {
  const metric = resolveMetric(project.config.problem);
  const options: AdviceOptions = {
    task: project.config.problem.task,
    metric,
    higherIsBetter: higherIsBetter(metric),
  };
  const settings = candidate as { learningRate?: number; dropout?: number };
  if (settings.learningRate !== undefined) options.learningRate = settings.learningRate;
  if (settings.dropout !== undefined) options.dropout = settings.dropout;
  if (data.labels && data.labels.length > 0) {
    const counts = new Map<number, number>();
    for (const label of data.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    const shares = [...counts.values()].map((count) => count / data.labels!.length);
    options.baselineAccuracy = Math.max(...shares);
    options.baselineLoss = -shares.reduce((sum, share) => sum + share * Math.log(share), 0);
  }
  return options;
}

/** Inputs of a batch of candidates. */
export interface CandidateBatch {
  project: Project;
  data: ProjectData;
  folds: Fold[];
  foldHash: string;
  candidates: CandidateConfig[];
  session: string;
  store: RunStore;
  step: 'evaluate' | 'improve';
  /** Keep validation predictions (for ensembles). */
  keepPredictions?: boolean;
  /** Write each completed candidate's compact validation predictions to its run folder (`out-of-fold.json`). */
  keepOutOfFold?: boolean;
  /** Override epochs of every trained candidate (successive halving rungs). */
  epochs?: number;
  /** Mixed into every fold's seed: repeats of the same configuration with other seeds (run-to-run noise). */
  seedSalt?: number;
  /** Tuned parameters per candidate name (trials), stored in their run records. */
  params?: Map<string, Record<string, unknown>>;
}

/** What every phase of a batch reads: the batch, the job's options, the task runner and the progress so far. */
interface BatchContext {
  batch: CandidateBatch;
  options: JobOptions;
  runner: TaskRunner;
  /** Quick mode's cap on epochs, passed to every task. */
  maxEpochs: number | undefined;
  progress: { done: number; total: number };
}

/** Runs every candidate on every fold; never throws for a candidate's failure (it is recorded instead). */
export async function runCandidates(batch: CandidateBatch, options: JobOptions): Promise<CandidateRun[]> {
  // `auto` measures the job's models on each backend worth trying before the workers start (cached per shape).
  const choice = await probeBackend(batch, options);
  const backend = choice && choice.backend !== 'auto' ? choice.backend : options.backend;
  const setup = {
    store: batch.store,
    projectDir: batch.project.dir,
    backend,
    size: options.workers ?? defaultPoolSize(backend, coreCount()),
    describeBackend: (info: BackendInfo) => withProbe(info, choice),
  };
  return withTaskRunner(setup, options, async (runner) => {
    const context: BatchContext = {
      batch,
      options,
      runner,
      maxEpochs: options.quick ? QUICK.epochs : undefined,
      progress: { done: 0, total: batch.candidates.length * batch.folds.length },
    };
    const runs = batch.candidates.map((candidate) => startCandidate(context, candidate));
    await Promise.all(runs.map((run) => runCandidate(context, run)));
    return runs;
  });
}

/** With backend `auto`, measures the batch's models on the backends worth trying (undefined otherwise). */
async function probeBackend(batch: CandidateBatch, options: JobOptions): Promise<BackendChoice | undefined> {
  const { project, folds } = batch;
  // On queue workers the backend is each worker's own (`topdown worker --backend`): nothing to measure here.
  if (options.backend !== 'auto' || folds.length === 0 || options.queue) return undefined;
  const choice = await chooseBackend({
    projectDir: project.dir,
    candidates: batch.candidates.map((candidate) => resolveCandidate(candidate)),
    trainRows: folds[0].train,
    validationRows: folds[0].validation,
    seed: deriveSeed(projectSeed(project), folds[0].index),
    folds: folds.length,
    maxEpochs: batch.epochs ?? (options.quick ? QUICK.epochs : undefined),
    workers: options.workers,
    shapeKey: probeShapeKey(
      project.config,
      batch.data.table.columns.length,
      batch.candidates.flatMap((candidate) => (candidate.prepare ? [candidate.prepare] : [])),
    ),
  });
  // Why this backend (and why not the others, a driver's notes included): --verbose and the run record, not the terminal.
  for (const reason of choice.reasons) options.reporter.emit({ type: 'log', level: 'info', message: reason });
  return choice;
}

/** Resolves a candidate (with the batch's epochs) and records its run as started. */
function startCandidate(context: BatchContext, candidate: CandidateConfig): CandidateRun {
  const { batch } = context;
  const { project, store } = batch;
  const resolved = resolveCandidate(candidate, project.config.problem.task);
  const config =
    batch.epochs !== undefined && 'epochs' in resolved ? { ...resolved, epochs: batch.epochs } : resolved;
  const record = startRecord(project, store, batch.step, batch.session, {
    candidate: candidate.name,
    model: candidate.model,
    config,
    data: batch.data,
    foldHash: batch.foldHash,
  });
  const params = batch.params?.get(candidate.name);
  if (params) record.params = params;
  begin(store, record, context.options.reporter);
  return {
    candidate: config as CandidateConfig,
    record,
    curves: new FoldCurves(),
    predictions: batch.keepPredictions ? new Map<number, number[]>() : undefined,
    truth: batch.keepPredictions ? new Map<number, number[]>() : undefined,
    outOfFold: batch.keepOutOfFold ? new Map<number, FoldPredictions>() : undefined,
  };
}

/** Runs one candidate's folds as a group (a failed fold stops its other folds), then finishes its record. */
async function runCandidate(context: BatchContext, run: CandidateRun): Promise<void> {
  let failure: unknown;
  const tasks = context.batch.folds.map((fold) => foldTask(context, run, fold));
  const outcomes = await context.runner.group(tasks, async (task, index) => {
    const outcome = await runFold(context, run, task, context.batch.folds[index]);
    if (outcome.status === 'failed') failure ??= outcome.error;
    return outcome;
  });
  context.runner.flush();
  finishCandidate(
    context,
    run,
    failure,
    outcomes.some((outcome) => outcome.status === 'cancelled'),
  );
}

/** The task of one candidate on one fold. */
function foldTask(context: BatchContext, run: CandidateRun, fold: Fold): FoldTask {
  const { project, seedSalt, keepPredictions } = context.batch;
  return {
    taskId: `${run.record.id}/${fold.index}`,
    projectDir: project.dir,
    projectHash: project.hash,
    candidate: run.candidate,
    foldIndex: fold.index,
    trainRows: fold.train,
    validationRows: fold.validation,
    seed:
      seedSalt === undefined
        ? deriveSeed(projectSeed(project), fold.index)
        : deriveSeed(projectSeed(project), fold.index, 'repeat', seedSalt),
    maxEpochs: context.maxEpochs,
    returnPredictions: keepPredictions,
    returnOutOfFold: context.batch.keepOutOfFold,
    dataHash: context.batch.data.dataHash,
  };
}

/** Submits one fold, streams its epochs, records its result and reports the job's progress. */
async function runFold(
  context: BatchContext,
  run: CandidateRun,
  task: FoldTask,
  fold: Fold,
): Promise<TaskOutcome> {
  const { runner, maxEpochs, progress } = context;
  const { record } = run;
  const epochsPlanned = (run.candidate as { epochs?: number }).epochs ?? 0;
  runner.record(record.id, {
    type: 'fold/start',
    time: new Date().toISOString(),
    fold: fold.index,
    trainSize: fold.train.length,
    validationSize: fold.validation.length,
  });
  const listener = runner.epochListener({
    runId: record.id,
    candidate: record.candidate!,
    epochs: maxEpochs !== undefined ? Math.min(epochsPlanned, maxEpochs) : epochsPlanned,
    folds: context.batch.folds.length,
    onLogs: (foldIndex, epoch, logs) => run.curves.add(foldIndex, epoch, logs),
  });
  const outcome = await runner.pool.run(task, listener);
  progress.done += 1;
  if (outcome.status === 'done') recordFold(context, run, outcome.result);
  context.options.reporter.emit({
    type: 'job/progress',
    done: progress.done,
    total: progress.total,
    message: `${record.candidate} fold ${fold.index + 1}/${context.batch.folds.length}`,
  });
  return outcome;
}

/** A finished fold: its record in the run (in fold order), its predictions kept, its end in the events. */
function recordFold(context: BatchContext, run: CandidateRun, result: FoldTaskResult): void {
  const { record } = run;
  const foldRecord = foldRecordOf(result);
  if (result.predictions && run.predictions) run.predictions.set(foldRecord.index, result.predictions);
  if (result.truth && run.truth) run.truth.set(foldRecord.index, result.truth);
  if (result.outOfFold && run.outOfFold) run.outOfFold.set(foldRecord.index, result.outOfFold);
  record.folds.push(foldRecord);
  sortFolds(record.folds);
  if (record.backend.name === 'none' && context.runner.backend) record.backend = context.runner.backend;
  if (result.attempts !== undefined && result.attempts > 1) {
    context.runner.record(record.id, {
      type: 'log',
      time: new Date().toISOString(),
      level: 'warn',
      message: `Fold ${foldRecord.index + 1}: its worker stopped or died mid-fold; started again on another worker (attempt ${result.attempts}).`,
    });
  }
  context.runner.record(record.id, {
    type: 'fold/end',
    time: new Date().toISOString(),
    fold: foldRecord.index,
    score: result.score,
    metrics: result.metrics,
  });
  publish(context.batch.store, record, context.options.reporter);
}

/** The run record of a fold from what the worker reported: the one conversion. */
export function foldRecordOf(result: FoldTaskResult): FoldRecord {
  const {
    taskId: _taskId,
    foldIndex,
    predictions: _predictions,
    truth: _truth,
    outOfFold: _outOfFold,
    ...fields
  } = result;
  const record: FoldRecord = { index: foldIndex, ...fields };
  if (!record.confusion) delete record.confusion;
  if (!record.lastLogs) delete record.lastLogs;
  return record;
}

/** Ends a candidate's run: failed, cancelled or completed (with the learning-curve advice), and publishes it. */
function finishCandidate(
  context: BatchContext,
  run: CandidateRun,
  failure: unknown,
  cancelled: boolean,
): void {
  const { record } = run;
  const { project, data, store } = context.batch;
  if (record.backend.name === 'none' && context.runner.backend) record.backend = context.runner.backend;
  if (failure !== undefined) {
    finishRecord(record, failedStatus(failure), failure);
  } else {
    finishRecord(record, cancelled || context.options.signal?.aborted ? 'cancelled' : 'completed');
    const history = run.curves.mean();
    if (record.status === 'completed' && history.length > 0) {
      record.advice = adviseFromCurves(history, adviceOptions(project, data, run.candidate));
    }
    if (record.status === 'completed' && run.outOfFold) keepOutputs(context, run.outOfFold, record);
  }
  try {
    publish(store, record, context.options.reporter);
  } catch (error) {
    context.runner.failWrite(error);
  }
}

/**
 * Writes a completed run's out-of-fold predictions. They are an addition to its scores: when the file cannot be
 * written (a full disk), the run stays completed with its scores and without the file, and the job ends with
 * that one located error once its runs are recorded.
 */
function keepOutputs(
  context: BatchContext,
  outOfFold: ReadonlyMap<number, FoldPredictions>,
  record: RunRecord,
): void {
  try {
    keepOutOfFold(context.batch, record, outOfFold);
  } catch (error) {
    context.runner.failWrite(outputWriteError(error, record));
  }
}

/** A failed write of a run's output, with a hint that says the run's scores are kept. */
function outputWriteError(error: unknown, record: RunRecord): unknown {
  if (!(error instanceof TopdownError) || (error.code !== 'DISK_FULL' && error.code !== 'WRITE_FAILED'))
    return error;
  const fix =
    error.code === 'DISK_FULL'
      ? 'Free space on the disk that holds the project'
      : 'Check that the project folder is writable and its disk is healthy';
  return new TopdownError(error.code, error.message, {
    file: error.file,
    hint: `${fix}, then run \`topdown evaluate\` again to keep the predictions; the scores of "${record.candidate ?? record.id}" are kept in run ${record.id}.`,
  });
}
