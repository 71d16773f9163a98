/**
 * The seam between a step job and whatever runs its tasks. A job submits fold tasks (and step 5's final fits),
 * receives each task's epochs as they happen and its outcome once, and can cancel; it never knows whether the
 * tasks run on local worker processes (`WorkerPool`, the default) or elsewhere (a queue of remote workers).
 * `runner/jobs/task-runner.ts` wires a pool into a job (abort signal, backend and log events, event files).
 */
import type { ErrorInfo } from '../protocol/errors';
import type { BackendInfo, BackendName } from '../protocol/records';
import type { FinalTask, FinalTaskResult, FoldTask, FoldTaskResult } from '../protocol/runner';

/** Called for each epoch a task reports. */
export type EpochListener = (
  taskId: string,
  foldIndex: number,
  epoch: number,
  logs: Record<string, number>,
) => void;

/** How a fold task ended. */
export type TaskOutcome =
  | { status: 'done'; result: FoldTaskResult }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'cancelled' };

/** How a final fit (step 5) ended. */
export type FinalOutcome =
  | { status: 'done'; result: FinalTaskResult }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'cancelled' };

/** What a pool is created with. */
export interface PoolOptions {
  /** How many tasks run at once. */
  size: number;
  backend: BackendName | 'auto';
  projectDir: string;
  /** Called once, with the backend the first worker loaded. */
  onBackend?: (info: BackendInfo) => void;
  /** Worker log lines (their stderr). */
  onLog?: (line: string) => void;
}

/**
 * Runs tasks somewhere and answers with their outcomes. Every promise resolves (never rejects): a task that
 * cannot run is `failed`, one stopped by a cancel or by close() is `cancelled`.
 */
export interface TaskPool {
  /** The backend the workers loaded, once known. */
  readonly backend: BackendInfo | undefined;
  /** Submits a fold task; `onEpoch` hears each of its epochs. */
  run(task: FoldTask, onEpoch?: EpochListener): Promise<TaskOutcome>;
  /** Submits step 5's final fit; `onEpoch` hears each of its epochs. */
  runFinal(task: FinalTask, onEpoch?: EpochListener): Promise<FinalOutcome>;
  /** Cancels every queued and running task (running ones stop at their next batch). */
  cancelAll(): void;
  /** Cancels the queued and running tasks `predicate` picks. */
  cancelWhere(predicate: (task: FoldTask) => boolean): void;
  /** Cancels what is left and releases the workers. */
  close(): Promise<void>;
  /**
   * Set when the pool itself broke mid-job (a queue whose Redis was lost): its tasks failed with this error, and
   * the job stops with it once its runs are recorded.
   */
  readonly failure?: ErrorInfo;
}

/** Makes the pool a job runs on; `JobOptions.createPool` replaces the local one. */
export type PoolFactory = (options: PoolOptions) => TaskPool;
