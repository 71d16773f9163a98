/**
 * Training and prediction shared by every TensorFlow.js model of the zoo (linear, mlp, cnn, lstm, gru,
 * custom). An architecture supplies only a builder; this estimator compiles, fits with Keras-style epoch
 * logs, early stopping, cancellation at batch boundaries and a NaN guard, then predicts in target units.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { isClassification, type CandidateConfig } from '../config';
import { denseFeatures, type Dataset } from '../dataset';
import { TopdownError } from '../errors';
import { checkFinite, DIVERGED_HINT } from './diverged';
import { createRng, deriveSeed, shuffleInPlace } from '../random';
import { holdOutWithCopies, originalCount } from '../prepare/augment';
import { addPersistence, changeTargets } from './forecast';
import {
  EARLY_STOPPING_FRACTION,
  resolveTraining,
  type NeuralCandidate,
  type ResolvedTraining,
} from './resolve';
import { prepareLoopKernels } from './loop/gemm-simd';
import { loopTrainerFor, type LoopInput, type LoopTrainer } from './loop/trainer';
import { csrToDense, MAX_DENSE_VALUES, selectCsrRows } from '../sparse';
import { withSeededRandom, withSeededRandomSync } from './seeded';
import { tensorWatch, TrainingMonitor, type EarlyStoppingWatch } from './training-monitor';
import type { Estimator, FitOptions, FitResult, JsonObject, ModelContext, TF } from './types';

/** Builds a fresh model for one fit; compiled or not (an uncompiled model is compiled from the candidate). */
export type ModelBuilder = (tf: TF, context: ModelContext) => tfTypes.LayersModel;

/** Model kinds the typed-array loop may train (custom models keep tfjs' fit: their layers are anyone's). */
const LOOP_KINDS: ReadonlySet<CandidateConfig['model']> = new Set([
  'linear',
  'mlp',
  'cnn',
  'lstm',
  'gru',
  'embedding',
]);

/** Rows per predict() batch: large, since predicting keeps no gradients. */
const PREDICT_BATCH = 1024;

/** A fitted network and its target scaling (regression and time series), as exportFitted() gives them. */
export interface FittedNetwork {
  model: tfTypes.LayersModel;
  /** Per output column: predictions are `output * targetScale + targetMean`. */
  targetMean?: number[];
  targetScale?: number[];
  /** Time series: the network forecasts the change; predictions get the data's `persistence` added back. */
  forecast?: 'change';
}

/**
 * The network's outputs for every sample (what model.predict gives, before any target scaling): sparse features
 * (text) are made dense a block of rows at a time, never the whole matrix. Shared by fitted and loaded networks.
 */
export async function networkOutputs(
  tf: TF,
  model: tfTypes.LayersModel,
  data: Dataset,
): Promise<Float32Array> {
  const matrix = data.sparse;
  if (!matrix) return predictDense(tf, model, data.x, data.xShape);
  const units = model.outputs[0].shape[1] ?? 1;
  const block = Math.max(1, Math.min(PREDICT_BATCH, Math.floor(MAX_DENSE_VALUES / Math.max(matrix.cols, 1))));
  const values = new Float32Array(matrix.rows * units);
  for (let start = 0; start < matrix.rows; start += block) {
    const count = Math.min(block, matrix.rows - start);
    const rows = Int32Array.from({ length: count }, (_, index) => start + index);
    const dense = csrToDense(selectCsrRows(matrix, rows), 'prediction');
    values.set(await predictDense(tf, model, dense, [count, matrix.cols]), start * units);
  }
  return values;
}

async function predictDense(
  tf: TF,
  model: tfTypes.LayersModel,
  x: Float32Array,
  shape: number[],
): Promise<Float32Array> {
  const output = tf.tidy(() => {
    const tensor = tf.tensor(x, shape);
    return model.predict(tensor, { batchSize: PREDICT_BATCH }) as tfTypes.Tensor;
  });
  const values = (await output.data()) as Float32Array;
  output.dispose();
  return values;
}

/** Model inputs and targets as tensors, targets one-hot (classification) or standardized (regression). */
interface Tensors {
  x: tfTypes.Tensor;
  y: tfTypes.Tensor;
}

/** A TensorFlow.js model of the zoo. */
export class NeuralEstimator implements Estimator {
  readonly kind: CandidateConfig['model'];
  private readonly tf: TF;
  private model?: tfTypes.LayersModel;
  private fitted = false;
  /** Regression targets are standardized for training (per output column) and restored in predict(). */
  private targetMean?: Float32Array;
  private targetScale?: Float32Array;
  /** Time series: trained on `y - persistence` (see forecast.ts), so predict() adds persistence back. */
  private forecastChange = false;
  private readonly training: ResolvedTraining;

  constructor(
    private readonly candidate: NeuralCandidate,
    private readonly context: ModelContext,
    private readonly builder: ModelBuilder,
  ) {
    this.kind = candidate.model;
    this.training = resolveTraining(candidate);
    if (!context.tf) {
      throw new TopdownError(
        'BACKEND_UNAVAILABLE',
        `Candidate "${candidate.name}" (${candidate.model}) needs TensorFlow.js, but none was loaded.`,
      );
    }
    this.tf = context.tf;
    // Built now so that architecture errors (wrong input shape, custom module failures) surface before training.
    this.model = this.build();
  }

  /** The resolved candidate. */
  getParams(): JsonObject {
    return JSON.parse(JSON.stringify(this.candidate)) as JsonObject;
  }

  /** Trains a fresh model (the one built at construction for the first fit). */
  async fit(train: Dataset, options: FitOptions = {}): Promise<FitResult> {
    if (this.fitted || !this.model) {
      this.disposeModel();
      this.model = this.build();
    }
    this.fitted = true;
    const model = this.model;
    this.compile(model);
    // resolveCandidate sets `forecast` for the kinds that forecast windows, on time series only.
    this.forecastChange =
      this.context.task === 'time-series' &&
      this.candidate.forecast === 'change' &&
      train.persistence !== undefined;
    this.fitTargetScaling(train);
    return withSeededRandom(deriveSeed(this.context.seed, 'fit'), () => this.train(model, train, options));
  }

  /** Probabilities [n, classes] for classification, values [n, outputs] in target units otherwise. */
  async predict(data: Dataset): Promise<Float32Array> {
    const model = this.model;
    if (!model || !this.fitted)
      throw new TopdownError(
        'INTERNAL',
        `Candidate "${this.candidate.name}" was asked to predict before fit.`,
      );
    const values = await networkOutputs(this.tf, model, data);
    if (this.targetMean && this.targetScale) {
      const width = this.targetMean.length;
      for (let index = 0; index < values.length; index++) {
        values[index] = values[index] * this.targetScale[index % width] + this.targetMean[index % width];
      }
    }
    if (this.forecastChange) addPersistence(values, data, this.candidate.name);
    checkFinite(this.candidate.name, 'predictions', values);
    return values;
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.disposeModel();
  }

  /**
   * The fitted model and the target scaling predict() undoes, for a model bundle (src/core/models/persist.ts).
   * The model stays owned by this estimator.
   */
  exportFitted(): FittedNetwork {
    if (!this.model || !this.fitted) {
      throw new TopdownError('INTERNAL', `Candidate "${this.candidate.name}" was saved before fit.`);
    }
    const fitted: FittedNetwork = { model: this.model };
    if (this.targetMean && this.targetScale) {
      fitted.targetMean = Array.from(this.targetMean);
      fitted.targetScale = Array.from(this.targetScale);
    }
    if (this.forecastChange) fitted.forecast = 'change';
    return fitted;
  }

  private build(): tfTypes.LayersModel {
    return withSeededRandomSync(deriveSeed(this.context.seed, 'build'), () =>
      this.builder(this.tf, this.context),
    );
  }

  private disposeModel(): void {
    // A model disposes only optimizers it created from a name; ours is passed in, so it is freed here.
    const optimizer = this.model?.optimizer;
    this.model?.dispose();
    optimizer?.dispose();
    this.model = undefined;
  }

  private compile(model: tfTypes.LayersModel): void {
    // A custom module may compile its model itself; its choices are kept.
    if (model.optimizer) return;
    const classification = isClassification(this.context.task);
    const override = this.candidate.model === 'custom' ? this.candidate.loss : undefined;
    model.compile({
      optimizer: this.optimizer(),
      loss: override ?? (classification ? 'categoricalCrossentropy' : 'meanSquaredError'),
      metrics: classification ? ['acc'] : [],
    });
  }

  private optimizer(): tfTypes.Optimizer {
    const { optimizer, learningRate } = this.training;
    const train = this.tf.train;
    switch (optimizer) {
      case 'sgd':
        return train.sgd(learningRate);
      case 'rmsprop':
        return train.rmsprop(learningRate);
      case 'adagrad':
        return train.adagrad(learningRate);
      case 'adam':
        return train.adam(learningRate);
    }
  }

  private fitTargetScaling(train: Dataset): void {
    this.targetMean = undefined;
    this.targetScale = undefined;
    if (isClassification(this.context.task)) return;
    const targets = this.regressionTargets(train);
    const width = train.yShape[1] ?? 1;
    const rows = targets.length / width;
    const mean = new Float32Array(width);
    const scale = new Float32Array(width);
    for (let column = 0; column < width; column++) {
      let sum = 0;
      for (let row = 0; row < rows; row++) sum += targets[row * width + column];
      const average = sum / rows;
      let squares = 0;
      for (let row = 0; row < rows; row++) squares += (targets[row * width + column] - average) ** 2;
      const deviation = Math.sqrt(squares / rows);
      mean[column] = average;
      scale[column] = deviation > 1e-12 && Number.isFinite(deviation) ? deviation : 1;
    }
    this.targetMean = mean;
    this.targetScale = scale;
  }

  /** Regression targets as the network learns them: `y`, or its change over persistence (time series). */
  private regressionTargets(data: Dataset): Float32Array {
    return this.forecastChange ? changeTargets(data, this.candidate.name) : data.y;
  }

  /** x and y tensors for a Dataset: one-hot classes, standardized regression targets. */
  private tensors(data: Dataset): Tensors {
    const tf = this.tf;
    return tf.tidy(() => {
      const x = tf.tensor(data.x, data.xShape);
      if (isClassification(this.context.task)) {
        const labels = tf.tensor1d(Int32Array.from(data.y), 'int32');
        // Cast after oneHot: oneHot(..., 'float32') returns wrong values on the wasm backend.
        return { x, y: tf.oneHot(labels, this.context.outputUnits).toFloat() };
      }
      const width = data.yShape[1] ?? 1;
      let y = tf.tensor2d(this.regressionTargets(data), [data.y.length / width, width]);
      if (this.targetMean && this.targetScale)
        y = y.sub(tf.tensor1d(this.targetMean)).div(tf.tensor1d(this.targetScale));
      return { x, y };
    });
  }

  /**
   * The typed-array loop for small linear, mlp, cnn, lstm, gru and embedding networks on the wasm and cpu
   * backends, where tfjs' per-op dispatch dominates; undefined for anything else (see loop/trainer.ts). The native and
   * GPU backends keep tfjs' fit.
   */
  private loopTrainer(model: tfTypes.LayersModel, sparse: boolean): LoopTrainer | undefined {
    if (!LOOP_KINDS.has(this.candidate.model)) return undefined;
    const backend = this.tf.getBackend();
    if (backend !== 'wasm' && backend !== 'cpu') return undefined;
    const input = sparse ? 'sparse' : 'dense';
    return loopTrainerFor(model, this.training, isClassification(this.context.task), input);
  }

  /** The samples as the loop reads them: sparse rows (text features) or dense ones. */
  private loopInput(data: Dataset): LoopInput {
    return data.sparse ?? data.x;
  }

  /** Targets as the loop reads them: class indices, or standardized regression values. */
  private loopTargets(data: Dataset): Float32Array {
    if (isClassification(this.context.task)) return data.y;
    const targets = this.regressionTargets(data);
    if (!this.targetMean || !this.targetScale) return targets;
    const width = this.targetMean.length;
    const scaled = new Float32Array(targets.length);
    for (let index = 0; index < scaled.length; index++)
      scaled[index] = (targets[index] - this.targetMean[index % width]) / this.targetScale[index % width];
    return scaled;
  }

  private async trainLoop(
    trainer: LoopTrainer,
    model: tfTypes.LayersModel,
    train: Dataset,
    options: FitOptions,
  ): Promise<FitResult> {
    const targets = this.loopTargets(train);
    const split = this.earlyStoppingSplit(train);
    const watch = split && trainer.watch(this.loopInput(train), targets, split.held);
    const monitor = new TrainingMonitor(this.tf, model, this.training, options, watch);
    // Named when the loop trained dense networks only; kept so that mlp runs reproduce across that change.
    const rng = createRng(deriveSeed(this.context.seed, 'dense-loop'));
    const validation =
      options.validation && options.validation.xShape[0] > 0 ? options.validation : undefined;
    const validationTargets = validation ? this.loopTargets(validation) : undefined;
    const afterBatch = async (): Promise<boolean> => {
      await monitor.batchEnd();
      return model.stopTraining;
    };
    model.stopTraining = false;
    for (let epoch = 0; epoch < this.training.epochs; epoch++) {
      const samples = split?.kept ?? train.xShape[0];
      const logs = await trainer.trainEpoch(this.loopInput(train), targets, samples, rng, afterBatch);
      if (validation && validationTargets) {
        const scores = trainer.evaluate(this.loopInput(validation), validationTargets, validation.xShape[0]);
        for (const [key, value] of Object.entries(scores)) logs[`val_${key}`] = value;
      }
      await monitor.epochEnd(epoch, logs);
      if (model.stopTraining) break;
    }
    this.throwIfDiverged(monitor);
    monitor.restoreBestWeights();
    trainer.writeTo(this.tf, model);
    await this.checkWeights(model);
    return { history: monitor.history, stopped: monitor.stopped };
  }

  /**
   * With early stopping, the training rows split into those held out to watch and those trained on: a seeded
   * shuffle, the first `fraction` held out (of augmented images: originals, their copies trained on by neither);
   * undefined without early stopping or when either part is empty.
   */
  private earlyStoppingSplit(train: Dataset): { held: Int32Array; kept: Int32Array } | undefined {
    const early = this.training.earlyStopping;
    if (!early) return undefined;
    const from = train.augmentedFrom;
    const count = from ? originalCount(from) : train.xShape[0];
    const heldCount = Math.round(count * (early.fraction ?? EARLY_STOPPING_FRACTION));
    if (heldCount < 1 || count - heldCount < 1) return undefined;
    const order = shuffleInPlace(
      Int32Array.from({ length: count }, (_, index) => index),
      createRng(deriveSeed(this.context.seed, 'early-stopping')),
    );
    if (from) return holdOutWithCopies(from, order.subarray(0, heldCount));
    return { held: order.subarray(0, heldCount), kept: order.subarray(heldCount) };
  }

  private throwIfDiverged(monitor: TrainingMonitor): void {
    if (monitor.nanEpoch === undefined) return;
    throw new TopdownError(
      'LOSS_NAN',
      `Training of "${this.candidate.name}" diverged: the loss became ${monitor.nanLoss} at epoch ${monitor.nanEpoch + 1}.`,
      { hint: DIVERGED_HINT },
    );
  }

  /** DIVERGED when training left a weight that is not a finite number (the loss can stay finite meanwhile). */
  private async checkWeights(model: tfTypes.LayersModel): Promise<void> {
    // data(), not dataSync(): a GPU backend (webgpu) can only read back asynchronously.
    for (const weight of model.getWeights()) checkFinite(this.candidate.name, 'weights', await weight.data());
  }

  private async train(
    model: tfTypes.LayersModel,
    given: Dataset,
    givenOptions: FitOptions,
  ): Promise<FitResult> {
    await prepareLoopKernels();
    const loop = this.loopTrainer(model, given.sparse !== undefined);
    if (loop) return this.trainLoop(loop, model, given, givenOptions);
    // tfjs' fit reads dense tensors: sparse text features are made dense (MODEL_INVALID when too large).
    const who = `model "${this.kind}" on the ${this.tf.getBackend()} backend`;
    const train = denseFeatures(given, who);
    const options = givenOptions.validation
      ? { ...givenOptions, validation: denseFeatures(givenOptions.validation, who) }
      : givenOptions;
    const tf = this.tf;
    const owned: tfTypes.Tensor[] = [];
    let monitor: TrainingMonitor | undefined;
    const own = <T extends tfTypes.Tensor>(tensor: T): T => {
      owned.push(tensor);
      return tensor;
    };
    try {
      const all = this.tensors(train);
      own(all.x);
      own(all.y);
      let fitX = all.x;
      let fitY = all.y;
      let watch: EarlyStoppingWatch | undefined;
      const split = this.earlyStoppingSplit(train);
      if (split) {
        const heldIndices = own(tf.tensor1d(split.held, 'int32'));
        const keptIndices = own(tf.tensor1d(split.kept, 'int32'));
        watch = tensorWatch(
          tf,
          model,
          own(tf.gather(all.x, heldIndices)),
          own(tf.gather(all.y, heldIndices)),
        );
        fitX = own(tf.gather(all.x, keptIndices));
        fitY = own(tf.gather(all.y, keptIndices));
      }
      let validationData: [tfTypes.Tensor, tfTypes.Tensor] | undefined;
      if (options.validation && options.validation.xShape[0] > 0) {
        const validation = this.tensors(options.validation);
        validationData = [own(validation.x), own(validation.y)];
      }
      monitor = new TrainingMonitor(tf, model, this.training, options, watch);
      await model.fit(fitX, fitY, {
        epochs: this.training.epochs,
        batchSize: this.training.batchSize,
        shuffle: true,
        verbose: 0,
        validationData,
        callbacks: [monitor.callback()],
      });
      this.throwIfDiverged(monitor);
      monitor.restoreBestWeights();
      await this.checkWeights(model);
      return { history: monitor.history, stopped: monitor.stopped };
    } finally {
      monitor?.release();
      for (const tensor of owned) tensor.dispose();
    }
  }
}
