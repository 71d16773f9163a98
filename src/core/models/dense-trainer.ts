/**
 * A plain-JavaScript training loop for small dense networks (the zoo's linear and mlp models). For a few
 * hundred to a few thousand weights, tfjs spends its time dispatching ~150 small ops per batch (forward,
 * gradients, Adam, metrics), not computing: this loop does the same arithmetic in typed arrays, about ten
 * times faster on the wasm and cpu backends. It reads the initial weights from the built tfjs model and
 * writes the trained ones back, so prediction and saving are unchanged. The maths follows tfjs: Adam with
 * epsilon 1e-7, categorical cross-entropy on clipped softmax outputs, mean squared error averaged over
 * outputs, the L2 penalty `l2 * sum(w²)` on kernels, inverted dropout, batch-size-weighted epoch logs.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { ResolvedTraining } from './resolve';
import type { TF } from './types';
import { ACTIVATIONS, activate, differentiate, type Activation } from './dense-activations';

/** tfjs' epsilon: Adam's denominator and the cross-entropy clip. */
const EPSILON = 1e-7;
/** Above this many weights the tfjs kernels win over a JavaScript loop. */
const MAX_WEIGHTS = 100_000;

interface DenseLayer {
  type: 'dense';
  inputs: number;
  units: number;
  kernel: Float64Array;
  bias?: Float64Array;
  activation: Activation;
  l2: number;
}
interface DropoutLayer {
  type: 'dropout';
  rate: number;
}
type Layer = DenseLayer | DropoutLayer;

/** One epoch's logs, as tfjs' fit would report them. */
export type DenseLogs = Record<string, number>;

/** The parts of a layer's JSON config this file reads. */
interface LayerConfig {
  activation?: string;
  useBias?: boolean;
  rate?: number;
  kernelRegularizer?: { className?: string; config?: { l1?: number; l2?: number } } | null;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
  noiseShape?: unknown;
}

/**
 * A trainer for `model` when every layer is one this loop computes (input, flatten, dense, dropout), the
 * output is softmax (classification) or linear (regression), and the optimizer is adam or sgd; otherwise
 * undefined, and tfjs trains the model.
 */
export function denseTrainerFor(
  model: tfTypes.LayersModel,
  training: ResolvedTraining,
  classification: boolean,
): DenseTrainer | undefined {
  if (training.optimizer !== 'adam' && training.optimizer !== 'sgd') return undefined;
  if (training.earlyStopping) return undefined;
  const layers: Layer[] = [];
  const weights = model.getWeights();
  let weightIndex = 0;
  let total = 0;
  for (const layer of model.layers) {
    const name = layer.getClassName();
    const config = layer.getConfig() as LayerConfig;
    if (name === 'InputLayer' || name === 'Flatten') continue;
    if (name === 'Dropout') {
      if (config.noiseShape) return undefined;
      layers.push({ type: 'dropout', rate: config.rate ?? 0 });
      continue;
    }
    if (name !== 'Dense') return undefined;
    const activation = config.activation ?? 'linear';
    if (!ACTIVATIONS.has(activation)) return undefined;
    if (config.biasRegularizer || config.activityRegularizer) return undefined;
    if (config.kernelConstraint || config.biasConstraint) return undefined;
    const regularizer = config.kernelRegularizer;
    // tf.regularizers.l2() is an L1L2 with l1 = 0; an L1 part is left to tfjs.
    if (regularizer && (regularizer.className !== 'L1L2' || (regularizer.config?.l1 ?? 0) !== 0))
      return undefined;
    const kernel = weights[weightIndex++];
    if (!kernel || kernel.shape.length !== 2) return undefined;
    const bias = config.useBias === false ? undefined : weights[weightIndex++];
    total += kernel.size + (bias?.size ?? 0);
    layers.push({
      type: 'dense',
      inputs: kernel.shape[0],
      units: kernel.shape[1],
      kernel: Float64Array.from(kernel.dataSync()),
      bias: bias ? Float64Array.from(bias.dataSync()) : undefined,
      activation: activation as Activation,
      l2: regularizer?.config?.l2 ?? 0,
    });
  }
  const dense = layers.filter((layer): layer is DenseLayer => layer.type === 'dense');
  const last = layers[layers.length - 1];
  if (weightIndex !== weights.length || dense.length === 0 || last?.type !== 'dense') return undefined;
  if (dense.slice(0, -1).some((layer) => layer.activation === 'softmax')) return undefined;
  if (last.activation !== (classification ? 'softmax' : 'linear')) return undefined;
  if (total > MAX_WEIGHTS) return undefined;
  return new DenseTrainer(layers, training, classification);
}

/** Trains a dense network in typed arrays; see the file comment. */
export class DenseTrainer {
  private readonly dense: DenseLayer[];
  private readonly moments: Array<{ first: Float64Array; second: Float64Array }>;
  private readonly gradients: Float64Array[];
  private step = 0;

  constructor(
    private readonly layers: Layer[],
    private readonly training: ResolvedTraining,
    private readonly classification: boolean,
  ) {
    this.dense = layers.filter((layer): layer is DenseLayer => layer.type === 'dense');
    const parameters = this.parameters();
    this.moments = parameters.map((values) => ({
      first: new Float64Array(values.length),
      second: new Float64Array(values.length),
    }));
    this.gradients = parameters.map((values) => new Float64Array(values.length));
  }

  /** One pass over the samples in a shuffled order, in batches; returns the epoch's loss (and acc). */
  async trainEpoch(
    x: Float32Array,
    y: Float32Array,
    count: number,
    rng: Rng,
    afterBatch: () => Promise<boolean>,
  ): Promise<DenseLogs> {
    const order = new Int32Array(count);
    for (let index = 0; index < count; index++) order[index] = index;
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
    const logs: DenseLogs = { loss: Math.fround(lossSum / Math.max(seen, 1)) };
    if (this.classification) logs.acc = Math.fround(correctSum / Math.max(seen, 1));
    return logs;
  }

  /** Loss (without the L2 penalty, as tfjs' evaluate) and acc over a whole dataset, without dropout. */
  evaluate(x: Float32Array, y: Float32Array, count: number): DenseLogs {
    const indices = Int32Array.from({ length: count }, (_, index) => index);
    const activations = this.forward(x, indices, undefined);
    const { loss, correct } = this.outputLoss(activations[activations.length - 1], y, indices, false);
    const logs: DenseLogs = { loss: Math.fround(loss / Math.max(count, 1)) };
    if (this.classification) logs.acc = Math.fround(correct / Math.max(count, 1));
    return logs;
  }

  /** Writes the trained weights into the tfjs model (the order of model.getWeights()). */
  writeTo(tf: TF, model: tfTypes.LayersModel): void {
    const tensors: tfTypes.Tensor[] = [];
    for (const layer of this.dense) {
      tensors.push(tf.tensor2d(Float32Array.from(layer.kernel), [layer.inputs, layer.units]));
      if (layer.bias) tensors.push(tf.tensor1d(Float32Array.from(layer.bias)));
    }
    try {
      model.setWeights(tensors);
    } finally {
      for (const tensor of tensors) tensor.dispose();
    }
  }

  private parameters(): Float64Array[] {
    return this.dense.flatMap((layer) => (layer.bias ? [layer.kernel, layer.bias] : [layer.kernel]));
  }

  /** Activations per layer (index 0: the batch's inputs), dropout masks applied when `masks` is given. */
  private forward(x: Float32Array, indices: Int32Array, masks: Array<Float64Array | undefined> | undefined) {
    const batch = indices.length;
    const width = this.dense[0].inputs;
    const input = new Float64Array(batch * width);
    for (let row = 0; row < batch; row++) {
      const offset = indices[row] * width;
      for (let column = 0; column < width; column++) input[row * width + column] = x[offset + column];
    }
    const activations: Float64Array[] = [input];
    let current = input;
    let currentWidth = width;
    this.layers.forEach((layer, layerIndex) => {
      if (layer.type === 'dropout') {
        const mask = masks?.[layerIndex];
        if (mask) {
          const dropped = new Float64Array(current.length);
          for (let index = 0; index < current.length; index++) dropped[index] = current[index] * mask[index];
          current = dropped;
        }
        activations.push(current);
        return;
      }
      const { kernel, bias, units } = layer;
      const output = new Float64Array(batch * units);
      for (let row = 0; row < batch; row++) {
        const outputOffset = row * units;
        if (bias) for (let unit = 0; unit < units; unit++) output[outputOffset + unit] = bias[unit];
        const inputOffset = row * currentWidth;
        for (let inputIndex = 0; inputIndex < currentWidth; inputIndex++) {
          const value = current[inputOffset + inputIndex];
          if (value === 0) continue;
          const kernelOffset = inputIndex * units;
          for (let unit = 0; unit < units; unit++)
            output[outputOffset + unit] += value * kernel[kernelOffset + unit];
        }
      }
      activate(output, batch, units, layer.activation);
      activations.push(output);
      current = output;
      currentWidth = units;
    });
    return activations;
  }

  /** Summed loss and correct count over the batch; with `gradient`, the loss gradient overwrites `output`. */
  private outputLoss(output: Float64Array, y: Float32Array, indices: Int32Array, gradient: boolean) {
    const batch = indices.length;
    const units = this.dense[this.dense.length - 1].units;
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
            output[offset + unit] = (output[offset + unit] - (unit === label ? 1 : 0)) / batch;
        }
      } else {
        let squares = 0;
        for (let unit = 0; unit < units; unit++) {
          const difference = output[offset + unit] - y[indices[row] * units + unit];
          squares += difference * difference;
          if (gradient) output[offset + unit] = (2 * difference) / (units * batch);
        }
        loss += squares / units;
      }
    }
    return { loss, correct };
  }

  private trainBatch(x: Float32Array, y: Float32Array, indices: Int32Array, rng: Rng) {
    const batch = indices.length;
    const masks = this.dropoutMasks(batch, rng);
    const activations = this.forward(x, indices, masks);
    const output = activations[activations.length - 1];
    const { loss, correct } = this.outputLoss(output, y, indices, true);
    let penalty = 0;
    for (const layer of this.dense) {
      if (layer.l2 === 0) continue;
      let squares = 0;
      for (const weight of layer.kernel) squares += weight * weight;
      penalty += layer.l2 * squares;
    }
    let delta = output;
    let parameterIndex = this.gradients.length;
    for (let layerIndex = this.layers.length - 1; layerIndex >= 0; layerIndex--) {
      const layer = this.layers[layerIndex];
      const input = activations[layerIndex];
      if (layer.type === 'dropout') {
        const mask = masks[layerIndex];
        if (mask) for (let index = 0; index < delta.length; index++) delta[index] *= mask[index];
        continue;
      }
      const { inputs, units, kernel, bias } = layer;
      if (bias) {
        const biasGradient = this.gradients[--parameterIndex];
        biasGradient.fill(0);
        for (let row = 0; row < batch; row++)
          for (let unit = 0; unit < units; unit++) biasGradient[unit] += delta[row * units + unit];
      }
      const kernelGradient = this.gradients[--parameterIndex];
      for (let index = 0; index < kernel.length; index++)
        kernelGradient[index] = 2 * layer.l2 * kernel[index];
      const previous = layerIndex > 0 ? new Float64Array(batch * inputs) : undefined;
      for (let row = 0; row < batch; row++) {
        for (let inputIndex = 0; inputIndex < inputs; inputIndex++) {
          const value = input[row * inputs + inputIndex];
          const kernelOffset = inputIndex * units;
          let sum = 0;
          for (let unit = 0; unit < units; unit++) {
            const gradient = delta[row * units + unit];
            kernelGradient[kernelOffset + unit] += value * gradient;
            sum += gradient * kernel[kernelOffset + unit];
          }
          if (previous) previous[row * inputs + inputIndex] = sum;
        }
      }
      if (!previous) break;
      const below = this.denseBelow(layerIndex);
      if (below) differentiate(previous, activations[this.layers.indexOf(below) + 1], below.activation);
      delta = previous;
    }
    this.applyGradients();
    return { loss: loss / batch + penalty, correct };
  }

  /** The nearest dense layer under `layerIndex` (dropout between them passes gradients through). */
  private denseBelow(layerIndex: number): DenseLayer | undefined {
    for (let index = layerIndex - 1; index >= 0; index--) {
      const layer = this.layers[index];
      if (layer.type === 'dense') return layer;
    }
    return undefined;
  }

  /** Inverted dropout masks (kept / (1 - rate), else 0) per dropout layer, drawn from the seeded stream. */
  private dropoutMasks(batch: number, rng: Rng): Array<Float64Array | undefined> {
    let width = this.dense[0].inputs;
    return this.layers.map((layer) => {
      if (layer.type === 'dense') {
        width = layer.units;
        return undefined;
      }
      if (layer.rate <= 0) return undefined;
      const mask = new Float64Array(batch * width);
      const keep = 1 / (1 - layer.rate);
      for (let index = 0; index < mask.length; index++) mask[index] = rng() >= layer.rate ? keep : 0;
      return mask;
    });
  }

  private applyGradients(): void {
    const { learningRate, optimizer } = this.training;
    const parameters = this.parameters();
    this.step++;
    const firstCorrection = 1 - 0.9 ** this.step;
    const secondCorrection = 1 - 0.999 ** this.step;
    parameters.forEach((values, index) => {
      const gradient = this.gradients[index];
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
