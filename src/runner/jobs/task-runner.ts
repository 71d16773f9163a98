/**
 * The one task runner every training step uses (steps 3, 4 and 5). It owns a TaskPool for the job's duration
 * (the local WorkerPool unless `JobOptions.createPool` supplies another), cancels it when the job's signal
 * aborts, reports the backend and the workers' log lines, buffers each run's events for `events.jsonl`, turns a
 * task's epochs into `run/epoch` events, and runs a group of tasks so that the first one that fails stops the
 * rest of its group.
 */
import { TopdownError } from '../../core/errors';
import type { RunStore } from '../../core/runs/store';
import type { BackendInfo, BackendName, RunEvent } from '../../protocol/records';
import type { FoldTask } from '../../protocol/runner';
import { WorkerPool } from '../pool';
import type { Reporter } from '../reporter';
import type { EpochListener, PoolOptions, TaskPool } from '../task-pool';
import type { JobOptions } from './common';

/** Flushes buffered epoch events every this many ms (keeps file writes off the hot path). */
const EVENT_FLUSH_MS = 500;

/** What a job's pool is made of. */
export interface TaskRunnerSetup {
  store: RunStore;
  projectDir: string;
  backend: BackendName | 'auto';
  /** Tasks at once. */
  size: number;
  /** What the job records and reports as its backend, from what the first worker loaded (e.g. with probe reasons). */
  describeBackend?: (info: BackendInfo) => BackendInfo;
}

/** Where a task's epochs go: which run, under which candidate and fold, out of how many epochs. */
export interface EpochTarget {
  runId: string;
  candidate: string;
  /** Planned epochs, for the progress of `run/epoch`. */
  epochs: number;
  /** Folds the run trains, for the progress of `run/epoch`. */
  folds?: number;
  /** The fold the epochs are reported under, instead of the task's own (an ensemble member's index). */
  fold?: number;
  /** Also hears each epoch (after it is recorded, before it is reported). */
  onLogs?: (fold: number, epoch: number, logs: Record<string, number>) => void;
}

/** A job's view of its pool: submit through `pool`, record events here, group tasks that stand or fall together. */
export class TaskRunner {
  /** The backend as the job records it, once the first worker said which it loaded. */
  backend?: BackendInfo;
  private readonly pending = new Map<string, RunEvent[]>();
  /** The first failed event write (DISK_FULL or WRITE_FAILED); the job ends with it. */
  private writeFailure: unknown;

  constructor(
    readonly pool: TaskPool,
    private readonly store: RunStore,
    private readonly reporter: Reporter,
  ) {}

  /** Queues one event of a run for its `events.jsonl`. */
  record(runId: string, event: RunEvent): void {
    const events = this.pending.get(runId);
    if (events) events.push(event);
    else this.pending.set(runId, [event]);
  }

  /**
   * Writes every queued event. It never throws (it runs from a timer): the first write that fails (a full disk)
   * is kept, every task is cancelled, and withTaskRunner throws it when the job's body has ended.
   */
  flush(): void {
    if (this.writeFailure !== undefined) return;
    try {
      for (const [runId, events] of this.pending)
        if (events.length > 0) this.store.appendEvents(runId, events.splice(0));
    } catch (error) {
      this.failWrite(error);
    }
  }

  /**
   * Ends the job on a failed write (a full disk): the first failure is kept, every task is cancelled (its run
   * ends as cancelled, with what it recorded), and withTaskRunner throws it when the job's body has ended.
   */
  failWrite(error: unknown): void {
    if (this.writeFailure !== undefined) return;
    this.writeFailure = error;
    this.pool.cancelAll();
  }

  /** Throws the write failure flush() kept, if any. */
  throwIfWriteFailed(): void {
    if (this.writeFailure !== undefined) throw this.writeFailure;
  }

  /** A listener that records each epoch in the run's events and reports it as `run/epoch`. */
  epochListener(target: EpochTarget): EpochListener {
    return (_taskId, taskFold, epoch, logs) => {
      const fold = target.fold ?? taskFold;
      this.record(target.runId, { type: 'epoch', time: new Date().toISOString(), fold, epoch, logs });
      target.onLogs?.(fold, epoch, logs);
      this.reporter.emit({
        type: 'run/epoch',
        runId: target.runId,
        candidate: target.candidate,
        fold,
        epoch,
        epochs: target.epochs,
        ...(target.folds !== undefined && { folds: target.folds }),
        logs,
      });
    };
  }

  /**
   * Starts every task of a group with `start` (which submits it to the pool) and waits for all of them; the
   * first task that fails or is cancelled cancels the others of its group, whose work could no longer count.
   */
  async group<Task extends FoldTask, Outcome extends { status: string }>(
    tasks: readonly Task[],
    start: (task: Task, index: number) => Promise<Outcome>,
  ): Promise<Outcome[]> {
    const ids = new Set(tasks.map((task) => task.taskId));
    let stopped = false;
    return Promise.all(
      tasks.map(async (task, index) => {
        const outcome = await start(task, index);
        if (outcome.status !== 'done' && !stopped) {
          stopped = true;
          this.pool.cancelWhere((other) => ids.has(other.taskId));
        }
        return outcome;
      }),
    );
  }
}

/** The local pool of worker processes. */
function localPool(options: PoolOptions): TaskPool {
  return new WorkerPool(options);
}

/**
 * Runs `body` with a task runner over a fresh pool, and always ends with the events written, the abort listener
 * removed and the pool closed. When an event write failed (a full disk), that error (DISK_FULL or WRITE_FAILED)
 * is what the job throws, unless `body` threw first.
 */
export async function withTaskRunner<T>(
  setup: TaskRunnerSetup,
  options: JobOptions,
  body: (runner: TaskRunner) => Promise<T>,
): Promise<T> {
  const { reporter } = options;
  const pool = (options.createPool ?? localPool)({
    size: setup.size,
    backend: setup.backend,
    projectDir: setup.projectDir,
    onBackend: (info) => {
      runner.backend = setup.describeBackend ? setup.describeBackend(info) : info;
      reporter.emit({ type: 'job/backend', backend: runner.backend });
    },
    // Worker stderr is drivers' and libraries' chatter (Dawn's Vulkan notes): --verbose shows it; a crash quotes it.
    onLog: (line) => reporter.emit({ type: 'log', level: 'info', message: `worker: ${line}` }),
  });
  const runner = new TaskRunner(pool, setup.store, reporter);
  const flushTimer = setInterval(() => runner.flush(), EVENT_FLUSH_MS);
  const onAbort = (): void => pool.cancelAll();
  options.signal?.addEventListener('abort', onAbort);
  let result: T;
  try {
    result = await body(runner);
  } finally {
    clearInterval(flushTimer);
    runner.flush();
    options.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
  // An event file that could not be written fails the job, even when its tasks ended as cancelled.
  runner.throwIfWriteFailed();
  // So does a pool that broke mid-job (the queue's Redis lost), once its runs are recorded as interrupted.
  if (pool.failure) throw new TopdownError(pool.failure.code, pool.failure.message, pool.failure);
  return result;
}
