/**
 * The model zoo's contract, shaped like scikit-learn estimators with Keras-style callbacks. Neural models get
 * the tfjs module passed in (`ModelContext.tf`), so the same code runs on tfjs-node, wasm, webgpu or cpu.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { CandidateConfig, Task } from '../config';
import type { Dataset } from '../dataset';

/** The TensorFlow.js module as loaded by the runner (any backend). */
export type TF = typeof tfTypes;

/** Plain JSON values, for params and logs stored in run records. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A plain JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Per-epoch logs, Keras-shaped: `loss`, `acc`/metric, and the same with a `val_` prefix. */
export type EpochLogs = Record<string, number>;

/** Keras-shaped training callbacks. */
export interface TrainingCallbacks {
  /** After each epoch (0-based), with train and `val_` logs. */
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
}

/** What a model needs to know about the problem to build itself. */
export interface ModelContext {
  task: Task;
  /** Shape of one sample (without the batch axis). */
  inputShape: number[];
  /** Classes (classification) or horizon (time series) or 1 (regression). */
  outputUnits: number;
  classes?: string[];
  seed: number;
  /** Token ids of the `sequences` features (0 to tokenIds - 1): an embedding model's input dimension. */
  tokenIds?: number;
  /** The tfjs module; undefined for classic models run without tfjs. */
  tf?: TF;
  /** Project folder, for custom model modules. */
  projectDir: string;
}

/** Options for one fit. */
export interface FitOptions {
  /** Shown in `val_` logs (learning curves); never used to make training decisions. */
  validation?: Dataset;
  callbacks?: TrainingCallbacks;
  /** Polled at batch boundaries; when it returns true training stops and fit resolves early. */
  shouldStop?: () => boolean;
}

/** What fit returns. */
export interface FitResult {
  /** Per-epoch logs (empty for classic models). */
  history: EpochLogs[];
  /** True when stopped by shouldStop. */
  stopped: boolean;
}

/** One model of the zoo, fitted on a Dataset. */
export interface Estimator {
  /** The zoo kind, e.g. `mlp`. */
  readonly kind: CandidateConfig['model'];
  /** Hyperparameters as plain JSON, with defaults filled in (stored in run records). */
  getParams(): JsonObject;
  fit(train: Dataset, options?: FitOptions): Promise<FitResult>;
  /**
   * Predictions, row-major. Classification: probabilities [n, classes] (rows sum to 1). Regression: [n, 1].
   * Time series: [n, horizon]. Values are in target units (no scaling applied to targets).
   */
  predict(data: Dataset): Promise<Float32Array>;
  /** Frees tensors. Safe to call twice. */
  dispose(): void;
}
