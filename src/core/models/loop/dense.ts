/**
 * Dense and dropout layers of the typed-array training loop. A dense layer ending in softmax leaves the
 * softmax derivative to the trainer, which folds it into the cross-entropy gradient (p - onehot).
 * A dense layer's products run on arrays of one workspace per batch size (workspace.ts), where the SIMD
 * kernels run on them: the kernel and the batch's input and output gradient are copied in (each is one
 * row or column of the products' work, so a copy costs a fraction 1/units or 1/inputs of a product).
 */
import type { Rng } from '../../random';
import { activate, differentiate, type Activation } from './activations';
import { activationOf, kernelL2, sizeOf } from './config';
import type { LoopLayer, LoopLayerBuilder } from './layer';
import { BuffersBySize, Scratch } from './scratch';
import { workspace, type Workspace } from './workspace';

/** A dense layer's arrays for one batch size: the products' operands and results. */
type DenseBuffers = Workspace<
  'kernel' | 'kernelGradient' | 'input' | 'output' | 'outputGradient' | 'inputGradient'
>;

/** y = activation(x · kernel + bias), per sample. */
export class DenseLoopLayer implements LoopLayer {
  readonly weights: Float32Array[];
  readonly shapes: number[][];
  readonly gradients: Float32Array[];
  readonly l2: number[];
  private readonly buffers: BuffersBySize<DenseBuffers>;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    private readonly kernel: Float32Array,
    private readonly bias: Float32Array | undefined,
    readonly activation: Activation,
    l2: number,
  ) {
    this.weights = bias ? [kernel, bias] : [kernel];
    this.shapes = bias ? [[inputSize, outputSize], [outputSize]] : [[inputSize, outputSize]];
    this.gradients = this.weights.map((values) => new Float32Array(values.length));
    this.l2 = bias ? [l2, 0] : [l2];
    this.buffers = new BuffersBySize((batch) =>
      workspace({
        kernel: kernel.length,
        kernelGradient: kernel.length,
        input: batch * inputSize,
        output: batch * outputSize,
        outputGradient: batch * outputSize,
        inputGradient: batch * inputSize,
      }),
    );
  }

  forward(input: Float32Array, batch: number): Float32Array {
    const units = this.outputSize;
    const { arrays, products } = this.buffers.get(batch);
    const { kernel, output } = arrays;
    kernel.set(this.kernel);
    arrays.input.set(input);
    const bias = this.bias;
    if (bias) for (let row = 0; row < batch; row++) output.set(bias, row * units);
    products.matmul(arrays.input, kernel, output, batch, this.inputSize, units, bias !== undefined);
    activate(output, batch, units, this.activation);
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    const units = this.outputSize;
    const { arrays, products } = this.buffers.get(batch);
    const { kernel, kernelGradient, input, output } = arrays;
    differentiate(outputGradient, output, this.activation);
    arrays.outputGradient.set(outputGradient);
    products.matmulTransposeA(input, arrays.outputGradient, kernelGradient, batch, this.inputSize, units);
    this.gradients[0].set(kernelGradient);
    if (this.bias) {
      const biasGradient = this.gradients[1];
      biasGradient.fill(0);
      for (let row = 0; row < batch; row++) {
        const offset = row * units;
        for (let unit = 0; unit < units; unit++) biasGradient[unit] += outputGradient[offset + unit];
      }
    }
    if (!inputGradient) return undefined;
    const previous = arrays.inputGradient;
    products.matmulTransposeB(arrays.outputGradient, kernel, previous, batch, units, this.inputSize);
    return previous;
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

/** Dense on flat samples (tfjs applies Dense to the last axis of a longer shape: left to tfjs). */
export const denseBuilder: LoopLayerBuilder = ({ config, inputShape, weights, shapes }) => {
  const activation = activationOf(config, true);
  const l2 = kernelL2(config);
  if (activation === undefined || l2 === undefined || inputShape.length !== 1) return undefined;
  const useBias = config.useBias !== false;
  if (weights.length !== (useBias ? 2 : 1) || shapes[0].length !== 2) return undefined;
  const [inputs, units] = shapes[0];
  if (inputs !== inputShape[0]) return undefined;
  const layer = new DenseLoopLayer(
    inputs,
    units,
    weights[0],
    useBias ? weights[1] : undefined,
    activation,
    l2,
  );
  return { layer, values: 2 * (inputs + units) };
};

/** Dropout over every value (a noise shape is left to tfjs). */
export const dropoutBuilder: LoopLayerBuilder = ({ config, inputShape }) => {
  const rate = typeof config.rate === 'number' ? config.rate : 0;
  if (config.noiseShape || rate < 0 || rate >= 1) return undefined;
  const layer = new DropoutLoopLayer(sizeOf(inputShape), rate);
  return { layer, values: 2 * layer.inputSize };
};
