/**
 * The model zoo: turns a candidate from topdown.json into an Estimator. Checks that the model suits the
 * task and the data's shape first, with errors that name the candidate (the caller adds its field,
 * `/evaluate/candidates/<i>`).
 */
import { isClassification, type CandidateConfig } from '../config';
import { TopdownError } from '../errors';
import { cnnBuilder, linearBuilder, mlpBuilder, recurrentBuilder } from './architectures';
import { BaselineEstimator } from './baseline';
import { DecisionTreeEstimator, KnnEstimator, NaiveBayesEstimator, RandomForestEstimator } from './classic';
import { customBuilder } from './custom';
import { NeuralEstimator } from './neural';
import { resolveCandidate } from './resolve';
import type { Estimator, ModelContext } from './types';

export { resolveCandidate } from './resolve';

/** Model kinds that train with TensorFlow.js (and so need `context.tf`). */
export const NEURAL_MODELS: ReadonlySet<CandidateConfig['model']> = new Set([
  'linear',
  'mlp',
  'cnn',
  'lstm',
  'gru',
  'custom',
]);

/** Whether a model kind needs TensorFlow.js. */
export function needsTensorflow(model: CandidateConfig['model']): boolean {
  return NEURAL_MODELS.has(model);
}

function invalid(candidate: CandidateConfig, message: string, hint?: string): TopdownError {
  return new TopdownError('MODEL_INVALID', `Candidate "${candidate.name}" (${candidate.model}): ${message}`, {
    hint,
  });
}

function checkFraction(candidate: CandidateConfig, name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value < 1))
    throw invalid(candidate, `${name} must be at least 0 and below 1, got ${value}.`);
}

/** The most epochs a candidate may train for (the schema's `epochs` maximum). */
export const MAX_EPOCHS = 100_000;
/** The most units (or filters) one layer may have (the schema's `layerUnits` maximum). */
export const MAX_LAYER_UNITS = 16_384;

function checkPositiveIntegers(
  candidate: CandidateConfig,
  name: string,
  values: number[] | undefined,
  required: boolean,
): void {
  if (values === undefined || values.length === 0) {
    if (required) throw invalid(candidate, `${name} needs at least one size, e.g. [32].`);
    return;
  }
  const bad = values.find((value) => !Number.isInteger(value) || value < 1 || value > MAX_LAYER_UNITS);
  if (bad !== undefined)
    throw invalid(candidate, `${name} must hold whole numbers from 1 to ${MAX_LAYER_UNITS}, got ${bad}.`);
}

/** Hyperparameter and task checks that do not need data. */
function validate(candidate: CandidateConfig, context: ModelContext): void {
  if (
    'epochs' in candidate &&
    candidate.epochs !== undefined &&
    !(Number.isInteger(candidate.epochs) && candidate.epochs >= 1 && candidate.epochs <= MAX_EPOCHS)
  ) {
    throw invalid(
      candidate,
      `epochs must be a whole number from 1 to ${MAX_EPOCHS}, got ${candidate.epochs}.`,
    );
  }
  if (
    'batchSize' in candidate &&
    candidate.batchSize !== undefined &&
    !(Number.isInteger(candidate.batchSize) && candidate.batchSize >= 1)
  ) {
    throw invalid(candidate, `batchSize must be a whole number of at least 1, got ${candidate.batchSize}.`);
  }
  if ('learningRate' in candidate && candidate.learningRate !== undefined && !(candidate.learningRate > 0)) {
    throw invalid(candidate, `learningRate must be above 0, got ${candidate.learningRate}.`);
  }
  switch (candidate.model) {
    case 'mlp':
      checkPositiveIntegers(candidate, 'layers', candidate.layers, true);
      checkFraction(candidate, 'dropout', candidate.dropout);
      break;
    case 'cnn':
      checkPositiveIntegers(candidate, 'filters', candidate.filters, true);
      checkPositiveIntegers(candidate, 'dense', candidate.dense, false);
      checkFraction(candidate, 'dropout', candidate.dropout);
      break;
    case 'lstm':
    case 'gru':
      checkPositiveIntegers(candidate, 'units', candidate.units, true);
      checkPositiveIntegers(candidate, 'dense', candidate.dense, false);
      checkFraction(candidate, 'dropout', candidate.dropout);
      break;
    case 'knn':
      if (candidate.k !== undefined && !(Number.isInteger(candidate.k) && candidate.k >= 1))
        throw invalid(candidate, `k must be a whole number of at least 1, got ${candidate.k}.`);
      break;
    case 'naive-bayes':
      if (!isClassification(context.task)) {
        throw invalid(
          candidate,
          `naive Bayes predicts classes, but the task is ${context.task}.`,
          'Use knn, decision-tree, random-forest or a network for regression.',
        );
      }
      break;
    default:
      break;
  }
  if (needsTensorflow(candidate.model) && !context.tf) {
    throw new TopdownError(
      'BACKEND_UNAVAILABLE',
      `Candidate "${candidate.name}" (${candidate.model}) needs TensorFlow.js, but no backend was loaded.`,
    );
  }
}

/**
 * The Estimator for a candidate, with defaults resolved (see resolveCandidate). Throws MODEL_INVALID when the
 * model does not suit the task or the sample shape, CUSTOM_MODEL_FAILED / CUSTOM_MODEL_SHAPE for custom
 * modules. Neural models are built here, so these errors come before any training.
 */
export function createEstimator(candidate: CandidateConfig, context: ModelContext): Estimator {
  validate(candidate, context);
  const resolved = resolveCandidate(candidate, context.task);
  switch (resolved.model) {
    case 'baseline':
      return new BaselineEstimator(resolved, context);
    case 'linear':
      return new NeuralEstimator(resolved, context, linearBuilder(resolved));
    case 'mlp':
      return new NeuralEstimator(resolved, context, mlpBuilder(resolved));
    case 'cnn':
      return new NeuralEstimator(resolved, context, cnnBuilder(resolved));
    case 'lstm':
    case 'gru':
      return new NeuralEstimator(resolved, context, recurrentBuilder(resolved));
    case 'custom':
      return new NeuralEstimator(resolved, context, customBuilder(resolved));
    case 'knn':
      return new KnnEstimator(resolved, context);
    case 'decision-tree':
      return new DecisionTreeEstimator(resolved, context);
    case 'random-forest':
      return new RandomForestEstimator(resolved, context);
    case 'naive-bayes':
      return new NaiveBayesEstimator(resolved, context);
  }
}
