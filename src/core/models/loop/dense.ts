/**
 * Dense and dropout layers of the typed-array training loop. A dense layer ending in softmax leaves the
 * softmax derivative to the trainer, which folds it into the cross-entropy gradient (p - onehot).
 */
import type { Rng } from '../../random';
import { activate, differentiate, type Activation } from './activations';
import { activationOf, kernelL2, sizeOf } from './config';
import { matmul, matmulTransposeA, matmulTransposeB } from './gemm';
import type { LoopLayer, LoopLayerBuilder } from './layer';
import { Scratch } from './scratch';

/** y = activation(x · kernel + bias), per sample. */
export class DenseLoopLayer implements LoopLayer {
  readonly weights: Float64Array[];
  readonly shapes: number[][];
  readonly gradients: Float64Array[];
  readonly l2: number[];
  private readonly outputs = new Scratch();
  private readonly inputGradients = new Scratch();
  private input: Float64Array = new Float64Array(0);
  private output: Float64Array = new Float64Array(0);

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    private readonly kernel: Float64Array,
    private readonly bias: Float64Array | undefined,
    readonly activation: Activation,
    l2: number,
  ) {
    this.weights = bias ? [kernel, bias] : [kernel];
    this.shapes = bias ? [[inputSize, outputSize], [outputSize]] : [[inputSize, outputSize]];
    this.gradients = this.weights.map((values) => new Float64Array(values.length));
    this.l2 = bias ? [l2, 0] : [l2];
  }

  forward(input: Float64Array, batch: number): Float64Array {
    const units = this.outputSize;
    const output = this.outputs.get(batch * units);
    const bias = this.bias;
    if (bias) for (let row = 0; row < batch; row++) output.set(bias, row * units);
    matmul(input, this.kernel, output, batch, this.inputSize, units, bias !== undefined);
    activate(output, batch, units, this.activation);
    this.input = input;
    this.output = output;
    return output;
  }

  backward(outputGradient: Float64Array, batch: number, inputGradient: boolean): Float64Array | undefined {
    const units = this.outputSize;
    differentiate(outputGradient, this.output, this.activation);
    matmulTransposeA(this.input, outputGradient, this.gradients[0], batch, this.inputSize, units);
    if (this.bias) {
      const biasGradient = this.gradients[1];
      biasGradient.fill(0);
      for (let row = 0; row < batch; row++) {
        const offset = row * units;
        for (let unit = 0; unit < units; unit++) biasGradient[unit] += outputGradient[offset + unit];
      }
    }
    if (!inputGradient) return undefined;
    const previous = this.inputGradients.get(batch * this.inputSize);
    matmulTransposeB(outputGradient, this.kernel, previous, batch, units, this.inputSize);
    return previous;
  }
}

/** Inverted dropout: kept values scaled by 1 / (1 - rate) while training, the identity otherwise. */
export class DropoutLoopLayer implements LoopLayer {
  readonly weights: Float64Array[] = [];
  readonly shapes: number[][] = [];
  readonly gradients: Float64Array[] = [];
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

  forward(input: Float64Array, batch: number, training: boolean, rng: Rng): Float64Array {
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

  backward(outputGradient: Float64Array, batch: number, inputGradient: boolean): Float64Array | undefined {
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
  return { layer, multiplyAdds: inputs * units };
};

/** Dropout over every value (a noise shape is left to tfjs). */
export const dropoutBuilder: LoopLayerBuilder = ({ config, inputShape }) => {
  const rate = typeof config.rate === 'number' ? config.rate : 0;
  if (config.noiseShape || rate < 0 || rate >= 1) return undefined;
  return { layer: new DropoutLoopLayer(sizeOf(inputShape), rate), multiplyAdds: 0 };
};
