/**
 * A dense layer reading sparse rows (CSR, as the tfidf and counts ops make them): the first layer of an mlp on
 * text features. A 6,000 × 20,000 TF-IDF matrix holds a few hundred thousand values, so the layer's product
 * visits only the stored values: forward, y = activation(x · kernel + bias) adds one kernel row per stored
 * value; backward, the kernel gradient xᵀ · g adds one scaled gradient row per stored value. The kernel and its
 * gradient stay dense (inputs × units), as tfjs keeps them, so Adam's step is tfjs' step.
 */
import { activate, differentiate, type Activation } from './activations';
import { denseOptions, denseWeights } from './dense';
import type { LoopLayer, LoopLayerBuilder } from './layer';
import { Scratch } from './scratch';

/** One batch of sparse rows: row r's values are values[indptr[r] .. indptr[r + 1]) at columns indices[...]. */
export interface SparseBatch {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** A loop layer that can read the batch's rows sparse (only the network's first layer is given them so). */
export interface SparseInputLayer extends LoopLayer {
  /** The batch's outputs from sparse rows; what backward() needs is kept until the next forward. */
  forwardSparse(input: SparseBatch, batch: number): Float32Array;
}

/** y = activation(x · kernel + bias) for sparse x. */
export class SparseDenseLoopLayer implements SparseInputLayer {
  readonly weights: Float32Array[];
  readonly shapes: number[][];
  readonly gradients: Float32Array[];
  readonly l2: number[];
  private readonly outputs = new Scratch();
  private readonly deltas = new Scratch();
  private last?: SparseBatch;

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
  }

  forwardSparse(input: SparseBatch, batch: number): Float32Array {
    const units = this.outputSize;
    const output = this.outputs.get(batch * units);
    const { indptr, indices, values } = input;
    for (let row = 0; row < batch; row++) {
      const offset = row * units;
      if (this.bias) output.set(this.bias, offset);
      else output.fill(0, offset, offset + units);
      for (let item = indptr[row]; item < indptr[row + 1]; item++) {
        const value = values[item];
        const from = indices[item] * units;
        for (let unit = 0; unit < units; unit++) output[offset + unit] += value * this.kernel[from + unit];
      }
    }
    activate(output, batch, units, this.activation);
    this.last = input;
    return output;
  }

  /** Dense input is not what this layer reads: the trainer gives the first layer sparse rows only. */
  forward(): Float32Array {
    throw new Error('A sparse dense layer reads sparse rows (forwardSparse).');
  }

  /** The weights' gradients; the layer is always the first, so no input gradient is returned. */
  backward(outputGradient: Float32Array, batch: number): undefined {
    const units = this.outputSize;
    const input = this.last;
    if (!input) throw new Error('backward() before forwardSparse().');
    const gradient = this.deltas.get(batch * units);
    gradient.set(outputGradient);
    differentiate(gradient, this.outputs.get(batch * units), this.activation);
    const kernelGradient = this.gradients[0];
    kernelGradient.fill(0);
    const { indptr, indices, values } = input;
    for (let row = 0; row < batch; row++) {
      const offset = row * units;
      for (let item = indptr[row]; item < indptr[row + 1]; item++) {
        const value = values[item];
        const to = indices[item] * units;
        for (let unit = 0; unit < units; unit++) kernelGradient[to + unit] += value * gradient[offset + unit];
      }
    }
    if (this.bias) {
      const biasGradient = this.gradients[1];
      biasGradient.fill(0);
      for (let row = 0; row < batch; row++)
        for (let unit = 0; unit < units; unit++) biasGradient[unit] += gradient[row * units + unit];
    }
    return undefined;
  }
}

/** The first Dense layer of a network given sparse rows (undefined for options the loop leaves to tfjs). */
export const sparseDenseBuilder: LoopLayerBuilder = (source) => {
  const options = denseOptions(source);
  if (!options) return undefined;
  const { inputs, units, kernel, bias, activation, l2 } = options;
  const layer = new SparseDenseLoopLayer(inputs, units, kernel, bias, activation, l2);
  // Outputs and their gradient per sample; the stored values of a batch's rows are the trainer's.
  return { layer, values: 2 * units };
};
