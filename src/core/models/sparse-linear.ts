/**
 * Models that read sparse text features (and dense features, as CSR): L2-regularised logistic regression fitted
 * by L-BFGS, as scikit-learn's `LogisticRegression()` (binary: one weight vector; more classes: multinomial
 * softmax), and multinomial naive Bayes with additive smoothing, as its `MultinomialNB()`. Their cost grows with
 * the non-zero values, not with rows × features.
 */
import type { Dataset } from '../dataset';
import { TopdownError } from '../errors';
import { denseToCsr, type CsrMatrix } from '../sparse';
import type { Candidate, WithDefaults } from './kinds/spec';
import { minimize } from './lbfgs';
import type { Estimator, FitResult, JsonObject, ModelContext } from './types';

/** The resolved candidates (kinds/logistic.ts and kinds/multinomial-nb.ts fill in the defaults). */
export type ResolvedLogistic = WithDefaults<Candidate<'logistic'>, 'C' | 'maxIterations'>;
export type ResolvedMultinomialNb = WithDefaults<Candidate<'multinomial-nb'>, 'alpha'>;

/** The features of a Dataset as CSR: its sparse matrix, or its dense x converted. */
export function featureMatrix(data: Dataset): CsrMatrix {
  if (data.sparse) return data.sparse;
  const rows = data.xShape[0];
  return denseToCsr(data.x, rows, rows > 0 ? data.x.length / rows : 0);
}

/** Row-wise softmax in place over `width` columns (the largest subtracted first, for stability). */
function softmaxRows(scores: Float64Array, width: number): Float32Array {
  const output = new Float32Array(scores.length);
  for (let start = 0; start < scores.length; start += width) {
    let largest = -Infinity;
    for (let column = 0; column < width; column++) largest = Math.max(largest, scores[start + column]);
    let total = 0;
    for (let column = 0; column < width; column++) total += Math.exp(scores[start + column] - largest);
    for (let column = 0; column < width; column++)
      output[start + column] = Math.exp(scores[start + column] - largest) / total;
  }
  return output;
}

abstract class SparseEstimator<C extends Candidate<'logistic' | 'multinomial-nb'>> implements Estimator {
  readonly kind: C['model'];

  constructor(
    protected readonly candidate: C,
    protected readonly context: ModelContext,
  ) {
    this.kind = candidate.model;
  }

  /** The resolved candidate. */
  getParams(): JsonObject {
    return { ...this.candidate } as JsonObject;
  }

  abstract fit(train: Dataset): Promise<FitResult>;
  abstract predict(data: Dataset): Promise<Float32Array>;

  /** Nothing outside the JS heap to free. */
  dispose(): void {}

  protected classes(): number {
    return this.context.outputUnits;
  }

  protected notFitted(): TopdownError {
    return new TopdownError(
      'INTERNAL',
      `Candidate "${this.candidate.name}" was asked to predict before fit.`,
    );
  }

  /** MODEL_INVALID when the data has another number of features than the model was fitted on. */
  protected checkWidth(matrix: CsrMatrix, features: number): void {
    if (matrix.cols === features) return;
    throw new TopdownError(
      'MODEL_INVALID',
      `Candidate "${this.candidate.name}" was fitted on ${features} features but got ${matrix.cols}.`,
      { hint: 'Prepare the data with the pipeline the model was fitted with.' },
    );
  }
}

/** Scores X·Wᵀ + b for `outputs` weight rows of `features` columns (weights row-major, then the biases). */
function linearScores(
  matrix: CsrMatrix,
  parameters: Float64Array,
  outputs: number,
  features: number,
): Float64Array {
  const scores = new Float64Array(matrix.rows * outputs);
  const biases = outputs * features;
  for (let row = 0; row < matrix.rows; row++) {
    for (let output = 0; output < outputs; output++) {
      let sum = parameters[biases + output];
      const offset = output * features;
      for (let item = matrix.indptr[row]; item < matrix.indptr[row + 1]; item++)
        sum += parameters[offset + matrix.indices[item]] * matrix.values[item];
      scores[row * outputs + output] = sum;
    }
  }
  return scores;
}

/** Logistic regression with an L2 penalty of 1/(2C)·‖W‖² (biases not penalised), fitted by L-BFGS. */
export class LogisticEstimator extends SparseEstimator<ResolvedLogistic> {
  private parameters?: Float64Array;
  private features = 0;

  /** Weight rows: one for two classes (the positive class's log-odds), else one per class. */
  private outputs(): number {
    return this.classes() === 2 ? 1 : this.classes();
  }

  /** Minimises the mean log-loss plus the penalty over n rows (scikit-learn's scaling of the same objective). */
  async fit(train: Dataset): Promise<FitResult> {
    const matrix = featureMatrix(train);
    const outputs = this.outputs();
    const features = matrix.cols;
    const labels = train.y;
    const count = Math.max(1, matrix.rows);
    const penalty = 1 / (this.candidate.C * count);
    const parameters = new Float64Array(outputs * (features + 1));
    const objective = (point: Float64Array, gradient: Float64Array): number => {
      gradient.fill(0);
      const loss = addRowGradients(matrix, labels, { point, gradient, outputs, features, count });
      let squares = 0;
      for (let index = 0; index < outputs * features; index++) {
        squares += point[index] * point[index];
        gradient[index] += penalty * point[index];
      }
      return loss / count + 0.5 * penalty * squares;
    };
    minimize(objective, parameters, { maxIterations: this.candidate.maxIterations, tolerance: 1e-4 });
    this.parameters = parameters;
    this.features = features;
    return { history: [], stopped: false };
  }

  /** Class probabilities per row. */
  async predict(data: Dataset): Promise<Float32Array> {
    const { parameters, features } = this;
    if (!parameters) throw this.notFitted();
    const matrix = featureMatrix(data);
    this.checkWidth(matrix, features);
    const outputs = this.outputs();
    const scores = linearScores(matrix, parameters, outputs, features);
    if (outputs > 1) return softmaxRows(scores, outputs);
    const probabilities = new Float32Array(matrix.rows * 2);
    for (let row = 0; row < matrix.rows; row++) {
      const positive = 1 / (1 + Math.exp(-scores[row]));
      probabilities[row * 2] = 1 - positive;
      probabilities[row * 2 + 1] = positive;
    }
    return probabilities;
  }

  /** Per class (one row for two classes: towards the positive class), the weight of each feature. */
  coefficients(): { weights: Float64Array; outputs: number; features: number } {
    if (!this.parameters) throw this.notFitted();
    const outputs = this.outputs();
    return {
      weights: this.parameters.subarray(0, outputs * this.features),
      outputs,
      features: this.features,
    };
  }

  /** Weights and biases as plain JSON, for a model bundle. */
  exportState(): JsonObject {
    if (!this.parameters) throw this.notFitted();
    return { parameters: Array.from(this.parameters), features: this.features };
  }

  /** Restores what exportState() gave. */
  importState(state: JsonObject): void {
    this.parameters = Float64Array.from(state.parameters as number[]);
    this.features = state.features as number;
  }
}

/**
 * The summed log-loss of every row at `point`, adding each row's gradient (over `count`) to `gradient`: a row's
 * scores, then its gradient while its values are in cache, one pass over the matrix per evaluation.
 */
function addRowGradients(
  matrix: CsrMatrix,
  labels: Float32Array,
  at: { point: Float64Array; gradient: Float64Array; outputs: number; features: number; count: number },
): number {
  const { point, gradient, outputs, features, count } = at;
  const { indptr, indices, values } = matrix;
  const biases = outputs * features;
  const scores = new Float64Array(outputs);
  const residual = new Float64Array(outputs);
  let loss = 0;
  for (let row = 0; row < matrix.rows; row++) {
    const start = indptr[row];
    const end = indptr[row + 1];
    for (let output = 0; output < outputs; output++) {
      let sum = point[biases + output];
      const offset = output * features;
      for (let item = start; item < end; item++) sum += point[offset + indices[item]] * values[item];
      scores[output] = sum;
    }
    loss += rowLoss(scores, 0, outputs, labels[row], residual);
    for (let output = 0; output < outputs; output++) {
      const weight = residual[output] / count;
      gradient[biases + output] += weight;
      const offset = output * features;
      for (let item = start; item < end; item++) gradient[offset + indices[item]] += weight * values[item];
    }
  }
  return loss;
}

/** One row's log-loss; fills `residual` with probability minus truth per weight row. */
function rowLoss(
  scores: Float64Array,
  row: number,
  outputs: number,
  label: number,
  residual: Float64Array,
): number {
  if (outputs === 1) {
    const score = scores[row];
    // log(1 + e^z) without overflow.
    const softplus = score > 0 ? score + Math.log1p(Math.exp(-score)) : Math.log1p(Math.exp(score));
    residual[0] = 1 / (1 + Math.exp(-score)) - label;
    return softplus - label * score;
  }
  let largest = -Infinity;
  for (let output = 0; output < outputs; output++)
    largest = Math.max(largest, scores[row * outputs + output]);
  let total = 0;
  for (let output = 0; output < outputs; output++)
    total += Math.exp(scores[row * outputs + output] - largest);
  for (let output = 0; output < outputs; output++)
    residual[output] =
      Math.exp(scores[row * outputs + output] - largest) / total - (output === label ? 1 : 0);
  return largest + Math.log(total) - scores[row * outputs + label];
}

/** Multinomial naive Bayes: per class, smoothed token probabilities; needs non-negative features (counts, TF-IDF). */
export class MultinomialNbEstimator extends SparseEstimator<ResolvedMultinomialNb> {
  private logPriors?: Float64Array;
  private logProbabilities?: Float64Array;
  private features = 0;

  /** Class priors and (count + alpha) / (class total + alpha × features) per feature. */
  async fit(train: Dataset): Promise<FitResult> {
    const matrix = featureMatrix(train);
    const classes = this.classes();
    const features = matrix.cols;
    const totals = new Float64Array(classes * features);
    const documents = new Float64Array(classes);
    for (let row = 0; row < matrix.rows; row++) {
      const label = train.y[row];
      documents[label]++;
      for (let item = matrix.indptr[row]; item < matrix.indptr[row + 1]; item++) {
        const value = matrix.values[item];
        if (value < 0) throw this.negative(train, row, matrix.indices[item], value);
        totals[label * features + matrix.indices[item]] += value;
      }
    }
    const alpha = this.candidate.alpha;
    const logProbabilities = new Float64Array(classes * features);
    for (let label = 0; label < classes; label++) {
      let sum = 0;
      for (let feature = 0; feature < features; feature++) sum += totals[label * features + feature];
      const denominator = Math.log(sum + alpha * features);
      for (let feature = 0; feature < features; feature++)
        logProbabilities[label * features + feature] =
          Math.log(totals[label * features + feature] + alpha) - denominator;
    }
    // A class absent from this training part gets no probability.
    this.logPriors = documents.map((count) => (count > 0 ? Math.log(count / matrix.rows) : -Infinity));
    this.logProbabilities = logProbabilities;
    this.features = features;
    return { history: [], stopped: false };
  }

  private negative(train: Dataset, row: number, feature: number, value: number): TopdownError {
    return new TopdownError(
      'MODEL_INVALID',
      `Candidate "${this.candidate.name}" (multinomial-nb) needs counts or other non-negative features, but "${train.featureNames[feature] ?? feature}" is ${value} in training row ${row + 1}.`,
      { hint: 'Feed it a counts or tfidf op alone (no standardized columns beside), or use logistic.' },
    );
  }

  /** Posterior class probabilities per row. */
  async predict(data: Dataset): Promise<Float32Array> {
    const { logPriors, logProbabilities, features } = this;
    if (!logPriors || !logProbabilities) throw this.notFitted();
    const matrix = featureMatrix(data);
    this.checkWidth(matrix, features);
    const classes = logPriors.length;
    const joint = new Float64Array(matrix.rows * classes);
    for (let row = 0; row < matrix.rows; row++) {
      for (let label = 0; label < classes; label++) {
        let sum = logPriors[label];
        for (let item = matrix.indptr[row]; item < matrix.indptr[row + 1]; item++)
          sum += matrix.values[item] * logProbabilities[label * features + matrix.indices[item]];
        joint[row * classes + label] = sum;
      }
    }
    return softmaxRows(joint, classes);
  }

  /** Priors and log-probabilities as plain JSON (an absent class's prior as null). */
  exportState(): JsonObject {
    if (!this.logPriors || !this.logProbabilities) throw this.notFitted();
    return {
      logPriors: Array.from(this.logPriors, (value) => (value === -Infinity ? null : value)),
      logProbabilities: Array.from(this.logProbabilities),
      features: this.features,
    };
  }

  /** Restores what exportState() gave. */
  importState(state: JsonObject): void {
    this.logPriors = Float64Array.from(
      state.logPriors as Array<number | null>,
      (value) => value ?? -Infinity,
    );
    this.logProbabilities = Float64Array.from(state.logProbabilities as number[]);
    this.features = state.features as number;
  }
}
