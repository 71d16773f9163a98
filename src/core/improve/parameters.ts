/**
 * Which hyperparameters each model kind of the zoo can tune, and the values each accepts. Search spaces are
 * checked against this table, so a typo or an impossible range fails before any training starts.
 */
import type { ModelKind } from '../config';
import type { JsonValue } from '../models/types';

/** The type and limits of one tunable parameter. */
export type ParameterType =
  | { kind: 'integer'; min: number }
  | { kind: 'number'; min: number; minExclusive?: boolean; max?: number; maxExclusive?: boolean }
  | { kind: 'integer-list'; minLength: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'any' };

const positiveInteger: ParameterType = { kind: 'integer', min: 1 };
const layerList: ParameterType = { kind: 'integer-list', minLength: 1 };
const dropout: ParameterType = { kind: 'number', min: 0, max: 1, maxExclusive: true };

const trainingParameters: Record<string, ParameterType> = {
  epochs: positiveInteger,
  batchSize: positiveInteger,
  optimizer: { kind: 'enum', values: ['adam', 'sgd', 'rmsprop', 'adagrad'] },
  learningRate: { kind: 'number', min: 0, minExclusive: true },
  l2: { kind: 'number', min: 0 },
  earlyStopping: { kind: 'any' },
};

/** Networks that read a time series window can also tune whether they forecast the change or the level. */
const forecastingParameters: Record<string, ParameterType> = {
  ...trainingParameters,
  forecast: { kind: 'enum', values: ['change', 'level'] },
};

/** Tunable parameters per model kind (the kind's config fields other than `name` and `model`). */
export const tunableParameters: Record<ModelKind, Record<string, ParameterType>> = {
  baseline: {},
  linear: forecastingParameters,
  mlp: {
    ...forecastingParameters,
    layers: layerList,
    activation: { kind: 'enum', values: ['relu', 'tanh', 'sigmoid', 'elu', 'selu'] },
    dropout,
    batchNorm: { kind: 'boolean' },
  },
  cnn: {
    ...trainingParameters,
    filters: layerList,
    kernelSize: positiveInteger,
    dense: { kind: 'integer-list', minLength: 0 },
    dropout,
  },
  lstm: {
    ...forecastingParameters,
    units: layerList,
    dropout,
    dense: { kind: 'integer-list', minLength: 0 },
  },
  gru: { ...forecastingParameters, units: layerList, dropout, dense: { kind: 'integer-list', minLength: 0 } },
  knn: { k: positiveInteger },
  'decision-tree': { maxDepth: positiveInteger, minSamples: positiveInteger },
  'random-forest': {
    trees: positiveInteger,
    maxFeatures: { kind: 'number', min: 0, minExclusive: true },
    maxDepth: positiveInteger,
  },
  'naive-bayes': {},
  custom: { ...forecastingParameters },
};

/** Model kinds trained for a number of epochs (the ones successive halving can schedule). */
export const epochModelKinds: readonly ModelKind[] = ['linear', 'mlp', 'cnn', 'lstm', 'gru', 'custom'];

/** Prefix of the custom model's free-form options (`options.units` sets `options: { units }`). */
export const customOptionPrefix = 'options.';

/** The type of `parameter` for `kind`, or undefined when the kind cannot tune it. */
export function parameterType(kind: ModelKind, parameter: string): ParameterType | undefined {
  if (
    kind === 'custom' &&
    parameter.startsWith(customOptionPrefix) &&
    parameter.length > customOptionPrefix.length
  ) {
    return { kind: 'any' };
  }
  // An unknown kind (a config that skipped schema validation) has nothing to tune rather than crashing.
  const table: Record<string, ParameterType> = tunableParameters[kind] ?? {};
  return Object.prototype.hasOwnProperty.call(table, parameter) ? table[parameter] : undefined;
}

/** Whether a parameter type holds numbers, so ranges (`uniform`, `logUniform`, `int`) apply to it. */
export function isNumeric(
  type: ParameterType,
): type is Extract<ParameterType, { kind: 'integer' | 'number' }> {
  return type.kind === 'integer' || type.kind === 'number';
}

/** Why `value` is not a valid value of `type`, or undefined when it is. */
export function describeInvalidValue(type: ParameterType, value: JsonValue): string | undefined {
  switch (type.kind) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      return value < type.min ? `must be at least ${type.min}` : undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (type.minExclusive ? value <= type.min : value < type.min) {
        return `must be ${type.minExclusive ? 'greater than' : 'at least'} ${type.min}`;
      }
      if (type.max !== undefined && (type.maxExclusive ? value >= type.max : value > type.max)) {
        return `must be ${type.maxExclusive ? 'less than' : 'at most'} ${type.max}`;
      }
      return undefined;
    case 'integer-list':
      if (
        !Array.isArray(value) ||
        value.some((entry) => typeof entry !== 'number' || !Number.isInteger(entry) || entry < 1)
      ) {
        return 'must be a list of positive integers, e.g. [64, 32]';
      }
      return value.length < type.minLength ? `must hold at least ${type.minLength} size` : undefined;
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `must be one of ${type.values.map((entry) => `"${entry}"`).join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'any':
      return undefined;
  }
}
