/**
 * Messages between a job's orchestrator (the `topdown` process) and its worker child processes
 * (`dist/worker.js`, one per pool slot). Workers never write the run store; the orchestrator does.
 */
import type { CandidateConfig } from './candidates';
import type { ErrorInfo } from './errors';
import type { FoldPredictions } from './out-of-fold';
import type { BackendInfo, BackendName, FoldRecord } from './records';

/** Bumped whenever a message below changes shape. */
export const RUNNER_PROTOCOL_VERSION = 3;

/** A unit of work: one candidate on one fold. */
export interface FoldTask {
  taskId: string;
  /** Absolute project folder. */
  projectDir: string;
  /** SHA-256 of the topdown.json the orchestrator validated; the worker skips validating that same text. */
  projectHash?: string;
  /** The candidate, resolved (defaults filled in; a trial's or a final fit's configuration). */
  candidate: CandidateConfig;
  foldIndex: number;
  /** Row indices (into the data after the holdout is removed) for training and validation. */
  trainRows: number[];
  validationRows: number[];
  seed: number;
  /** When set, cap epochs (quick mode). */
  maxEpochs?: number;
  /** Return validation predictions in the result (for ensembles and reports). */
  returnPredictions?: boolean;
  /** Return the validation predictions in their compact out-of-fold form (step 3 keeps them in the run folder). */
  returnOutOfFold?: boolean;
  /**
   * SHA-256 of the data the orchestrator loaded (the run's `dataHash`); a worker whose data hashes otherwise
   * fails the task with DATA_CHANGED instead of training on other data.
   */
  dataHash?: string;
}

/**
 * What a worker reports for a finished fold: the fold's record (under the task's `foldIndex` instead of `index`),
 * plus what only the orchestrator reads. `foldRecordOf` in the runner is the one conversion.
 */
export interface FoldTaskResult extends Omit<FoldRecord, 'index'> {
  taskId: string;
  foldIndex: number;
  /** Validation predictions, row-major [validationSize, outputs], when asked for (target units). */
  predictions?: number[];
  /** Validation truth in the same layout and units as `y` after inverse scaling, when predictions are asked for. */
  truth?: number[];
  /** The compact validation predictions, when asked for (`returnOutOfFold`). */
  outOfFold?: FoldPredictions;
  /** Queue only: how many times the task was started (more than 1 after its worker died mid-task). */
  attempts?: number;
}

/**
 * Step 5's final fit: the candidate refitted on every sample outside the holdout (`trainRows`), scored once
 * on the holdout (`validationRows`, empty when the project reserves none), its fitted model and pipeline
 * written to `outputDir`.
 */
export interface FinalTask extends FoldTask {
  /** Folder (it exists) where the worker writes the model files and `pipeline.json`. */
  outputDir: string;
}

/** What a worker reports for a finished final fit. */
export interface FinalTaskResult {
  taskId: string;
  trainSize: number;
  epochs: number;
  durationMs: number;
  lastLogs?: Record<string, number>;
  /** Files written to outputDir (names relative to it). */
  files: string[];
  /** Names of the last feature dimension the model reads. */
  featureNames: string[];
  /** Classification: class labels, index i is class i. */
  classes?: string[];
  /** Shape of one sample, as the model reads it. */
  inputShape: number[];
  /** Model outputs per sample: classes, horizon or 1. */
  outputUnits: number;
  /** The holdout evaluation; absent when validationRows was empty. */
  holdout?: {
    score: number;
    metrics: Record<string, number>;
    confusion?: number[][];
    size: number;
    /** 0-based table row of each holdout sample (for time series: its first target row). */
    rows: number[];
    /** Predictions row-major [size, outputUnits]: probabilities, or values in target units. */
    predictions: number[];
    /** Truth: class index per sample, or values [size, outputs] in target units. */
    truth: number[];
    /** The task's baseline (majority class, mean, persistence) fitted on the same rows, on the same holdout. */
    baseline?: { score: number; metrics: Record<string, number> };
    /** Time series: the baseline's (persistence) forecasts, like `predictions`, to draw beside the model's. */
    baselinePredictions?: number[];
  };
}

/** Orchestrator → worker. */
export type ToWorker =
  /** Run one fold task; the worker answers task/epoch* then task/done|task/failed|task/cancelled. */
  | { type: 'task/run'; task: FoldTask }
  /** Run a final fit (step 5); the worker answers task/epoch* then final/done|task/failed|task/cancelled. */
  | { type: 'final/run'; task: FinalTask }
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
  /** The final fit finished and its model and pipeline are saved in the task's outputDir. */
  | { type: 'final/done'; result: FinalTaskResult }
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
