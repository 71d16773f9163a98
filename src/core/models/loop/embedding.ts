/**
 * Embedding and global average and max pooling over time, for text networks on padded token ids (the `sequences` op):
 * Embedding looks up one row of its [inputDim, outputDim] matrix per id, batch-major [time, outputDim] per sample
 * as tfjs lays it out; its gradient adds each output gradient row into the row of its id (tfjs' gather gradient, a
 * segment sum), dense over the whole matrix, so Adam's step is tfjs' step. GlobalAveragePooling1D averages the time
 * steps of each feature; its gradient spreads each feature's gradient evenly back over the steps.
 * GlobalMaxPooling1D keeps each feature's largest step; its gradient goes to every step equal to that maximum
 * (tfjs' max gradient, dy · (x == max): ties, such as the zeros of a ReLU convolution, all take it).
 */
import type { LoopLayer, LoopLayerBuilder } from './layer';
import { Scratch } from './scratch';

/** out[sample, step, :] = embeddings[id(sample, step), :]. */
export class EmbeddingLoopLayer implements LoopLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weights: Float32Array[];
  readonly shapes: number[][];
  readonly gradients: Float32Array[];
  readonly l2 = [0];
  private readonly outputs = new Scratch();
  private readonly ids = new Scratch();

  constructor(
    private readonly length: number,
    private readonly inputDim: number,
    private readonly outputDim: number,
    private readonly embeddings: Float32Array,
  ) {
    this.inputSize = length;
    this.outputSize = length * outputDim;
    this.weights = [embeddings];
    this.shapes = [[inputDim, outputDim]];
    this.gradients = [new Float32Array(embeddings.length)];
  }

  forward(input: Float32Array, batch: number): Float32Array {
    const width = this.outputDim;
    const output = this.outputs.get(batch * this.outputSize);
    const ids = this.ids.get(batch * this.length);
    for (let position = 0; position < batch * this.length; position++) {
      const id = input[position];
      if (!(id >= 0 && id < this.inputDim) || !Number.isInteger(id))
        throw new RangeError(`Token id ${id} is outside the embedding's 0 to ${this.inputDim - 1}.`);
      ids[position] = id;
      output.set(this.embeddings.subarray(id * width, (id + 1) * width), position * width);
    }
    return output;
  }

  /** The embedding's gradient; ids have no gradient, so none is returned. */
  backward(outputGradient: Float32Array, batch: number): undefined {
    const width = this.outputDim;
    const gradient = this.gradients[0];
    gradient.fill(0);
    const ids = this.ids.get(batch * this.length);
    for (let position = 0; position < batch * this.length; position++) {
      const row = ids[position] * width;
      const from = position * width;
      for (let unit = 0; unit < width; unit++) gradient[row + unit] += outputGradient[from + unit];
    }
    return undefined;
  }
}

/** What the global poolings over time share: no weights, [steps, features] in, [features] out. */
abstract class GlobalPooling1DLoopLayer implements LoopLayer {
  readonly weights: Float32Array[] = [];
  readonly shapes: number[][] = [];
  readonly gradients: Float32Array[] = [];
  readonly l2: number[] = [];
  readonly inputSize: number;
  protected readonly outputs = new Scratch();
  protected readonly inputGradients = new Scratch();

  constructor(
    protected readonly steps: number,
    readonly outputSize: number,
  ) {
    this.inputSize = steps * outputSize;
  }

  abstract forward(input: Float32Array, batch: number, training: boolean): Float32Array;
  abstract backward(
    outputGradient: Float32Array,
    batch: number,
    inputGradient: boolean,
  ): Float32Array | undefined;
}

/** out[sample, :] = mean over steps of in[sample, step, :]. */
export class GlobalAveragePooling1DLoopLayer extends GlobalPooling1DLoopLayer {
  forward(input: Float32Array, batch: number): Float32Array {
    const width = this.outputSize;
    const output = this.outputs.get(batch * width);
    output.fill(0);
    for (let sample = 0; sample < batch; sample++) {
      const to = sample * width;
      for (let step = 0; step < this.steps; step++) {
        const from = (sample * this.steps + step) * width;
        for (let unit = 0; unit < width; unit++) output[to + unit] += input[from + unit];
      }
      for (let unit = 0; unit < width; unit++) output[to + unit] /= this.steps;
    }
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    if (!inputGradient) return undefined;
    const width = this.outputSize;
    const gradient = this.inputGradients.get(batch * this.inputSize);
    for (let sample = 0; sample < batch; sample++) {
      for (let step = 0; step < this.steps; step++) {
        const to = (sample * this.steps + step) * width;
        for (let unit = 0; unit < width; unit++)
          gradient[to + unit] = outputGradient[sample * width + unit] / this.steps;
      }
    }
    return gradient;
  }
}

/** out[sample, :] = max over steps of in[sample, step, :]. */
export class GlobalMaxPooling1DLoopLayer extends GlobalPooling1DLoopLayer {
  private readonly inputs = new Scratch();

  forward(input: Float32Array, batch: number, training: boolean): Float32Array {
    const width = this.outputSize;
    const output = this.outputs.get(batch * width);
    output.fill(-Infinity);
    for (let sample = 0; sample < batch; sample++) {
      const to = sample * width;
      for (let step = 0; step < this.steps; step++) {
        const from = (sample * this.steps + step) * width;
        for (let unit = 0; unit < width; unit++) {
          const value = input[from + unit];
          // `!(value <= max)` takes a NaN, as tfjs' max does.
          if (!(value <= output[to + unit])) output[to + unit] = value;
        }
      }
    }
    if (training) this.inputs.get(batch * this.inputSize).set(input.subarray(0, batch * this.inputSize));
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    if (!inputGradient) return undefined;
    const width = this.outputSize;
    const input = this.inputs.get(batch * this.inputSize);
    const output = this.outputs.get(batch * width);
    const gradient = this.inputGradients.get(batch * this.inputSize);
    for (let sample = 0; sample < batch; sample++) {
      for (let step = 0; step < this.steps; step++) {
        const at = (sample * this.steps + step) * width;
        for (let unit = 0; unit < width; unit++) {
          const pooled = sample * width + unit;
          gradient[at + unit] = input[at + unit] === output[pooled] ? outputGradient[pooled] : 0;
        }
      }
    }
    return gradient;
  }
}

/** Embedding of [length] ids without a mask, regularizer or constraint (those are left to tfjs). */
export const embeddingBuilder: LoopLayerBuilder = ({ config, inputShape, weights, shapes }) => {
  if (config.maskZero || config.embeddingsRegularizer || config.activityRegularizer) return undefined;
  if (config.embeddingsConstraint || inputShape.length !== 1) return undefined;
  if (weights.length !== 1 || shapes[0].length !== 2) return undefined;
  const [inputDim, outputDim] = shapes[0];
  const layer = new EmbeddingLoopLayer(inputShape[0], inputDim, outputDim, weights[0]);
  return { layer, values: 2 * layer.outputSize };
};

/** The builder of a global pooling over the steps of [steps, features] (channels last). */
function globalPooling1dBuilder(
  Pooling: new (steps: number, features: number) => GlobalPooling1DLoopLayer,
): LoopLayerBuilder {
  return ({ config, inputShape }) => {
    if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast' || inputShape.length !== 2) return undefined;
    const layer = new Pooling(inputShape[0], inputShape[1]);
    return { layer, values: 2 * layer.inputSize + 2 * layer.outputSize };
  };
}

/** Global average pooling over the steps of [steps, features] (channels last). */
export const globalAveragePooling1dBuilder = globalPooling1dBuilder(GlobalAveragePooling1DLoopLayer);

/** Global max pooling over the steps of [steps, features] (channels last). */
export const globalMaxPooling1dBuilder = globalPooling1dBuilder(GlobalMaxPooling1DLoopLayer);
