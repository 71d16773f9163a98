/**
 * Runs a set of candidates on the same folds through the worker pool, recording each candidate as one run:
 * epochs stream to `events.jsonl` and to the host, fold scores land in `run.json` as they finish. Shared by
 * step 3 (evaluate) and step 4 (improve: trials are candidates too).
 */
import { resolveMetric, type CandidateConfig } from '../../core/config';
import { adviseFromCurves, type AdviceOptions } from '../../core/improve/advisor';
import { higherIsBetter } from '../../core/metrics';
import type { EpochLogs } from '../../core/models/types';
import type { Fold } from '../../core/folds';
import { resolveCandidate } from '../../core/models/zoo';
import type { Project } from '../../core/project';
import { deriveSeed } from '../../core/random';
import { projectSeed, type ProjectData } from '../../core/steps/data';
import type { RunStore } from '../../core/runs/store';
import type { BackendInfo, FoldRecord, RunEvent, RunRecord } from '../../protocol/records';
import type { FoldTask } from '../../protocol/runner';
import { chooseBackend, probeShapeKey, withProbe, type BackendChoice } from '../backend-probe';
import { WorkerPool, defaultPoolSize } from '../pool';
import { RemotePool } from '../queue/remote-pool';
import { TopdownError } from '../../core/errors';
import {
  begin,
  coreCount,
  finishRecord,
  publish,
  QUICK,
  sortFolds,
  startRecord,
  type JobOptions,
} from './common';

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
  /** Override epochs of every trained candidate (successive halving rungs). */
  epochs?: number;
  /** Mixed into every fold's seed: repeats of the same configuration with other seeds (run-to-run noise). */
  seedSalt?: number;
  /** Tuned parameters per candidate name (trials), stored in their run records. */
  params?: Map<string, Record<string, unknown>>;
}

/** Flushes buffered epoch events every this many ms (keeps file writes off the hot path). */
const EVENT_FLUSH_MS = 500;

/** Runs every candidate on every fold; never throws for a candidate's failure (it is recorded instead). */
export async function runCandidates(batch: CandidateBatch, options: JobOptions): Promise<CandidateRun[]> {
  const { project, data, folds, store, reporter } = { ...batch, reporter: options.reporter };
  const backendHolder: { info?: BackendInfo } = {};
  // `auto` measures the job's models on each backend worth trying before the workers start (cached per shape).
  let choice: BackendChoice | undefined;
  if (options.backend === 'auto' && folds.length > 0 && !options.queue) {
    choice = await chooseBackend({
      projectDir: project.dir,
      candidates: batch.candidates.map((candidate) => resolveCandidate(candidate)),
      trainRows: folds[0].train,
      validationRows: folds[0].validation,
      seed: deriveSeed(projectSeed(project), folds[0].index),
      folds: folds.length,
      maxEpochs: batch.epochs ?? (options.quick ? QUICK.epochs : undefined),
      workers: options.workers,
      shapeKey: probeShapeKey(project.config, data.table.columns.length),
    });
    if (choice.probeMs > 0) reporter.emit({ type: 'log', level: 'info', message: choice.reasons.at(-1)! });
  }
  const backend = choice && choice.backend !== 'auto' ? choice.backend : options.backend;
  const pending = new Map<string, RunEvent[]>();
  const poolOptions = {
    onBackend: (info: BackendInfo) => {
      backendHolder.info = withProbe(info, choice);
      reporter.emit({ type: 'job/backend', backend: backendHolder.info });
    },
    onLog: (line: string) => reporter.emit({ type: 'log', level: 'warn', message: line }),
  };
  const pool = options.queue
    ? await RemotePool.open({
        ...options.queue,
        ...poolOptions,
        project,
        onRetry: (taskId, attempt) => {
          const runId = taskId.slice(0, taskId.lastIndexOf('/'));
          pending.get(runId)?.push({
            type: 'log',
            time: new Date().toISOString(),
            level: 'warn',
            message: `Fold ${Number(taskId.slice(taskId.lastIndexOf('/') + 1)) + 1}: its worker stopped answering; started again on another worker (attempt ${attempt}).`,
          });
        },
      })
    : new WorkerPool({
        ...poolOptions,
        size: options.workers ?? defaultPoolSize(backend, coreCount()),
        backend,
        projectDir: project.dir,
      });
  const onAbort = (): void => pool.cancelAll();
  options.signal?.addEventListener('abort', onAbort);

  const flush = (): void => {
    for (const [runId, events] of pending) if (events.length > 0) store.appendEvents(runId, events.splice(0));
  };
  const flushTimer = setInterval(flush, EVENT_FLUSH_MS);

  const total = batch.candidates.length * folds.length;
  let done = 0;
  const maxEpochs = options.quick ? QUICK.epochs : undefined;

  try {
    const runs = batch.candidates.map((candidate) => {
      const resolved = resolveCandidate(candidate, project.config.problem.task);
      const config =
        batch.epochs !== undefined && 'epochs' in resolved ? { ...resolved, epochs: batch.epochs } : resolved;
      const record = startRecord(project, store, batch.step, batch.session, {
        candidate: candidate.name,
        model: candidate.model,
        config: config as unknown as Record<string, unknown>,
        data,
        foldHash: batch.foldHash,
      });
      const params = batch.params?.get(candidate.name);
      if (params) record.params = params;
      begin(store, record, reporter);
      pending.set(record.id, []);
      const run: CandidateRun = {
        candidate: config as CandidateConfig,
        record,
        curves: new FoldCurves(),
        predictions: batch.keepPredictions ? new Map<number, number[]>() : undefined,
        truth: batch.keepPredictions ? new Map<number, number[]>() : undefined,
      };
      return run;
    });

    await Promise.all(
      runs.map(async (run) => {
        const { record } = run;
        const epochsPlanned = (run.candidate as { epochs?: number }).epochs ?? 0;
        let failure: unknown;
        let cancelled = false;
        await Promise.all(
          folds.map(async (fold) => {
            const task: FoldTask = {
              taskId: `${record.id}/${fold.index}`,
              projectDir: project.dir,
              projectHash: project.hash,
              candidate: run.candidate as unknown as FoldTask['candidate'],
              foldIndex: fold.index,
              trainRows: fold.train,
              validationRows: fold.validation,
              seed:
                batch.seedSalt === undefined
                  ? deriveSeed(projectSeed(project), fold.index)
                  : deriveSeed(projectSeed(project), fold.index, 'repeat', batch.seedSalt),
              maxEpochs,
              returnPredictions: batch.keepPredictions,
            };
            pending.get(record.id)!.push({
              type: 'fold/start',
              time: new Date().toISOString(),
              fold: fold.index,
              trainSize: fold.train.length,
              validationSize: fold.validation.length,
            });
            const outcome = await pool.run(task, (_taskId, foldIndex, epoch, logs) => {
              pending
                .get(record.id)!
                .push({ type: 'epoch', time: new Date().toISOString(), fold: foldIndex, epoch, logs });
              run.curves.add(foldIndex, epoch, logs);
              reporter.emit({
                type: 'run/epoch',
                runId: record.id,
                candidate: record.candidate!,
                fold: foldIndex,
                epoch,
                epochs: maxEpochs !== undefined ? Math.min(epochsPlanned, maxEpochs) : epochsPlanned,
                logs,
              });
            });
            done += 1;
            if (outcome.status === 'done') {
              const result = outcome.result;
              const foldRecord: FoldRecord = {
                index: fold.index,
                score: result.score,
                metrics: result.metrics,
                trainSize: result.trainSize,
                validationSize: result.validationSize,
                epochs: result.epochs,
                durationMs: result.durationMs,
              };
              if (result.confusion) foldRecord.confusion = result.confusion;
              if (result.attempts !== undefined) foldRecord.attempts = result.attempts;
              if (result.lastLogs) foldRecord.lastLogs = result.lastLogs;
              if (result.predictions && run.predictions) run.predictions.set(fold.index, result.predictions);
              if (result.truth && run.truth) run.truth.set(fold.index, result.truth);
              record.folds.push(foldRecord);
              sortFolds(record.folds);
              if (record.backend.name === 'none' && backendHolder.info) record.backend = backendHolder.info;
              pending.get(record.id)!.push({
                type: 'fold/end',
                time: new Date().toISOString(),
                fold: fold.index,
                score: result.score,
                metrics: result.metrics,
              });
              publish(store, record, reporter);
            } else if (outcome.status === 'failed') {
              if (failure === undefined) {
                failure = outcome.error;
                // One fold failed: the candidate cannot be scored; stop its other folds, keep the others going.
                pool.cancelWhere((other) => other.taskId.startsWith(`${record.id}/`));
              }
            } else {
              cancelled = true;
            }
            reporter.emit({
              type: 'job/progress',
              done,
              total,
              message: `${record.candidate} fold ${fold.index + 1}/${folds.length}`,
            });
          }),
        );
        flush();
        if (record.backend.name === 'none' && backendHolder.info) record.backend = backendHolder.info;
        if (failure !== undefined) {
          // Redis lost mid-job: the run did not fail, it was cut off, like a run whose process died.
          const lost = (failure as { code?: string }).code === 'QUEUE_LOST';
          finishRecord(record, lost ? 'interrupted' : 'failed', failure);
        } else {
          finishRecord(record, cancelled || options.signal?.aborted ? 'cancelled' : 'completed');
          const history = run.curves.mean();
          if (record.status === 'completed' && history.length > 0) {
            record.advice = adviseFromCurves(history, adviceOptions(project, data, run.candidate));
          }
        }
        publish(store, record, reporter);
      }),
    );
    if (pool instanceof RemotePool && pool.lostError) throw new TopdownError(pool.lostError.code, pool.lostError.message, pool.lostError);
    return runs;
  } finally {
    clearInterval(flushTimer);
    flush();
    options.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}
