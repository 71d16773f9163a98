/**
 * What the TensorFlow.js kinds share: the training hyperparameters (Keras-like defaults: Adam, batch 32) and
 * how a candidate's early stopping and time-series forecast target are resolved.
 */
import type { ModelKind, Task } from '../../config';
import { NeuralEstimator, type ModelBuilder } from '../neural';
import { EARLY_STOPPING_FRACTION, type NeuralCandidate } from '../resolve';
import {
  MAX_EPOCHS,
  MAX_LAYER_UNITS,
  positiveInteger,
  rate,
  type Candidate,
  type ModelSpec,
  type ParameterSpec,
} from './spec';

/** The defaults that differ between network kinds. */
export interface TrainingDefaults {
  epochs: number;
  /** Absent: the kind fills it in from another parameter (`embedding`: from its encoder). */
  learningRate?: number;
}

/** The training hyperparameters of a network kind, with its defaults. */
export function trainingParameters(defaults: TrainingDefaults): Record<string, ParameterSpec> {
  return {
    epochs: { type: { kind: 'integer', min: 1, max: MAX_EPOCHS }, default: defaults.epochs },
    batchSize: { type: positiveInteger, default: 32 },
    optimizer: { type: { kind: 'enum', values: ['adam', 'sgd', 'rmsprop', 'adagrad'] }, default: 'adam' },
    learningRate: { type: { kind: 'number', min: 0, minExclusive: true }, default: defaults.learningRate },
    earlyStopping: { type: { kind: 'any' } },
    l2: { type: { kind: 'number', min: 0 }, default: 0 },
  };
}

/** Networks that read a time series window may forecast the change over persistence or the level. */
export const forecastParameter: Record<string, ParameterSpec> = {
  forecast: { type: { kind: 'enum', values: ['change', 'level'] } },
};

/** Dropout after hidden layers. */
export const dropoutParameter: ParameterSpec = { type: rate, default: 0 };

/** Units of the dense layers before the output layer (none by default). */
export const denseParameter: ParameterSpec = {
  type: { kind: 'integer-list', minLength: 0, max: MAX_LAYER_UNITS },
  default: [],
};

/**
 * Early stopping with its defaults filled in, and for kinds with a `forecast` parameter on a time series, the
 * forecast target (default `change`: the residual over persistence). Without a task, `forecast` stays as given.
 */
export function resolveNetwork<C extends NeuralCandidate>(
  candidate: C,
  task: Task | undefined,
  parameters: Readonly<Record<string, ParameterSpec>>,
): C {
  const resolved: C = { ...candidate };
  if (candidate.earlyStopping) {
    resolved.earlyStopping = {
      patience: candidate.earlyStopping.patience,
      minDelta: candidate.earlyStopping.minDelta ?? 0,
      fraction: candidate.earlyStopping.fraction ?? EARLY_STOPPING_FRACTION,
    };
  }
  if (task === 'time-series' && 'forecast' in parameters) resolved.forecast = candidate.forecast ?? 'change';
  return resolved;
}

/** What differs between network kinds: name, summary, parameters, tasks, and the builder of the tfjs model. */
export interface NetworkKind<K extends ModelKind, Resolved> {
  kind: K;
  summary: string;
  parameters: Record<string, ParameterSpec>;
  tasks?: ModelSpec<K>['tasks'];
  needsWindow?: boolean;
  sparseInput?: boolean;
  check?: ModelSpec<K>['check'];
  /** What resolving adds after resolveNetwork (defaults that depend on another parameter). */
  refine?: (candidate: Candidate<K>) => Candidate<K>;
  builder: (candidate: Resolved) => ModelBuilder;
}

/** The spec of a kind trained with TensorFlow.js: resolved with resolveNetwork, saved as a tfjs network. */
export function networkSpec<K extends ModelKind, Resolved extends NeuralCandidate>(
  network: NetworkKind<K, Resolved>,
): ModelSpec<K, Resolved> {
  const { builder, parameters, refine, ...rest } = network;
  return {
    ...rest,
    parameters,
    tensorflow: true,
    resolve: (candidate, task) => {
      const resolved = resolveNetwork(candidate as NeuralCandidate, task, parameters) as typeof candidate;
      return refine ? refine(resolved) : resolved;
    },
    create: (candidate, context) => new NeuralEstimator(candidate, context, builder(candidate)),
    saving: { format: 'network' },
  };
}
