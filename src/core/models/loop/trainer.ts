/**
 * A plain-JavaScript training loop for small Sequential networks (the zoo's linear, mlp, cnn, lstm, gru and
 * embedding models). For a few thousand weights, tfjs spends its time dispatching many small ops per batch (forward,
 * gradients, Adam, metrics), not computing: this loop does the same arithmetic in typed arrays, several
 * times faster on the wasm and cpu backends. It reads the initial weights from the built tfjs model and writes the trained
 * ones back, so prediction and saving are unchanged. The maths follows tfjs: Adam with epsilon 1e-7,
 * categorical cross-entropy on clipped softmax outputs, mean squared error averaged over outputs, the L2
 * penalty `l2 * sum(w²)` per kernel, inverted dropout, batch-size-weighted epoch logs.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../../random';
import type { CsrMatrix } from '../../sparse';
import type { ResolvedTraining } from '../resolve';
import type { EarlyStoppingWatch } from '../training-monitor';
import type { TF } from '../types';
import { conv1dBuilder, conv2dBuilder, maxPooling2dBuilder } from './conv';
import { denseBuilder, dropoutBuilder } from './dense';
import { embeddingBuilder, globalAveragePooling1dBuilder, globalMaxPooling1dBuilder } from './embedding';
import { gruBuilder } from './gru';
import type { LoopLayer, LoopLayerBuilder } from './layer';
import { lstmBuilder } from './lstm';
import { Scratch } from './scratch';
import { sparseDenseBuilder, type SparseBatch, type SparseInputLayer } from './sparse-dense';

// Scripts that import the trainer from ESM (bench/) get the kernels' preparation from the same module instance.
export { prepareLoopKernels } from './gemm-simd';

/** tfjs' epsilon: Adam's denominator and the cross-entropy clip. */
const EPSILON = 1e-7;
/**
 * The loop's one limit is memory: a model trains here when its batch buffers (BuiltLoopLayer.values, float32,
 * for a training batch and the shorter last one) take at most this many bytes, else tfjs' fit trains it, whose
 * convolutions need no im2col matrix. There is no cost cap: measured on wasm (`bench/backends.mjs --loop`, CPU
 * seconds, load ~20 on 2 cores), the float32 SIMD loop trains every model it computes faster than `fit`: the
 * Fashion-MNIST CNN (conv 16 → pool → dense 10, batch 128) at 2,100 samples per CPU-second against 639, the
 * two-block CNN (conv 32 → pool → conv 64 → pool → dense 128 → 10) at 378 against 169; the small dense, 8×8 CNN
 * and LSTM models were already faster in the float64 loop (bench/README.md). tfjs' per-op dispatch is gone, and
 * per multiply-add the f32x4 kernels are about as fast as XNNPACK's (0.21 ns against 0.47 ns on the two-block
 * CNN, elementwise work included). With ReLU, bias, pooling and im2col in the SIMD module too (kernels.ts), the
 * two CNNs train at about 11,000-14,000 and 600-660 samples per CPU-second (bench/README.md, "Elementwise work
 * in SIMD").
 */
const MAX_BATCH_BYTES = 512 * 1024 * 1024;

const passThrough: LoopLayerBuilder = () => 'pass-through';

/**
 * How each tfjs layer class becomes a loop layer. A class that is not here, or whose builder returns
 * undefined for a layer's options, leaves the whole model to tfjs.
 */
const registry = new Map<string, LoopLayerBuilder>([
  ['InputLayer', passThrough],
  ['Flatten', passThrough],
  ['Reshape', passThrough],
  ['Dense', denseBuilder],
  ['Dropout', dropoutBuilder],
  ['Conv2D', conv2dBuilder],
  ['MaxPooling2D', maxPooling2dBuilder],
  ['LSTM', lstmBuilder],
  ['GRU', gruBuilder],
  ['Embedding', embeddingBuilder],
  ['GlobalAveragePooling1D', globalAveragePooling1dBuilder],
  ['Conv1D', conv1dBuilder],
  ['GlobalMaxPooling1D', globalMaxPooling1dBuilder],
]);

/** Adds (or replaces) the loop's builder for a tfjs layer class, e.g. `registerLoopLayer('LSTM', lstmBuilder)`. */
export function registerLoopLayer(className: string, builder: LoopLayerBuilder): void {
  registry.set(className, builder);
}

/**
 * The samples the loop reads: dense rows (row-major Float32Array, each sample as tfjs lays it out) or sparse
 * rows (text features), which only a network whose first layer is Dense reads, through a sparse dense layer.
 */
export type LoopInput = Float32Array | CsrMatrix;

/** One epoch's logs, as tfjs' fit would report them. */
export type LoopLogs = Record<string, number>;

/**
 * A trainer for `model` when it is a single chain of layers the loop computes, its output is a dense
 * softmax (classification) or linear layer (regression), the optimizer is adam or sgd, and a batch's
 * buffers fit in MAX_BATCH_BYTES; otherwise undefined, and tfjs trains the model.
 */
export function loopTrainerFor(
  model: tfTypes.LayersModel,
  training: ResolvedTraining,
  classification: boolean,
  input: 'dense' | 'sparse' = 'dense',
): LoopTrainer | undefined {
  if (training.optimizer !== 'adam' && training.optimizer !== 'sgd') return undefined;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return undefined;
  let shape = model.inputs[0].shape.slice(1);
  const layers: LoopLayer[] = [];
  let values = 0;
  let weightCount = 0;
  let last: { className: string; activation: unknown } | undefined;
  for (const tfLayer of model.layers) {
    const className = tfLayer.getClassName();
    // Sparse rows go straight into the first layer, which must then be a Dense layer.
    const sparseFirst = input === 'sparse' && layers.length === 0 && className !== 'InputLayer';
    if (sparseFirst && className !== 'Dense') return undefined;
    const builder = sparseFirst ? sparseDenseBuilder : registry.get(className);
    const outputShape = (tfLayer.outputShape as Array<number | null>).slice(1);
    if (!builder || !isKnown(shape) || !isKnown(outputShape)) return undefined;
    const weights = tfLayer.getWeights();
    if (weights.length > 0 && !tfLayer.trainable) return undefined;
    const config = tfLayer.getConfig() as Record<string, unknown>;
    const built = builder({
      className,
      config,
      inputShape: shape,
      outputShape,
      weights: weights.map((weight) => Float32Array.from(weight.dataSync())),
      shapes: weights.map((weight) => weight.shape),
    });
    if (built === undefined) return undefined;
    shape = outputShape;
    if (built === 'pass-through') {
      if (weights.length > 0) return undefined;
      continue;
    }
    // A softmax is computed with the loss, so only the output layer may have one.
    if (last?.activation === 'softmax') return undefined;
    const { layer } = built;
    if (layer.inputSize !== (layers[layers.length - 1]?.outputSize ?? layer.inputSize)) return undefined;
    layers.push(layer);
    values += built.values;
    weightCount += layer.weights.length;
    last = { className, activation: config.activation ?? 'linear' };
  }
  if (!last || last.className !== 'Dense' || last.activation !== (classification ? 'softmax' : 'linear'))
    return undefined;
  if (weightCount !== model.getWeights().length || !layers.some((layer) => layer.weights.length > 0))
    return undefined;
  if (2 * 4 * values * training.batchSize > MAX_BATCH_BYTES) return undefined;
  return new LoopTrainer(layers, training, classification, input === 'sparse');
}

function isKnown(shape: ReadonlyArray<number | null>): shape is number[] {
  return shape.every((dimension) => typeof dimension === 'number');
}

/** Trains a chain of loop layers in typed arrays; see the file comment. */
export class LoopTrainer {
  /** Every weight array with its gradient and L2 coefficient, in the order of model.getWeights(). */
  private readonly parameters: Array<{ values: Float32Array; gradient: Float32Array; l2: number }>;
  private readonly moments: Array<{ first: Float32Array; second: Float32Array }>;
  /** The first layer with weights: backward() stops there, and asks it for no input gradient. */
  private readonly firstTrained: number;
  private readonly inputSize: number;
  private readonly outputSize: number;
  private readonly inputs = new Scratch();
  /** The batch's sparse rows, when the samples are sparse (reused from batch to batch). */
  private sparseBatch: { indptr: Int32Array; indices: Int32Array; values: Float32Array } = {
    indptr: new Int32Array(1),
    indices: new Int32Array(0),
    values: new Float32Array(0),
  };
  private readonly outputGradients = new Scratch();
  /** Sample indices of the current epoch or evaluation, reused. */
  private order = new Int32Array(0);
  private step = 0;

  constructor(
    private readonly layers: LoopLayer[],
    private readonly training: ResolvedTraining,
    private readonly classification: boolean,
    /** The samples are sparse rows, read by the first layer (a SparseInputLayer). */
    private readonly sparse = false,
  ) {
    this.parameters = layers.flatMap((layer) =>
      layer.weights.map((values, index) => ({
        values,
        gradient: layer.gradients[index],
        l2: layer.l2[index],
      })),
    );
    this.moments = this.parameters.map(({ values }) => ({
      first: new Float32Array(values.length),
      second: new Float32Array(values.length),
    }));
    this.firstTrained = layers.findIndex((layer) => layer.weights.length > 0);
    this.inputSize = layers[0].inputSize;
    this.outputSize = layers[layers.length - 1].outputSize;
  }

  /**
   * One pass over the samples in a shuffled order, in batches; returns the epoch's loss (and acc). `samples`
   * is a count (rows 0 to count - 1) or the rows to train on (the rest held out for early stopping).
   */
  async trainEpoch(
    x: LoopInput,
    y: Float32Array,
    samples: number | Int32Array,
    rng: Rng,
    afterBatch: () => Promise<boolean>,
  ): Promise<LoopLogs> {
    const count = typeof samples === 'number' ? samples : samples.length;
    const order = this.rows(samples);
    for (let index = count - 1; index > 0; index--) {
      const other = Math.floor(rng() * (index + 1));
      const held = order[index];
      order[index] = order[other];
      order[other] = held;
    }
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    for (let start = 0; start < count; start += this.training.batchSize) {
      const indices = order.subarray(start, Math.min(count, start + this.training.batchSize));
      const { loss, correct } = this.trainBatch(x, y, indices, rng);
      lossSum += loss * indices.length;
      correctSum += correct;
      seen += indices.length;
      if (await afterBatch()) break;
    }
    // Rounded to float32, as tfjs reports it: a loss beyond float32's range is Infinity here too.
    const logs: LoopLogs = { loss: Math.fround(lossSum / Math.max(seen, 1)) };
    if (this.classification) logs.acc = Math.fround(correctSum / Math.max(seen, 1));
    return logs;
  }

  /**
   * Loss (without the L2 penalty, as tfjs' evaluate) and acc over a whole dataset, without dropout;
   * `samples` as in trainEpoch().
   */
  evaluate(x: LoopInput, y: Float32Array, samples: number | Int32Array): LoopLogs {
    const rows = this.rows(samples);
    const count = rows.length;
    let lossSum = 0;
    let correctSum = 0;
    for (let start = 0; start < count; start += this.training.batchSize) {
      const indices = rows.subarray(start, Math.min(count, start + this.training.batchSize));
      const output = this.forward(x, indices, false, noRandom);
      const { loss, correct } = this.outputLoss(output, y, indices, undefined);
      lossSum += loss;
      correctSum += correct;
    }
    const logs: LoopLogs = { loss: Math.fround(lossSum / Math.max(count, 1)) };
    if (this.classification) logs.acc = Math.fround(correctSum / Math.max(count, 1));
    return logs;
  }

  /** The network's outputs (probabilities or values) for every sample, without dropout. */
  predict(x: LoopInput, count: number): Float32Array {
    const predictions = new Float32Array(count * this.outputSize);
    const rows = this.rows(count);
    for (let start = 0; start < count; start += this.training.batchSize) {
      const indices = rows.subarray(start, Math.min(count, start + this.training.batchSize));
      predictions.set(this.forward(x, indices, false, noRandom), start * this.outputSize);
    }
    return predictions;
  }

  /**
   * Early stopping on `heldOut` rows of x and y (see training-monitor.ts): their loss, and the best epoch's
   * weights kept in copies and put back.
   */
  watch(x: LoopInput, y: Float32Array, heldOut: Int32Array): EarlyStoppingWatch {
    let best: Float32Array[] | undefined;
    return {
      loss: () => Promise.resolve(this.evaluate(x, y, heldOut).loss),
      keepBest: () => {
        best ??= this.parameters.map(({ values }) => new Float32Array(values.length));
        this.parameters.forEach(({ values }, index) => best?.[index].set(values));
      },
      restoreBest: () => {
        const kept = best;
        if (kept) this.parameters.forEach(({ values }, index) => values.set(kept[index]));
        best = undefined;
      },
      release: () => {
        best = undefined;
      },
    };
  }

  /** Sample indices: 0 to `samples` - 1, or a copy of the given rows, in the trainer's reused buffer. */
  private rows(samples: number | Int32Array): Int32Array {
    const count = typeof samples === 'number' ? samples : samples.length;
    if (this.order.length < count) this.order = new Int32Array(count);
    const rows = this.order.subarray(0, count);
    if (typeof samples === 'number') for (let index = 0; index < count; index++) rows[index] = index;
    else rows.set(samples);
    return rows;
  }

  /** Writes the trained weights into the tfjs model (the order of model.getWeights()). */
  writeTo(tf: TF, model: tfTypes.LayersModel): void {
    const tensors = this.layers.flatMap((layer) =>
      layer.weights.map((values, index) => tf.tensor(values.slice(), layer.shapes[index])),
    );
    try {
      model.setWeights(tensors);
    } finally {
      for (const tensor of tensors) tensor.dispose();
    }
  }

  /** The batch's rows of `x`, then every layer's forward pass; returns the last layer's outputs. */
  private forward(x: LoopInput, indices: Int32Array, training: boolean, rng: Rng): Float32Array {
    const batch = indices.length;
    if (!(x instanceof Float32Array)) {
      if (!this.sparse) throw new Error('Sparse rows given to a loop trainer built for dense ones.');
      const first = this.layers[0] as SparseInputLayer;
      let current = first.forwardSparse(this.sparseRows(x, indices), batch);
      for (const layer of this.layers.slice(1)) current = layer.forward(current, batch, training, rng);
      return current;
    }
    if (this.sparse) throw new Error('Dense rows given to a loop trainer built for sparse ones.');
    const width = this.inputSize;
    let current = this.inputs.get(batch * width);
    for (let row = 0; row < batch; row++) {
      const offset = indices[row] * width;
      current.set(x.subarray(offset, offset + width), row * width);
    }
    for (const layer of this.layers) current = layer.forward(current, batch, training, rng);
    return current;
  }

  /** The rows `indices` of a CSR matrix, in order, in the trainer's reused buffers. */
  private sparseRows(matrix: CsrMatrix, indices: Int32Array): SparseBatch {
    const batch = indices.length;
    let stored = 0;
    for (let row = 0; row < batch; row++)
      stored += matrix.indptr[indices[row] + 1] - matrix.indptr[indices[row]];
    let rows = this.sparseBatch;
    if (rows.indptr.length < batch + 1 || rows.indices.length < stored) {
      rows = {
        indptr: new Int32Array(Math.max(batch + 1, rows.indptr.length)),
        indices: new Int32Array(Math.max(stored, rows.indices.length)),
        values: new Float32Array(Math.max(stored, rows.values.length)),
      };
      this.sparseBatch = rows;
    }
    let position = 0;
    for (let row = 0; row < batch; row++) {
      rows.indptr[row] = position;
      const start = matrix.indptr[indices[row]];
      const end = matrix.indptr[indices[row] + 1];
      rows.indices.set(matrix.indices.subarray(start, end), position);
      rows.values.set(matrix.values.subarray(start, end), position);
      position += end - start;
    }
    rows.indptr[batch] = position;
    return rows;
  }

  /**
   * Summed loss and correct count over the batch; with `gradient`, dLoss/dOutput of the batch's mean loss
   * is written there (for softmax, of the logits: the trainer folds the softmax derivative in).
   */
  private outputLoss(output: Float32Array, y: Float32Array, indices: Int32Array, gradient?: Float32Array) {
    const batch = indices.length;
    const units = this.outputSize;
    let loss = 0;
    let correct = 0;
    for (let row = 0; row < batch; row++) {
      const offset = row * units;
      if (this.classification) {
        const label = y[indices[row]];
        const probability = Math.min(1 - EPSILON, Math.max(EPSILON, output[offset + label]));
        loss -= Math.log(probability);
        let best = 0;
        for (let unit = 1; unit < units; unit++)
          if (output[offset + unit] > output[offset + best]) best = unit;
        if (best === label) correct++;
        if (gradient) {
          // Softmax followed by cross-entropy: the gradient of the mean loss is (p - onehot) / batch.
          for (let unit = 0; unit < units; unit++)
            gradient[offset + unit] = (output[offset + unit] - (unit === label ? 1 : 0)) / batch;
        }
      } else {
        let squares = 0;
        for (let unit = 0; unit < units; unit++) {
          const difference = output[offset + unit] - y[indices[row] * units + unit];
          squares += difference * difference;
          if (gradient) gradient[offset + unit] = (2 * difference) / (units * batch);
        }
        loss += squares / units;
      }
    }
    return { loss, correct };
  }

  private trainBatch(x: LoopInput, y: Float32Array, indices: Int32Array, rng: Rng) {
    const batch = indices.length;
    const output = this.forward(x, indices, true, rng);
    let delta = this.outputGradients.get(batch * this.outputSize);
    const { loss, correct } = this.outputLoss(output, y, indices, delta);
    for (let index = this.layers.length - 1; index >= this.firstTrained; index--) {
      const previous = this.layers[index].backward(delta, batch, index > this.firstTrained);
      if (!previous) break;
      delta = previous;
    }
    let penalty = 0;
    for (const { values, gradient, l2 } of this.parameters) {
      if (l2 === 0) continue;
      let squares = 0;
      for (let index = 0; index < values.length; index++) {
        squares += values[index] * values[index];
        gradient[index] += 2 * l2 * values[index];
      }
      penalty += l2 * squares;
    }
    this.applyGradients();
    return { loss: loss / batch + penalty, correct };
  }

  private applyGradients(): void {
    const { learningRate, optimizer } = this.training;
    this.step++;
    const firstCorrection = 1 - 0.9 ** this.step;
    const secondCorrection = 1 - 0.999 ** this.step;
    this.parameters.forEach(({ values, gradient }, index) => {
      if (optimizer === 'sgd') {
        for (let weight = 0; weight < values.length; weight++)
          values[weight] -= learningRate * gradient[weight];
        return;
      }
      const { first, second } = this.moments[index];
      for (let weight = 0; weight < values.length; weight++) {
        const value = gradient[weight];
        first[weight] = 0.9 * first[weight] + 0.1 * value;
        second[weight] = 0.999 * second[weight] + 0.001 * value * value;
        values[weight] -=
          (learningRate * (first[weight] / firstCorrection)) /
          (Math.sqrt(second[weight] / secondCorrection) + EPSILON);
      }
    });
  }
}

/** evaluate() and predict() apply no dropout, so they draw nothing. */
const noRandom: Rng = () => 0;
