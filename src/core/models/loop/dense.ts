/**
 * Dense and dropout layers of the typed-array training loop. A dense layer ending in softmax leaves the
 * softmax derivative to the trainer, which folds it into the cross-entropy gradient (p - onehot).
 * A dense layer's kernels (kernels.ts) run on arrays of one workspace per batch size (workspace.ts), where
 * the SIMD kernels run on them: the kernel and the batch's input and output gradient are copied in (each is
 * one row or column of the products' work, so a copy costs a fraction 1/units or 1/inputs of a product).
 */
import type { Rng } from '../../random';
import { activate, differentiate, type Activation } from './activations';
import { activationOf, kernelL2, sizeOf } from './config';
import { transpose } from './kernels';
import type { LoopLayer, LoopLayerBuilder, LoopLayerSource } from './layer';
import { BatchWorkspaces, Scratch } from './scratch';

/** A dense layer's arrays: the kernels' operands and results. */
type DenseArrays =
  | 'kernel'
  | 'kernelTransposed'
  | 'bias'
  | 'kernelGradient'
  | 'biasGradient'
  | 'input'
  | 'output'
  | 'outputGradient'
  | 'inputGradient';

/** A dense layer's weights, their tfjs shapes, gradient arrays and L2 coefficients (none on the bias). */
export function denseWeights(
  kernel: Float32Array,
  bias: Float32Array | undefined,
  [inputs, units]: [number, number],
  l2: number,
): Pick<LoopLayer, 'weights' | 'shapes' | 'gradients' | 'l2'> {
  const weights = bias ? [kernel, bias] : [kernel];
  return {
    weights,
    shapes: bias ? [[inputs, units], [units]] : [[inputs, units]],
    gradients: weights.map((values) => new Float32Array(values.length)),
    l2: bias ? [l2, 0] : [l2],
  };
}

/** y = activation(x · kernel + bias), per sample. */
export class DenseLoopLayer implements LoopLayer {
  readonly weights: Float32Array[];
  readonly shapes: number[][];
  readonly gradients: Float32Array[];
  readonly l2: number[];
  private readonly buffers: BatchWorkspaces<DenseArrays>;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    private readonly kernel: Float32Array,
    private readonly bias: Float32Array | undefined,
    readonly activation: Activation,
    l2: number,
  ) {
    ({
      weights: this.weights,
      shapes: this.shapes,
      gradients: this.gradients,
      l2: this.l2,
    } = denseWeights(kernel, bias, [inputSize, outputSize], l2));
    this.buffers = new BatchWorkspaces((batch) => ({
      kernel: kernel.length,
      kernelTransposed: kernel.length,
      bias: outputSize,
      kernelGradient: kernel.length,
      biasGradient: outputSize,
      input: batch * inputSize,
      output: batch * outputSize,
      outputGradient: batch * outputSize,
      inputGradient: batch * inputSize,
    }));
  }

  forward(input: Float32Array, batch: number): Float32Array {
    const units = this.outputSize;
    const { arrays, kernels } = this.buffers.get(batch);
    const { kernel, output } = arrays;
    kernel.set(this.kernel);
    arrays.input.set(input);
    if (this.bias) arrays.bias.set(this.bias);
    const relu = this.activation === 'relu';
    const bias = this.bias ? arrays.bias : undefined;
    kernels.affine(arrays.input, kernel, bias, output, batch, this.inputSize, units, relu);
    if (!relu) activate(output, batch, units, this.activation);
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    const units = this.outputSize;
    const { arrays, kernels } = this.buffers.get(batch);
    const { kernel, kernelTransposed, kernelGradient, input, output } = arrays;
    const gradient = arrays.outputGradient;
    gradient.set(outputGradient);
    if (this.activation === 'relu') kernels.reluGradient(gradient, output, batch * units);
    else differentiate(gradient, output, this.activation);
    kernels.matmulTransposeA(input, gradient, kernelGradient, batch, this.inputSize, units);
    this.gradients[0].set(kernelGradient);
    if (this.bias) {
      kernels.columnSums(gradient, batch, units, arrays.biasGradient);
      this.gradients[1].set(arrays.biasGradient);
    }
    if (!inputGradient) return undefined;
    // gradient · kernelᵀ as a plain product with the kernel transposed (one pass over the kernel): its
    // blocks need no per-value horizontal sums, which the transposed-B product does.
    transpose(kernel, this.inputSize, units, kernelTransposed);
    kernels.matmul(gradient, kernelTransposed, arrays.inputGradient, batch, units, this.inputSize);
    return arrays.inputGradient;
  }
}

/** Inverted dropout: kept values scaled by 1 / (1 - rate) while training, the identity otherwise. */
export class DropoutLoopLayer implements LoopLayer {
  readonly weights: Float32Array[] = [];
  readonly shapes: number[][] = [];
  readonly gradients: Float32Array[] = [];
  readonly l2: number[] = [];
  readonly outputSize: number;
  private readonly masks = new Scratch();
  private readonly outputs = new Scratch();
  private applied = false;

  constructor(
    readonly inputSize: number,
    private readonly rate: number,
  ) {
    this.outputSize = inputSize;
  }

  forward(input: Float32Array, batch: number, training: boolean, rng: Rng): Float32Array {
    this.applied = training && this.rate > 0;
    if (!this.applied) return input;
    const length = batch * this.inputSize;
    const mask = this.masks.get(length);
    const output = this.outputs.get(length);
    const keep = 1 / (1 - this.rate);
    for (let index = 0; index < length; index++) {
      mask[index] = rng() >= this.rate ? keep : 0;
      output[index] = input[index] * mask[index];
    }
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    if (!inputGradient) return undefined;
    if (!this.applied) return outputGradient;
    const mask = this.masks.get(batch * this.inputSize);
    for (let index = 0; index < mask.length; index++) outputGradient[index] *= mask[index];
    return outputGradient;
  }
}

/** What a tfjs Dense layer on flat samples asks for, when the loop computes it; undefined otherwise. */
export interface DenseOptions {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array | undefined;
  activation: Activation;
  l2: number;
}

/** A Dense layer's options (tfjs applies Dense to the last axis of a longer shape: left to tfjs). */
export function denseOptions(source: LoopLayerSource): DenseOptions | undefined {
  const { config, inputShape, weights, shapes } = source;
  const activation = activationOf(config, true);
  const l2 = kernelL2(config);
  if (activation === undefined || l2 === undefined || inputShape.length !== 1) return undefined;
  const useBias = config.useBias !== false;
  if (weights.length !== (useBias ? 2 : 1) || shapes[0].length !== 2) return undefined;
  const [inputs, units] = shapes[0];
  if (inputs !== inputShape[0]) return undefined;
  return { inputs, units, kernel: weights[0], bias: useBias ? weights[1] : undefined, activation, l2 };
}

/** Dense on flat samples. */
export const denseBuilder: LoopLayerBuilder = (source) => {
  const options = denseOptions(source);
  if (!options) return undefined;
  const { inputs, units, kernel, bias, activation, l2 } = options;
  const layer = new DenseLoopLayer(inputs, units, kernel, bias, activation, l2);
  return { layer, values: 2 * (inputs + units) };
};

/** Dropout over every value (a noise shape is left to tfjs). */
export const dropoutBuilder: LoopLayerBuilder = ({ config, inputShape }) => {
  const rate = typeof config.rate === 'number' ? config.rate : 0;
  if (config.noiseShape || rate < 0 || rate >= 1) return undefined;
  const layer = new DropoutLoopLayer(sizeOf(inputShape), rate);
  return { layer, values: 2 * layer.inputSize };
};
