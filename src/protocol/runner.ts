/**
 * Messages between a job's orchestrator (the `topdown` process) and its worker child processes
 * (`dist/worker.js`, one per pool slot). Workers never write the run store; the orchestrator does.
 */
import type { ErrorInfo } from './errors';
import type { BackendInfo, BackendName } from './records';

/** Bumped whenever a message below changes shape. */
export const RUNNER_PROTOCOL_VERSION = 1;

/** A unit of work: one candidate on one fold. */
export interface FoldTask {
  taskId: string;
  /** Absolute project folder. */
  projectDir: string;
  /** Candidate name in topdown.json evaluate.candidates (or a resolved config from improve/present). */
  candidate: Record<string, unknown> & { name: string; model: string };
  foldIndex: number;
  /** Row indices (into the data after the holdout is removed) for training and validation. */
  trainRows: number[];
  validationRows: number[];
  seed: number;
  /** When set, cap epochs (quick mode). */
  maxEpochs?: number;
  /** Return validation predictions in the result (for ensembles and reports). */
  returnPredictions?: boolean;
}

/** What a worker reports for a finished fold. */
export interface FoldTaskResult {
  taskId: string;
  foldIndex: number;
  score: number;
  metrics: Record<string, number>;
  confusion?: number[][];
  trainSize: number;
  validationSize: number;
  epochs: number;
  durationMs: number;
  lastLogs?: Record<string, number>;
  /** Validation predictions, row-major [validationSize, outputs], when asked for. */
  predictions?: number[];
}

/** Orchestrator → worker. */
export type ToWorker =
  /** Run one fold task; the worker answers task/epoch* then task/done|task/failed|task/cancelled. */
  | { type: 'task/run'; task: FoldTask }
  /** Stop the running task at the next batch boundary. */
  | { type: 'task/cancel'; taskId: string }
  /** Finish and exit. */
  | { type: 'shutdown' };

/** Worker → orchestrator. */
export type FromWorker =
  /** First message after start: protocol version and the backend it loaded. */
  | { type: 'hello'; protocolVersion: number; backend: BackendInfo; pid: number }
  /** The worker cannot start (e.g. a forced backend is unavailable); it exits after this. */
  | { type: 'fatal'; error: ErrorInfo }
  /** One per epoch of a neural model, Keras-shaped logs. */
  | { type: 'task/epoch'; taskId: string; foldIndex: number; epoch: number; logs: Record<string, number> }
  /** The fold finished. */
  | { type: 'task/done'; result: FoldTaskResult }
  /** The fold failed with a person-readable error. */
  | { type: 'task/failed'; taskId: string; foldIndex: number; error: ErrorInfo }
  /** The fold stopped because it was cancelled. */
  | { type: 'task/cancelled'; taskId: string; foldIndex: number };

/** Options a worker is started with (argv JSON). */
export interface WorkerOptions {
  backend: BackendName | 'auto';
  /** Project folder: tfjs-node is resolved from it first. */
  projectDir?: string;
}
