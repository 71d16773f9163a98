/**
 * Classic models without TensorFlow.js: k-nearest neighbours, a CART decision tree, a random forest and
 * Gaussian naive Bayes. They take 2D features; windows [n, lookBack, f] and images are flattened per sample
 * (each lag or pixel becomes a feature, the usual way to give a window to a tabular model). Time series
 * with several horizon steps get one tree or forest per step.
 */
import { isClassification, type CandidateConfig } from '../config';
import type { Dataset } from '../dataset';
import { TopdownError } from '../errors';
import { deriveSeed } from '../random';
import {
  growForest,
  growTree,
  predictForest,
  predictTree,
  type ForestOptions,
  type ForestState,
  type TreeOptions,
  type TreeState,
} from './forest';
import type { Candidate, WithDefaults } from './kinds/spec';
import type { Estimator, FitOptions, FitResult, JsonObject, JsonValue, ModelContext } from './types';

/** The resolved candidates the estimators read (resolveCandidate fills in these defaults, kinds/<kind>.ts). */
export type ResolvedKnn = WithDefaults<Candidate<'knn'>, 'k'>;
export type ResolvedTree = WithDefaults<Candidate<'decision-tree'>, 'maxDepth' | 'minSamples'>;
export type ResolvedForest = WithDefaults<Candidate<'random-forest'>, 'trees' | 'maxFeatures' | 'maxDepth'>;
type ClassicCandidate = Candidate<'knn' | 'decision-tree' | 'random-forest' | 'naive-bayes'>;

/** Target column `column` of a regression/time-series Dataset. */
function targetColumn(data: Dataset, width: number, column: number): number[] {
  const count = data.y.length / width;
  const values: number[] = new Array(count);
  for (let row = 0; row < count; row++) values[row] = data.y[row * width + column];
  return values;
}

/** Shared plumbing: task checks, params, prediction buffer. */
abstract class ClassicEstimator<C extends ClassicCandidate = ClassicCandidate> implements Estimator {
  readonly kind: CandidateConfig['model'];
  protected readonly classification: boolean;

  constructor(
    protected readonly candidate: C,
    protected readonly context: ModelContext,
  ) {
    this.kind = candidate.model;
    this.classification = isClassification(context.task);
  }

  /** The resolved candidate. */
  getParams(): JsonObject {
    return { ...this.candidate } as JsonObject;
  }

  abstract fit(train: Dataset, options?: FitOptions): Promise<FitResult>;
  abstract predict(data: Dataset): Promise<Float32Array>;

  /** Nothing outside the JS heap to free. */
  dispose(): void {}

  protected width(): number {
    return this.context.outputUnits;
  }

  /** Regression and time series: column `c` of the output [count, width] is what `models[c]` predicts. */
  protected byColumn<T>(count: number, predict: (model: T) => Float32Array, models: T[]): Float32Array {
    const width = this.width();
    const output = new Float32Array(count * width);
    models.forEach((model, column) =>
      predict(model).forEach((value, index) => (output[index * width + column] = value)),
    );
    return output;
  }

  protected notFitted(): TopdownError {
    return new TopdownError(
      'INTERNAL',
      `Candidate "${this.candidate.name}" was asked to predict before fit.`,
    );
  }
}

/** k nearest neighbours (Euclidean, brute force): class vote shares, or the mean of the neighbours' targets. */
export class KnnEstimator extends ClassicEstimator<ResolvedKnn> {
  private train?: Dataset;

  /** Keeps the training samples. */
  async fit(train: Dataset): Promise<FitResult> {
    this.train = train;
    return { history: [], stopped: false };
  }

  /** The kept training samples as plain JSON, for a model bundle (src/core/models/persist.ts). */
  exportState(): JsonObject {
    if (!this.train) throw this.notFitted();
    const { x, xShape, y, yShape } = this.train;
    return { x: Array.from(x), xShape, y: Array.from(y), yShape };
  }

  /** Restores what exportState() gave; the estimator then predicts as the saved one did. */
  importState(state: JsonObject): void {
    this.train = {
      x: Float32Array.from(state.x as number[]),
      xShape: state.xShape as number[],
      y: Float32Array.from(state.y as number[]),
      yShape: state.yShape as number[],
      featureNames: [],
      rowIndex: new Int32Array(0),
    };
  }

  /** Votes or means of the k nearest training samples (ties in distance go to the earlier sample). */
  async predict(data: Dataset): Promise<Float32Array> {
    const train = this.train;
    if (!train) throw this.notFitted();
    const k = Math.max(1, Math.min(this.candidate.k, train.xShape[0]));
    const trainCount = train.xShape[0];
    const count = data.xShape[0];
    const features = count > 0 ? data.x.length / count : 0;
    const width = this.width();
    const output = new Float32Array(count * width);
    const distances = new Float64Array(trainCount);
    const order = new Int32Array(trainCount);
    for (let row = 0; row < count; row++) {
      const offset = row * features;
      for (let other = 0; other < trainCount; other++) {
        let sum = 0;
        const otherOffset = other * features;
        for (let feature = 0; feature < features; feature++) {
          const difference = data.x[offset + feature] - train.x[otherOffset + feature];
          sum += difference * difference;
        }
        distances[other] = sum;
        order[other] = other;
      }
      order.sort((left, right) => distances[left] - distances[right] || left - right);
      for (let neighbour = 0; neighbour < k; neighbour++) {
        const index = order[neighbour];
        if (this.classification) output[row * width + train.y[index]] += 1 / k;
        else
          for (let column = 0; column < width; column++)
            output[row * width + column] += train.y[index * width + column] / k;
      }
    }
    return output;
  }
}

/** Why a saved tree or forest in an older format cannot be read, as an error message. */
function olderFormat(what: string, format: string): Error {
  return new Error(
    `its ${what} is not in the ${format} format: it was saved by an earlier Topdown (with ml-cart or ml-random-forest), which this version no longer reads`,
  );
}

/** Whether every saved entry has the given `format`. */
function allInFormat(saved: JsonValue[] | undefined, format: string): boolean {
  return (
    Array.isArray(saved) &&
    saved.length > 0 &&
    saved.every((entry) => (entry as { format?: unknown } | null)?.format === format)
  );
}

/** Rows and features of a Dataset, for the tree growers. */
function shapeOf(data: Dataset): { count: number; features: number } {
  const count = data.xShape[0];
  return { count, features: count > 0 ? data.x.length / count : 0 };
}

/**
 * A CART decision tree (forest.ts, grown on every row and feature): the class shares of the leaf a row falls
 * in, or the leaf's mean. Nothing is random: the same training part gives the same tree.
 */
export class DecisionTreeEstimator extends ClassicEstimator<ResolvedTree> {
  private trees: TreeState[] = [];

  /** Grows one tree (one per horizon step for multi-output targets). */
  async fit(train: Dataset): Promise<FitResult> {
    const { maxDepth, minSamples } = this.candidate;
    const { count, features } = shapeOf(train);
    const options = (classes: number): TreeOptions => ({ maxDepth, minSamples, classes });
    if (this.classification) {
      this.trees = [growTree(train.x, count, features, train.y, options(this.width()))];
    } else {
      this.trees = Array.from({ length: this.width() }, (_, column) =>
        growTree(train.x, count, features, targetColumn(train, this.width(), column), options(0)),
      );
    }
    return { history: [], stopped: false };
  }

  /** The grown trees as plain JSON, for a model bundle. */
  exportState(): JsonObject {
    if (this.trees.length === 0) throw this.notFitted();
    return { trees: this.trees as unknown as JsonValue[] };
  }

  /** Restores what exportState() gave; the estimator then predicts as the saved one did. */
  importState(state: JsonObject): void {
    const saved = state.trees as JsonValue[] | undefined;
    if (!allInFormat(saved, 'topdown-tree-1')) throw olderFormat('tree', 'topdown-tree-1');
    this.trees = saved as unknown as TreeState[];
  }

  /** Class shares of the leaf each row falls in, or per-step leaf means. */
  async predict(data: Dataset): Promise<Float32Array> {
    if (this.trees.length === 0) throw this.notFitted();
    const { count, features } = shapeOf(data);
    if (this.classification) return predictTree(this.trees[0], data.x, count, features);
    return this.byColumn(count, (tree: TreeState) => predictTree(tree, data.x, count, features), this.trees);
  }
}

/**
 * A seeded random forest (forest.ts: bootstrap samples, a feature subset per tree, CART splits): tree vote
 * shares, or the mean of the trees.
 */
export class RandomForestEstimator extends ClassicEstimator<ResolvedForest> {
  private forests: ForestState[] = [];

  /** Grows the forest (one per horizon step for multi-output targets). */
  async fit(train: Dataset): Promise<FitResult> {
    const { trees, maxFeatures: requested, maxDepth } = this.candidate;
    const { count, features } = shapeOf(train);
    // Each tree sees a random subset of the features. A fraction is rounded up so that small feature
    // counts keep enough features per tree; 1 or more is a count.
    const featuresPerTree =
      requested < 1
        ? Math.max(1, Math.ceil(features * requested))
        : Math.min(Math.round(requested), features);
    const options = (seed: number, classes: number): ForestOptions => ({
      trees,
      featuresPerTree,
      maxDepth,
      minSamples: 3,
      seed,
      classes,
    });
    if (this.classification) {
      const seed = deriveSeed(this.context.seed, 'forest') & 0x7fffffff;
      this.forests = [growForest(train.x, count, features, train.y, options(seed, this.width()))];
    } else {
      this.forests = Array.from({ length: this.width() }, (_, column) => {
        const seed = deriveSeed(this.context.seed, 'forest', column) & 0x7fffffff;
        const targets = targetColumn(train, this.width(), column);
        return growForest(train.x, count, features, targets, options(seed, 0));
      });
    }
    return { history: [], stopped: false };
  }

  /** The grown forests as plain JSON, for a model bundle. */
  exportState(): JsonObject {
    if (this.forests.length === 0) throw this.notFitted();
    return { forests: this.forests as unknown as JsonValue[] };
  }

  /** Restores what exportState() gave; the estimator then predicts as the saved one did. */
  importState(state: JsonObject): void {
    const saved = state.forests as JsonValue[] | undefined;
    if (!allInFormat(saved, 'topdown-forest-1')) throw olderFormat('forest', 'topdown-forest-1');
    this.forests = saved as unknown as ForestState[];
  }

  /** Shares of the trees' votes per class, or the forest's mean per step. */
  async predict(data: Dataset): Promise<Float32Array> {
    if (this.forests.length === 0) throw this.notFitted();
    const { count, features } = shapeOf(data);
    if (this.classification) return predictForest(this.forests[0], data.x, count, features);
    return this.byColumn(
      count,
      (forest: ForestState) => predictForest(forest, data.x, count, features),
      this.forests,
    );
  }
}

/**
 * Gaussian naive Bayes, computed here: ml-naivebayes 4.0's GaussianNB predicts from the first two features
 * only and divides by zero on a constant feature. Variances get sklearn's smoothing (1e-9 × the largest
 * feature variance) so constant features are harmless; probabilities come from log-likelihoods.
 */
export class NaiveBayesEstimator extends ClassicEstimator<Candidate<'naive-bayes'>> {
  private logPriors?: Float64Array;
  private means?: Float64Array;
  private variances?: Float64Array;
  private features = 0;

  /** Per-class priors, feature means and variances. */
  async fit(train: Dataset): Promise<FitResult> {
    const classes = this.width();
    const count = train.xShape[0];
    const features = count > 0 ? train.x.length / count : 0;
    const counts = new Float64Array(classes);
    const means = new Float64Array(classes * features);
    const variances = new Float64Array(classes * features);
    for (let row = 0; row < count; row++) {
      const label = train.y[row];
      counts[label] += 1;
      for (let feature = 0; feature < features; feature++)
        means[label * features + feature] += train.x[row * features + feature];
    }
    for (let label = 0; label < classes; label++)
      for (let feature = 0; feature < features; feature++)
        means[label * features + feature] /= Math.max(counts[label], 1);
    let largest = 0;
    for (let row = 0; row < count; row++) {
      const label = train.y[row];
      for (let feature = 0; feature < features; feature++) {
        variances[label * features + feature] +=
          (train.x[row * features + feature] - means[label * features + feature]) ** 2;
      }
    }
    for (let index = 0; index < variances.length; index++) {
      variances[index] /= Math.max(counts[Math.floor(index / Math.max(features, 1))], 1);
      largest = Math.max(largest, variances[index]);
    }
    const smoothing = 1e-9 * Math.max(largest, 1e-12);
    for (let index = 0; index < variances.length; index++) variances[index] += smoothing;
    // Classes absent from this training part get no probability mass.
    this.logPriors = counts.map((classCount) => (classCount > 0 ? Math.log(classCount / count) : -Infinity));
    this.means = means;
    this.variances = variances;
    this.features = features;
    return { history: [], stopped: false };
  }

  /** Priors, means and variances as plain JSON (an absent class's prior of -Infinity as null). */
  exportState(): JsonObject {
    const { logPriors, means, variances, features } = this;
    if (!logPriors || !means || !variances) throw this.notFitted();
    return {
      logPriors: Array.from(logPriors, (value) => (value === -Infinity ? null : value)),
      means: Array.from(means),
      variances: Array.from(variances),
      features,
    };
  }

  /** Restores what exportState() gave; the estimator then predicts as the saved one did. */
  importState(state: JsonObject): void {
    this.logPriors = Float64Array.from(
      state.logPriors as Array<number | null>,
      (value) => value ?? -Infinity,
    );
    this.means = Float64Array.from(state.means as number[]);
    this.variances = Float64Array.from(state.variances as number[]);
    this.features = state.features as number;
  }

  /** Posterior class probabilities per row (softmax of the log joint likelihoods). */
  async predict(data: Dataset): Promise<Float32Array> {
    const { logPriors, means, variances, features } = this;
    if (!logPriors || !means || !variances) throw this.notFitted();
    const classes = logPriors.length;
    const count = data.xShape[0];
    const output = new Float32Array(count * classes);
    const joint = new Float64Array(classes);
    for (let row = 0; row < count; row++) {
      let best = -Infinity;
      for (let label = 0; label < classes; label++) {
        let sum = logPriors[label];
        for (let feature = 0; feature < features && sum > -Infinity; feature++) {
          const variance = variances[label * features + feature];
          const difference = data.x[row * features + feature] - means[label * features + feature];
          sum -= 0.5 * (Math.log(2 * Math.PI * variance) + (difference * difference) / variance);
        }
        joint[label] = sum;
        best = Math.max(best, sum);
      }
      let total = 0;
      for (let label = 0; label < classes; label++)
        total += joint[label] === -Infinity ? 0 : Math.exp(joint[label] - best);
      for (let label = 0; label < classes; label++) {
        output[row * classes + label] =
          joint[label] === -Infinity ? 0 : Math.exp(joint[label] - best) / total;
      }
    }
    return output;
  }
}
