/**
 * The candidates of topdown.json (`evaluate.candidates`): what a project declares, what run records store
 * resolved, and what a fold task carries to a worker. Here, not in core, so the runner protocol can name them;
 * `core/config.ts` re-exports them beside the rest of topdown.json's types. Type aliases (not interfaces), so a
 * candidate is also a plain `Record<string, unknown>` (a run record's `config`).
 */
import type { PrepareOp } from './prepare-ops';

/** Training settings shared by the neural-network candidates. */
export type TrainingParams = {
  epochs?: number;
  batchSize?: number;
  optimizer?: 'adam' | 'sgd' | 'rmsprop' | 'adagrad';
  learningRate?: number;
  /** Stop when the loss on a slice of the training part stops improving; restores the best weights. */
  earlyStopping?: { patience: number; minDelta?: number; fraction?: number };
  /** L2 weight penalty on dense/conv/recurrent kernels. */
  l2?: number;
  /**
   * Time series only: what the network learns to predict. `change` (the default for time series): the change
   * from the last observed value, added back when predicting (residual over persistence), so forecasts can
   * follow a trend beyond the range seen in training. `level`: the value itself.
   */
  forecast?: 'change' | 'level';
};

/** How an `embedding` candidate turns its token vectors into one vector per document. */
export type EmbeddingEncoder = 'average' | 'conv' | 'lstm' | 'gru';

/**
 * A candidate of topdown.json: a model of the zoo with its settings and, optionally, its own preparation
 * pipeline (scikit-learn's Pipeline per estimator).
 */
export type CandidateConfig = CandidateModel & {
  /**
   * This candidate's own preparation pipeline, in place of the project's `prepare` (an embedding network's
   * token ids beside TF-IDF candidates, say). The folds, the holdout and the baseline stay the project's.
   */
  prepare?: PrepareOp[];
};

/** A candidate model in the zoo (step 3). `name` is unique within the project. */
export type CandidateModel =
  | { name: string; model: 'baseline' }
  | ({ name: string; model: 'linear' } & TrainingParams)
  | ({
      name: string;
      model: 'mlp';
      layers: number[];
      activation?: 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu';
      dropout?: number;
      batchNorm?: boolean;
    } & TrainingParams)
  | ({
      name: string;
      model: 'cnn';
      /** Filters per conv block (each block: conv → relu → max-pool 2×2). */
      filters: number[];
      kernelSize?: number;
      dense?: number[];
      dropout?: number;
    } & TrainingParams)
  | ({
      name: string;
      model: 'lstm' | 'gru';
      units: number[];
      dropout?: number;
      dense?: number[];
    } & TrainingParams)
  | ({
      name: string;
      model: 'embedding';
      /** Values per token. Default 32. */
      embeddingDim?: number;
      /**
       * How the token vectors become one vector per document: `average` (global average pooling, the default),
       * `conv` (Conv1D with ReLU, then global max pooling), `lstm` or `gru` (the state after reading the document,
       * from its last token back to its first).
       */
      encoder?: EmbeddingEncoder;
      /** Conv1D filters (encoder `conv`). Default 64. */
      filters?: number;
      /** Conv1D window, in tokens (encoder `conv`). Default 5. */
      kernelSize?: number;
      /** LSTM or GRU units (encoder `lstm` or `gru`). Default 32. */
      units?: number;
      /** Units of the dense layers after the encoder. Default none. */
      dense?: number[];
      dropout?: number;
    } & TrainingParams)
  | { name: string; model: 'knn'; k?: number }
  | { name: string; model: 'decision-tree'; maxDepth?: number; minSamples?: number }
  | { name: string; model: 'random-forest'; trees?: number; maxFeatures?: number; maxDepth?: number }
  | { name: string; model: 'naive-bayes' }
  | {
      name: string;
      model: 'logistic';
      /** Inverse of the L2 penalty's strength, as scikit-learn's C. Default 1. */
      C?: number;
      maxIterations?: number;
    }
  | { name: string; model: 'multinomial-nb'; /** Additive smoothing. Default 1. */ alpha?: number }
  | ({
      name: string;
      model: 'custom';
      /** JS module (relative to the project) exporting `build(tf, { inputShape, outputUnits, task, options })`. */
      module: string;
      /** Passed to build() as `options`. */
      options?: Record<string, unknown>;
      /** Loss override; default follows the task. */
      loss?: string;
    } & TrainingParams);

/** The model kinds of the zoo. */
export type ModelKind = CandidateModel['model'];
