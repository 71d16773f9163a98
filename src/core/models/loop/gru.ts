/**
 * tfjs' GRU layer in the typed-array loop. The maths is tfjs-layers' GRUCell (resetAfter false, the only
 * form tfjs has): x·W + b split into the blocks [z, r, h̃] (in that order along the 3·units axis), the
 * recurrent kernel U split into U₁ (its first 2·units columns) and U₂ (the last units),
 * z = rec(x_z + (h₋₁·U₁)_z), r = rec(x_r + (h₋₁·U₁)_r), h̃ = act(x_h + (r·h₋₁)·U₂), h = z·h₋₁ + (1 − z)·h̃,
 * from a zero state. Time-major like lstm.ts; U₁ and U₂ are copied out of U before each forward pass so
 * that every product runs on contiguous rows. As in lstm.ts the products' operands share a workspace
 * (workspace.ts), where the SIMD kernels run on them.
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
import type { Kernels } from './kernels';

/**
 * Per batch size: the forward pass kept for backward(), the gradients' scratch space, and this batch's
 * kernel, U₁ and U₂ and their gradients (the products' operands share one workspace).
 */
interface GruBuffers {
  /** W [features × 3u], U₁ [u × 2u] and U₂ [u × u], and their gradients. */
  kernel: Float32Array;
  updateKernel: Float32Array;
  candidateKernel: Float32Array;
  kernelGradient: Float32Array;
  updateKernelGradient: Float32Array;
  candidateKernelGradient: Float32Array;
  /** [steps, batch, features] */
  input: Float32Array;
  /** [steps, batch, 3u]: the activated z, r and h̃. */
  gates: Float32Array;
  /** [steps, batch, u]: h, and r·h₋₁. */
  hidden: Float32Array;
  resetHidden: Float32Array;
  /** [batch, 2u] and [batch, u]: one step's h₋₁·U₁ and (r·h₋₁)·U₂. */
  updateProduct: Float32Array;
  candidateProduct: Float32Array;
  /** [batch, steps, u] or [batch, u]. */
  output: Float32Array;
  /** [steps, batch, 3u], and its z, r part [steps, batch, 2u] and h̃ part [steps, batch, u] apart. */
  gateGradients: Float32Array;
  updateGradients: Float32Array;
  candidateGradients: Float32Array;
  /** [batch, u]: dLoss/dh, the next one being built, and dLoss/d(r·h₋₁). */
  hiddenGradient: Float32Array;
  previousGradient: Float32Array;
  resetHiddenGradient: Float32Array;
  /** [steps, batch, features] and [batch, steps, features]. */
  inputGradientTimeMajor: Float32Array;
  inputGradient: Float32Array;
}

/** One batch size's arrays. */
type GruArrays = Record<keyof GruBuffers, Float32Array>;

/** A GRU layer of the loop; see the file comment. */
export class GruLoopLayer extends RecurrentLoopLayer {
  private readonly buffers: BuffersBySize<Workspace<keyof GruBuffers>>;

  constructor(settings: RecurrentSettings, weights: ArrayLike<number>[]) {
    super(settings, weights, 3);
    const { units, steps, features } = settings;
    this.buffers = new BuffersBySize((batch) => {
      const sequence = steps * batch;
      const lengths: Record<keyof GruBuffers, number> = {
        kernel: features * 3 * units,
        updateKernel: units * 2 * units,
        candidateKernel: units * units,
        kernelGradient: features * 3 * units,
        updateKernelGradient: units * 2 * units,
        candidateKernelGradient: units * units,
        input: sequence * features,
        gates: sequence * 3 * units,
        hidden: sequence * units,
        resetHidden: sequence * units,
        updateProduct: batch * 2 * units,
        candidateProduct: batch * units,
        output: batch * this.outputSize,
        gateGradients: sequence * 3 * units,
        updateGradients: sequence * 2 * units,
        candidateGradients: sequence * units,
        hiddenGradient: batch * units,
        previousGradient: batch * units,
        resetHiddenGradient: batch * units,
        inputGradientTimeMajor: sequence * features,
        inputGradient: sequence * features,
      };
      return workspace(lengths);
    });
  }

  /** [batch, steps, features] in, the last h [batch, u] (or every h [batch, steps, u]) out. */
  forward(input: Float32Array, batch: number): Float32Array {
    const { units, steps, activation, recurrentActivation } = this.settings;
    const [weightsKernel, recurrentKernel] = this.weights;
    const { arrays: buffers, kernels: products } = this.buffers.get(batch);
    const { kernel, updateKernel, candidateKernel } = buffers;
    const { gates, hidden, resetHidden, updateProduct, candidateProduct } = buffers;
    const width = 3 * units;
    kernel.set(weightsKernel);
    this.splitRecurrentKernel(recurrentKernel, updateKernel, candidateKernel);
    this.projectInputs(products, input, buffers.input, kernel, gates, batch, width);
    for (let step = 0; step < steps; step++) {
      const gateOffset = step * batch * width;
      const stateOffset = step * batch * units;
      const previousOffset = stateOffset - batch * units;
      // From a zero state the recurrent products of the first step are zero.
      if (step > 0) {
        products.matmul(hidden, updateKernel, updateProduct, batch, units, 2 * units, false, previousOffset);
        for (let sample = 0; sample < batch; sample++) {
          const row = gateOffset + sample * width;
          const product = sample * 2 * units;
          for (let column = 0; column < 2 * units; column++)
            gates[row + column] += updateProduct[product + column];
        }
      }
      for (let sample = 0; sample < batch; sample++) {
        const row = gateOffset + sample * width;
        activateRange(gates, row, row + 2 * units, recurrentActivation);
        const state = stateOffset + sample * units;
        for (let unit = 0; unit < units; unit++) {
          const previous = step > 0 ? hidden[previousOffset + sample * units + unit] : 0;
          resetHidden[state + unit] = gates[row + units + unit] * previous;
        }
      }
      if (step > 0) {
        products.matmul(
          resetHidden,
          candidateKernel,
          candidateProduct,
          batch,
          units,
          units,
          false,
          stateOffset,
        );
        for (let sample = 0; sample < batch; sample++) {
          const row = gateOffset + sample * width + 2 * units;
          for (let unit = 0; unit < units; unit++)
            gates[row + unit] += candidateProduct[sample * units + unit];
        }
      }
      for (let sample = 0; sample < batch; sample++) {
        const row = gateOffset + sample * width;
        activateRange(gates, row + 2 * units, row + width, activation);
        const state = stateOffset + sample * units;
        for (let unit = 0; unit < units; unit++) {
          const previous = step > 0 ? hidden[previousOffset + sample * units + unit] : 0;
          const update = gates[row + unit];
          hidden[state + unit] = update * previous + (1 - update) * gates[row + 2 * units + unit];
        }
      }
    }
    return this.writeOutput(hidden, buffers.output, batch);
  }

  /** Backpropagation through time from dLoss/dOutput; see LoopLayer.backward. */
  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    const { units, steps } = this.settings;
    const { arrays: buffers, kernels: products } = this.buffers.get(batch);
    buffers.hiddenGradient.fill(0);
    for (let step = steps - 1; step >= 0; step--) {
      this.addOutputGradient(outputGradient, buffers.hiddenGradient, step, batch);
      this.updateCandidateGradients(buffers, step, batch);
      this.resetGradients(buffers, products, step, batch);
      if (step === 0) break;
      this.previousHiddenGradient(buffers, products, step, batch);
    }
    this.weightGradients(buffers, products, batch);
    return this.finishBackward(
      products,
      buffers.gateGradients,
      buffers.kernel,
      buffers.inputGradientTimeMajor,
      buffers.inputGradient,
      batch,
      3 * units,
      inputGradient,
    );
  }

  /** One step's dz and dh̃ (first: dr needs dh̃ carried back through U₂), dh̃ also into candidateGradients. */
  private updateCandidateGradients(buffers: GruArrays, step: number, batch: number): void {
    const { units, activation, recurrentActivation } = this.settings;
    const { gates, hidden, gateGradients, candidateGradients, hiddenGradient } = buffers;
    const width = 3 * units;
    const gateOffset = step * batch * width;
    const stateOffset = step * batch * units;
    const previousOffset = stateOffset - batch * units;
    for (let sample = 0; sample < batch; sample++) {
      const row = gateOffset + sample * width;
      for (let unit = 0; unit < units; unit++) {
        const previous = step > 0 ? hidden[previousOffset + sample * units + unit] : 0;
        const gradient = hiddenGradient[sample * units + unit];
        const update = gates[row + unit];
        gateGradients[row + unit] = gradient * (previous - gates[row + 2 * units + unit]);
        gateGradients[row + 2 * units + unit] = gradient * (1 - update);
      }
      differentiateRange(gateGradients, gates, row, row + units, recurrentActivation);
      differentiateRange(gateGradients, gates, row + 2 * units, row + width, activation);
      candidateGradients.set(
        gateGradients.subarray(row + 2 * units, row + width),
        stateOffset + sample * units,
      );
    }
  }

  /** One step's d(r·h₋₁) = dh̃·U₂ᵀ and dr from it; [dz, dr] also into updateGradients. */
  private resetGradients(buffers: GruArrays, products: Kernels, step: number, batch: number): void {
    const { units, recurrentActivation } = this.settings;
    const { gates, hidden, gateGradients, updateGradients, resetHiddenGradient } = buffers;
    const width = 3 * units;
    const gateOffset = step * batch * width;
    const stateOffset = step * batch * units;
    const previousOffset = stateOffset - batch * units;
    products.matmulTransposeB(
      buffers.candidateGradients,
      buffers.candidateKernel,
      resetHiddenGradient,
      batch,
      units,
      units,
      false,
      stateOffset,
    );
    for (let sample = 0; sample < batch; sample++) {
      const row = gateOffset + sample * width;
      for (let unit = 0; unit < units; unit++) {
        const previous = step > 0 ? hidden[previousOffset + sample * units + unit] : 0;
        gateGradients[row + units + unit] = resetHiddenGradient[sample * units + unit] * previous;
      }
      differentiateRange(gateGradients, gates, row + units, row + 2 * units, recurrentActivation);
      updateGradients.set(gateGradients.subarray(row, row + 2 * units), (step * batch + sample) * 2 * units);
    }
  }

  /** dLoss/dh₋₁ = dh·z + d(r·h₋₁)·r + [dz, dr]·U₁ᵀ, which becomes the next (earlier) step's dh. */
  private previousHiddenGradient(buffers: GruArrays, products: Kernels, step: number, batch: number): void {
    const { units } = this.settings;
    const { gates, hiddenGradient, previousGradient, resetHiddenGradient } = buffers;
    const width = 3 * units;
    const gateOffset = step * batch * width;
    products.matmulTransposeB(
      buffers.updateGradients,
      buffers.updateKernel,
      previousGradient,
      batch,
      2 * units,
      units,
      false,
      step * batch * 2 * units,
    );
    for (let sample = 0; sample < batch; sample++) {
      const row = gateOffset + sample * width;
      for (let unit = 0; unit < units; unit++) {
        const here = sample * units + unit;
        previousGradient[here] +=
          hiddenGradient[here] * gates[row + unit] + resetHiddenGradient[here] * gates[row + units + unit];
      }
    }
    hiddenGradient.set(previousGradient);
  }

  /** dW = xᵀ·[dz, dr, dh̃], dU₁ = h₋₁ᵀ·[dz, dr] and dU₂ = (r·h₋₁)ᵀ·dh̃ over every step, U's as one [u × 3u]. */
  private weightGradients(buffers: GruArrays, products: Kernels, batch: number): void {
    const { units, steps, features } = this.settings;
    const { kernelGradient, updateKernelGradient, candidateKernelGradient } = buffers;
    const { hidden, gateGradients, updateGradients, candidateGradients } = buffers;
    const width = 3 * units;
    const recurrentGradient = this.gradients[1];
    products.matmulTransposeA(buffers.input, gateGradients, kernelGradient, steps * batch, features, width);
    this.gradients[0].set(kernelGradient);
    if (steps > 1) {
      products.matmulTransposeA(
        hidden,
        updateGradients,
        updateKernelGradient,
        (steps - 1) * batch,
        units,
        2 * units,
        false,
        0,
        batch * 2 * units,
      );
    } else {
      updateKernelGradient.fill(0);
    }
    products.matmulTransposeA(
      buffers.resetHidden,
      candidateGradients,
      candidateKernelGradient,
      steps * batch,
      units,
      units,
    );
    for (let row = 0; row < units; row++) {
      recurrentGradient.set(
        updateKernelGradient.subarray(row * 2 * units, (row + 1) * 2 * units),
        row * width,
      );
      recurrentGradient.set(
        candidateKernelGradient.subarray(row * units, (row + 1) * units),
        row * width + 2 * units,
      );
    }
  }

  /** Copies U [u × 3u] into U₁ (its first 2u columns) and U₂ (the last u). */
  private splitRecurrentKernel(
    recurrentKernel: Float32Array,
    updateKernel: Float32Array,
    candidateKernel: Float32Array,
  ): void {
    const { units } = this.settings;
    for (let row = 0; row < units; row++) {
      const from = row * 3 * units;
      updateKernel.set(recurrentKernel.subarray(from, from + 2 * units), row * 2 * units);
      candidateKernel.set(recurrentKernel.subarray(from + 2 * units, from + 3 * units), row * units);
    }
  }
}

/** The registry builder for tfjs' GRU layer (see recurrentLayerBuilder). */
export const gruBuilder = recurrentLayerBuilder(
  'GRU',
  3,
  (settings, weights) => new GruLoopLayer(settings, weights),
);

/**
 * The loop's GRU for a tfjs GRU `layer` with `weights` (kernel, recurrent kernel, bias) over samples of
 * `inputShape` ([steps, features]); undefined for anything it does not compute exactly.
 */
export function gruLoopLayer(
  layer: tfTypes.layers.Layer,
  weights: ArrayLike<number>[],
  inputShape: ReadonlyArray<number | null>,
): GruLoopLayer | undefined {
  return recurrentLoopLayerOf(gruBuilder, layer, weights, inputShape);
}
