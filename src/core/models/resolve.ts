/**
 * Candidate defaults. `resolveCandidate` fills in every hyperparameter a candidate leaves out, so a run
 * record stores exactly what was trained and the estimators read one complete config.
 */
import type { CandidateConfig, Task, TrainingParams } from '../config';

/** Training defaults per neural kind (Keras-like: Adam, batch 32). */
const TRAINING_DEFAULTS: Record<
  'linear' | 'mlp' | 'cnn' | 'lstm' | 'gru' | 'custom',
  Required<Omit<TrainingParams, 'earlyStopping' | 'forecast'>>
> = {
  linear: { epochs: 100, batchSize: 32, optimizer: 'adam', learningRate: 0.01, l2: 0 },
  mlp: { epochs: 100, batchSize: 32, optimizer: 'adam', learningRate: 0.001, l2: 0 },
  cnn: { epochs: 20, batchSize: 32, optimizer: 'adam', learningRate: 0.001, l2: 0 },
  lstm: { epochs: 50, batchSize: 32, optimizer: 'adam', learningRate: 0.001, l2: 0 },
  gru: { epochs: 50, batchSize: 32, optimizer: 'adam', learningRate: 0.001, l2: 0 },
  custom: { epochs: 50, batchSize: 32, optimizer: 'adam', learningRate: 0.001, l2: 0 },
};

/** Default share of the training part held out to watch for early stopping. */
export const EARLY_STOPPING_FRACTION = 0.1;

/** The candidates trained with TensorFlow.js. */
export type NeuralCandidate = Extract<CandidateConfig, { model: keyof typeof TRAINING_DEFAULTS }>;

/** Training settings with every default filled in. */
export type ResolvedTraining = Required<Omit<TrainingParams, 'earlyStopping' | 'forecast'>> &
  Pick<TrainingParams, 'earlyStopping' | 'forecast'>;

/** The training settings of a neural candidate, defaults filled in. */
export function resolveTraining(candidate: NeuralCandidate): ResolvedTraining {
  const { epochs, batchSize, optimizer, learningRate, l2, earlyStopping, forecast } = withTraining(candidate);
  return {
    epochs: epochs!,
    batchSize: batchSize!,
    optimizer: optimizer!,
    learningRate: learningRate!,
    l2: l2!,
    earlyStopping,
    forecast,
  };
}

/** Model kinds that read a time series window and may forecast the change over persistence. */
const FORECASTING_KINDS: ReadonlySet<CandidateConfig['model']> = new Set([
  'linear',
  'mlp',
  'lstm',
  'gru',
  'custom',
]);

/**
 * What a neural candidate forecasts on `task`: its `forecast` setting, else `change` for time series (residual
 * over persistence); undefined for other tasks and for kinds that do not forecast windows (cnn).
 */
export function forecastTarget(
  candidate: { model: CandidateConfig['model']; forecast?: TrainingParams['forecast'] },
  task: Task | undefined,
): TrainingParams['forecast'] {
  if (task !== 'time-series' || !FORECASTING_KINDS.has(candidate.model)) return undefined;
  return candidate.forecast ?? 'change';
}

function withTraining<T extends { model: keyof typeof TRAINING_DEFAULTS } & TrainingParams>(
  candidate: T,
  task?: Task,
): T {
  const defaults = TRAINING_DEFAULTS[candidate.model];
  const resolved: T = {
    ...candidate,
    epochs: candidate.epochs ?? defaults.epochs,
    batchSize: candidate.batchSize ?? defaults.batchSize,
    optimizer: candidate.optimizer ?? defaults.optimizer,
    learningRate: candidate.learningRate ?? defaults.learningRate,
    l2: candidate.l2 ?? defaults.l2,
  };
  if (candidate.earlyStopping) {
    resolved.earlyStopping = {
      patience: candidate.earlyStopping.patience,
      minDelta: candidate.earlyStopping.minDelta ?? 0,
      fraction: candidate.earlyStopping.fraction ?? EARLY_STOPPING_FRACTION,
    };
  }
  const forecast = forecastTarget(candidate, task);
  if (forecast) resolved.forecast = forecast;
  return resolved;
}

/**
 * The candidate with every default filled in (what run records store). Unknown keys are kept as given; the
 * candidate itself is not changed. With `task` `time-series`, linear, mlp, lstm, gru and custom candidates
 * also get `forecast` (default `change`); without a task it is left as given.
 */
export function resolveCandidate(candidate: CandidateConfig, task?: Task): CandidateConfig {
  switch (candidate.model) {
    case 'baseline':
      return { ...candidate };
    case 'linear':
      return withTraining(candidate, task);
    case 'mlp':
      return withTraining(
        {
          ...candidate,
          activation: candidate.activation ?? 'relu',
          dropout: candidate.dropout ?? 0,
          batchNorm: candidate.batchNorm ?? false,
        },
        task,
      );
    case 'cnn':
      return withTraining(
        {
          ...candidate,
          kernelSize: candidate.kernelSize ?? 3,
          dense: candidate.dense ?? [],
          dropout: candidate.dropout ?? 0,
        },
        task,
      );
    case 'lstm':
    case 'gru':
      return withTraining(
        { ...candidate, dropout: candidate.dropout ?? 0, dense: candidate.dense ?? [] },
        task,
      );
    case 'custom':
      return withTraining({ ...candidate, options: candidate.options ?? {} }, task);
    case 'knn':
      return { ...candidate, k: candidate.k ?? 5 };
    case 'decision-tree':
      return { ...candidate, maxDepth: candidate.maxDepth ?? 20, minSamples: candidate.minSamples ?? 3 };
    case 'random-forest':
      return {
        ...candidate,
        trees: candidate.trees ?? 50,
        maxFeatures: candidate.maxFeatures ?? 0.7,
        maxDepth: candidate.maxDepth ?? 20,
      };
    case 'naive-bayes':
      return { ...candidate };
  }
}
