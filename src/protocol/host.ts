/**
 * Messages from a `topdown` job process to the VS Code host (over the Node IPC channel when the host forks
 * `dist/cli.js <step> --ipc`). The host renders them in the Runs view, status bar and panels.
 */
import type { ErrorInfo } from './errors';
import type { BackendInfo, RunRecord, StepName } from './records';

/** Bumped whenever a message below changes shape. */
export const HOST_PROTOCOL_VERSION = 1;

/** Job → host. */
export type JobEvent =
  /** First message: versions and the job's step. */
  | { type: 'hello'; protocolVersion: number; step: StepName | 'all'; projectDir: string; pid: number }
  /** The backend the pool's workers loaded (once the first worker says hello). */
  | { type: 'job/backend'; backend: BackendInfo }
  /** A run record was created or changed (status, folds, summary). */
  | { type: 'run/updated'; run: RunRecord }
  /** One epoch of one fold of one run. */
  | {
      type: 'run/epoch';
      runId: string;
      candidate: string;
      fold: number;
      epoch: number;
      epochs: number;
      /** Folds the run trains (absent: not known, e.g. step 5's single fit). */
      folds?: number;
      logs: Record<string, number>;
    }
  /** Progress of the whole job, for the progress notification. */
  | { type: 'job/progress'; done: number; total: number; message: string }
  /** A log line (also written to stderr). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** The job ended; `result` is what `--json` prints. */
  | { type: 'job/completed'; result: Record<string, unknown> }
  | { type: 'job/failed'; error: ErrorInfo }
  | { type: 'job/cancelled' };

/** Host → job. */
export type JobCommand =
  /** Cancel every running fold; the job records runs as cancelled and exits. */
  { type: 'job/cancel' };
