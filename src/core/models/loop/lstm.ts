/**
 * tfjs' LSTM layer in the typed-array loop. The maths is tfjs-layers' LSTMCell: z = x·W + h·U + b split into
 * the gates [i, f, c̃, o] (in that order along the 4·units axis), i, f, o through the recurrent activation
 * (hardSigmoid by default in tfjs, not Keras' sigmoid), c̃ through the activation, c = f·c₋₁ + i·c̃,
 * h = o·act(c), from zero states; the output is the last h, or every h with returnSequences. Backward is full
 * backpropagation through time. Internally sequences are time-major, so the input part of every step is one
 * [batch·steps × features]·[features × 4u] product and each step adds one [batch × u]·[u × 4u] product.
 * Those products are most of the layer's time, so its buffers live in a workspace (workspace.ts) where the
 * SIMD kernels run on them; forward() copies the kernels in and backward() copies their gradients out, once
 * per batch each.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import {
  activateRange,
  differentiateRange,
  RecurrentLoopLayer,
  recurrentLayerBuilder,
  recurrentLoopLayerOf,
  type RecurrentSettings,
} from './recurrent';
import { BuffersBySize } from './scratch';
import { workspace, type Workspace } from './workspace';

/**
 * Per batch size: the forward pass kept for backward(), the gradients' scratch space, and copies of the two
 * kernels and their gradients beside them (the products' operands share one workspace).
 */
interface LstmBuffers {
  /** [features, 4u] and [u, 4u]: this batch's weights, and their gradients. */
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  kernelGradient: Float32Array;
  recurrentGradient: Float32Array;
  /** [steps, batch, features] */
  input: Float32Array;
  /** [steps, batch, 4u]: the activated gates i, f, c̃, o. */
  gates: Float32Array;
  /** [steps, batch, u]: the cell state c and act(c). */
  cells: Float32Array;
  cellOutputs: Float32Array;
  /** [steps, batch, u]: h. */
  hidden: Float32Array;
  /** [batch, steps, u] or [batch, u]. */
  output: Float32Array;
  /** [steps, batch, 4u]: dLoss/dz per step. */
  gateGradients: Float32Array;
  /** [batch, u]: dLoss/dh and dLoss/dc flowing back to the previous step. */
  hiddenGradient: Float32Array;
  cellGradient: Float32Array;
  /** [steps, batch, features] and [batch, steps, features]. */
  inputGradientTimeMajor: Float32Array;
  inputGradient: Float32Array;
}

/** An LSTM layer of the loop; see the file comment. */
export class LstmLoopLayer extends RecurrentLoopLayer {
  private readonly buffers: BuffersBySize<Workspace<keyof LstmBuffers>>;

  constructor(settings: RecurrentSettings, weights: ArrayLike<number>[]) {
    super(settings, weights, 4);
    const { units, steps, features } = settings;
    this.buffers = new BuffersBySize((batch) => {
      const sequence = steps * batch;
      const lengths: Record<keyof LstmBuffers, number> = {
        kernel: features * 4 * units,
        recurrentKernel: units * 4 * units,
        kernelGradient: features * 4 * units,
        recurrentGradient: units * 4 * units,
        input: sequence * features,
        gates: sequence * 4 * units,
        cells: sequence * units,
        cellOutputs: sequence * units,
        hidden: sequence * units,
        output: batch * this.outputSize,
        gateGradients: sequence * 4 * units,
        hiddenGradient: batch * units,
        cellGradient: batch * units,
        inputGradientTimeMajor: sequence * features,
        inputGradient: sequence * features,
      };
      return workspace(lengths);
    });
  }

  /** [batch, steps, features] in, the last h [batch, u] (or every h [batch, steps, u]) out. */
  forward(input: Float32Array, batch: number): Float32Array {
    const { units, steps, activation, recurrentActivation } = this.settings;
    const { arrays: buffers, kernels: products } = this.buffers.get(batch);
    const { kernel, recurrentKernel, gates, cells, cellOutputs, hidden } = buffers;
    kernel.set(this.weights[0]);
    recurrentKernel.set(this.weights[1]);
    const width = 4 * units;
    this.projectInputs(products, input, buffers.input, kernel, gates, batch, width);
    for (let step = 0; step < steps; step++) {
      const gateOffset = step * batch * width;
      const stateOffset = step * batch * units;
      const previousOffset = stateOffset - batch * units;
      if (step > 0)
        products.matmul(
          hidden,
          recurrentKernel,
          gates,
          batch,
          units,
          width,
          true,
          previousOffset,
          gateOffset,
        );
      for (let sample = 0; sample < batch; sample++) {
        const row = gateOffset + sample * width;
        activateRange(gates, row, row + 2 * units, recurrentActivation);
        activateRange(gates, row + 2 * units, row + 3 * units, activation);
        activateRange(gates, row + 3 * units, row + width, recurrentActivation);
        const state = stateOffset + sample * units;
        for (let unit = 0; unit < units; unit++) {
          const previous = step > 0 ? cells[previousOffset + sample * units + unit] : 0;
          const cell =
            gates[row + units + unit] * previous + gates[row + unit] * gates[row + 2 * units + unit];
          cells[state + unit] = cell;
          cellOutputs[state + unit] = cell;
        }
      }
      const stateEnd = stateOffset + batch * units;
      activateRange(cellOutputs, stateOffset, stateEnd, activation);
      for (let sample = 0; sample < batch; sample++) {
        const row = gateOffset + sample * width + 3 * units;
        const state = stateOffset + sample * units;
        for (let unit = 0; unit < units; unit++)
          hidden[state + unit] = gates[row + unit] * cellOutputs[state + unit];
      }
    }
    return this.writeOutput(hidden, buffers.output, batch);
  }

  /** Backpropagation through time from dLoss/dOutput; see LoopLayer.backward. */
  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    const { units, steps, features, activation, recurrentActivation } = this.settings;
    const { arrays: buffers, kernels: products } = this.buffers.get(batch);
    const { kernel, recurrentKernel, kernelGradient, recurrentGradient } = buffers;
    const { gates, cells, cellOutputs, hidden, gateGradients, hiddenGradient, cellGradient } = buffers;
    const width = 4 * units;
    const tanh = activation === 'tanh';
    hiddenGradient.fill(0);
    cellGradient.fill(0);
    for (let step = steps - 1; step >= 0; step--) {
      this.addOutputGradient(outputGradient, hiddenGradient, step, batch);
      const gateOffset = step * batch * width;
      const stateOffset = step * batch * units;
      const previousOffset = stateOffset - batch * units;
      for (let sample = 0; sample < batch; sample++) {
        const row = gateOffset + sample * width;
        const state = stateOffset + sample * units;
        for (let unit = 0; unit < units; unit++) {
          const here = sample * units + unit;
          const cellOutput = cellOutputs[state + unit];
          const output = gates[row + 3 * units + unit];
          const hiddenValue = hiddenGradient[here];
          const derivative = tanh ? 1 - cellOutput * cellOutput : 1;
          const cellValue = cellGradient[here] + hiddenValue * output * derivative;
          const previous = step > 0 ? cells[previousOffset + sample * units + unit] : 0;
          gateGradients[row + unit] = cellValue * gates[row + 2 * units + unit];
          gateGradients[row + units + unit] = cellValue * previous;
          gateGradients[row + 2 * units + unit] = cellValue * gates[row + unit];
          gateGradients[row + 3 * units + unit] = hiddenValue * cellOutput;
          cellGradient[here] = cellValue * gates[row + units + unit];
        }
        differentiateRange(gateGradients, gates, row, row + 2 * units, recurrentActivation);
        differentiateRange(gateGradients, gates, row + 2 * units, row + 3 * units, activation);
        differentiateRange(gateGradients, gates, row + 3 * units, row + width, recurrentActivation);
      }
      // dLoss/dh₋₁ = dz · Uᵀ (overwrites this step's dh, already spent).
      if (step > 0)
        products.matmulTransposeB(
          gateGradients,
          recurrentKernel,
          hiddenGradient,
          batch,
          width,
          units,
          false,
          gateOffset,
        );
    }
    products.matmulTransposeA(buffers.input, gateGradients, kernelGradient, steps * batch, features, width);
    // Σ over steps ≥ 1 of h₋₁ᵀ · dz: in time-major layout both are one contiguous block.
    if (steps > 1) {
      products.matmulTransposeA(
        hidden,
        gateGradients,
        recurrentGradient,
        (steps - 1) * batch,
        units,
        width,
        false,
        0,
        batch * width,
      );
    } else {
      recurrentGradient.fill(0);
    }
    this.gradients[0].set(kernelGradient);
    this.gradients[1].set(recurrentGradient);
    return this.finishBackward(
      products,
      gateGradients,
      kernel,
      buffers.inputGradientTimeMajor,
      buffers.inputGradient,
      batch,
      width,
      inputGradient,
    );
  }
}

/** The registry builder for tfjs' LSTM layer (see recurrentLayerBuilder). */
export const lstmBuilder = recurrentLayerBuilder(
  'LSTM',
  4,
  (settings, weights) => new LstmLoopLayer(settings, weights),
);

/**
 * The loop's LSTM for a tfjs LSTM `layer` with `weights` (kernel, recurrent kernel, bias) over samples of
 * `inputShape` ([steps, features]); undefined for anything it does not compute exactly.
 */
export function lstmLoopLayer(
  layer: tfTypes.layers.Layer,
  weights: ArrayLike<number>[],
  inputShape: ReadonlyArray<number | null>,
): LstmLoopLayer | undefined {
  return recurrentLoopLayerOf(lstmBuilder, layer, weights, inputShape);
}
