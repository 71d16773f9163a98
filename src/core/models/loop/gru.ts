/**
 * tfjs' GRU layer in the typed-array loop. The maths is tfjs-layers' GRUCell (resetAfter false, the only
 * form tfjs has): x·W + b split into the blocks [z, r, h̃] (in that order along the 3·units axis), the
 * recurrent kernel U split into U₁ (its first 2·units columns) and U₂ (the last units),
 * z = rec(x_z + (h₋₁·U₁)_z), r = rec(x_r + (h₋₁·U₁)_r), h̃ = act(x_h + (r·h₋₁)·U₂), h = z·h₋₁ + (1 − z)·h̃,
 * from a zero state. Time-major like lstm.ts; U₁ and U₂ are copied out of U before each forward pass so
 * that every product runs on contiguous rows.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { matmul, matmulTransposeA, matmulTransposeB } from './gemm';
import type { LoopLayer } from './layer';
import {
  BuffersBySize,
  activateRange,
  differentiateRange,
  recurrentSettings,
  transposeSequence,
  type RecurrentSettings,
  type RecurrentSource,
} from './recurrent';

/** Per batch size: the forward pass kept for backward(), and the gradients' scratch space. */
interface GruBuffers {
  /** [steps, batch, features] */
  input: Float64Array;
  /** [steps, batch, 3u]: the activated z, r and h̃. */
  gates: Float64Array;
  /** [steps, batch, u]: h, and r·h₋₁. */
  hidden: Float64Array;
  resetHidden: Float64Array;
  /** [batch, 2u] and [batch, u]: one step's h₋₁·U₁ and (r·h₋₁)·U₂. */
  updateProduct: Float64Array;
  candidateProduct: Float64Array;
  /** [batch, steps, u] or [batch, u]. */
  output: Float64Array;
  /** [steps, batch, 3u], and its z, r part [steps, batch, 2u] and h̃ part [steps, batch, u] apart. */
  gateGradients: Float64Array;
  updateGradients: Float64Array;
  candidateGradients: Float64Array;
  /** [batch, u]: dLoss/dh, the next one being built, and dLoss/d(r·h₋₁). */
  hiddenGradient: Float64Array;
  previousGradient: Float64Array;
  resetHiddenGradient: Float64Array;
  /** [steps, batch, features] and [batch, steps, features]. */
  inputGradientTimeMajor: Float64Array;
  inputGradient: Float64Array;
}

/** A GRU layer of the loop; see the file comment. */
export class GruLoopLayer implements LoopLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weights: Float64Array[];
  readonly shapes: number[][];
  readonly gradients: Float64Array[];
  readonly l2: number[];
  private readonly buffers: BuffersBySize<GruBuffers>;
  /** U₁ [u × 2u] and U₂ [u × u], and their gradients. */
  private readonly updateKernel: Float64Array;
  private readonly candidateKernel: Float64Array;
  private readonly updateKernelGradient: Float64Array;
  private readonly candidateKernelGradient: Float64Array;

  constructor(
    private readonly settings: RecurrentSettings,
    weights: ArrayLike<number>[],
  ) {
    const { units, steps, features, useBias } = settings;
    this.inputSize = steps * features;
    this.outputSize = settings.returnSequences ? steps * units : units;
    this.weights = weights.map((values) => Float64Array.from(values));
    this.shapes = [[features, 3 * units], [units, 3 * units], ...(useBias ? [[3 * units]] : [])];
    this.gradients = this.weights.map((values) => new Float64Array(values.length));
    this.l2 = settings.l2;
    this.updateKernel = new Float64Array(units * 2 * units);
    this.candidateKernel = new Float64Array(units * units);
    this.updateKernelGradient = new Float64Array(units * 2 * units);
    this.candidateKernelGradient = new Float64Array(units * units);
    this.buffers = new BuffersBySize((batch) => {
      const sequence = steps * batch;
      return {
        input: new Float64Array(sequence * features),
        gates: new Float64Array(sequence * 3 * units),
        hidden: new Float64Array(sequence * units),
        resetHidden: new Float64Array(sequence * units),
        updateProduct: new Float64Array(batch * 2 * units),
        candidateProduct: new Float64Array(batch * units),
        output: new Float64Array(batch * this.outputSize),
        gateGradients: new Float64Array(sequence * 3 * units),
        updateGradients: new Float64Array(sequence * 2 * units),
        candidateGradients: new Float64Array(sequence * units),
        hiddenGradient: new Float64Array(batch * units),
        previousGradient: new Float64Array(batch * units),
        resetHiddenGradient: new Float64Array(batch * units),
        inputGradientTimeMajor: new Float64Array(sequence * features),
        inputGradient: new Float64Array(sequence * features),
      };
    });
  }

  /** [batch, steps, features] in, the last h [batch, u] (or every h [batch, steps, u]) out. */
  forward(input: Float64Array, batch: number): Float64Array {
    const { units, steps, features, activation, recurrentActivation } = this.settings;
    const [kernel, recurrentKernel, bias] = this.weights;
    const buffers = this.buffers.get(batch);
    const { gates, hidden, resetHidden, updateProduct, candidateProduct } = buffers;
    const width = 3 * units;
    this.splitRecurrentKernel(recurrentKernel);
    transposeSequence(input, buffers.input, batch, steps, features);
    matmul(buffers.input, kernel, gates, steps * batch, features, width);
    if (bias) {
      for (let row = 0; row < steps * batch; row++) {
        const offset = row * width;
        for (let column = 0; column < width; column++) gates[offset + column] += bias[column];
      }
    }
    for (let step = 0; step < steps; step++) {
      const gateOffset = step * batch * width;
      const stateOffset = step * batch * units;
      const previousOffset = stateOffset - batch * units;
      // From a zero state the recurrent products of the first step are zero.
      if (step > 0) {
        matmul(hidden, this.updateKernel, updateProduct, batch, units, 2 * units, false, previousOffset);
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
        matmul(resetHidden, this.candidateKernel, candidateProduct, batch, units, units, false, stateOffset);
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
    if (this.settings.returnSequences) {
      transposeSequence(hidden, buffers.output, batch, steps, units, true);
    } else {
      buffers.output.set(hidden.subarray((steps - 1) * batch * units, steps * batch * units));
    }
    return buffers.output;
  }

  /** Backpropagation through time from dLoss/dOutput; see LoopLayer.backward. */
  backward(outputGradient: Float64Array, batch: number, inputGradient: boolean): Float64Array | undefined {
    const { units, steps, features, activation, recurrentActivation, returnSequences } = this.settings;
    const [kernel] = this.weights;
    const buffers = this.buffers.get(batch);
    const { gates, hidden, gateGradients, updateGradients, candidateGradients } = buffers;
    const { hiddenGradient, previousGradient, resetHiddenGradient } = buffers;
    const width = 3 * units;
    hiddenGradient.fill(0);
    for (let step = steps - 1; step >= 0; step--) {
      if (returnSequences) {
        for (let sample = 0; sample < batch; sample++) {
          const from = (sample * steps + step) * units;
          for (let unit = 0; unit < units; unit++)
            hiddenGradient[sample * units + unit] += outputGradient[from + unit];
        }
      } else if (step === steps - 1) {
        for (let index = 0; index < batch * units; index++) hiddenGradient[index] += outputGradient[index];
      }
      const gateOffset = step * batch * width;
      const stateOffset = step * batch * units;
      const previousOffset = stateOffset - batch * units;
      // dz and dh̃ first: dr needs dh̃ carried back through U₂.
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
      matmulTransposeB(
        candidateGradients,
        this.candidateKernel,
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
        updateGradients.set(
          gateGradients.subarray(row, row + 2 * units),
          (step * batch + sample) * 2 * units,
        );
      }
      if (step === 0) break;
      // dLoss/dh₋₁ = dh·z + d(r·h₋₁)·r + [dz, dr]·U₁ᵀ
      matmulTransposeB(
        updateGradients,
        this.updateKernel,
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
    const [kernelGradient, recurrentGradient, biasGradient] = this.gradients;
    matmulTransposeA(buffers.input, gateGradients, kernelGradient, steps * batch, features, width);
    if (steps > 1) {
      matmulTransposeA(
        hidden,
        updateGradients,
        this.updateKernelGradient,
        (steps - 1) * batch,
        units,
        2 * units,
        false,
        0,
        batch * 2 * units,
      );
    } else {
      this.updateKernelGradient.fill(0);
    }
    matmulTransposeA(
      buffers.resetHidden,
      candidateGradients,
      this.candidateKernelGradient,
      steps * batch,
      units,
      units,
    );
    for (let row = 0; row < units; row++) {
      recurrentGradient.set(
        this.updateKernelGradient.subarray(row * 2 * units, (row + 1) * 2 * units),
        row * width,
      );
      recurrentGradient.set(
        this.candidateKernelGradient.subarray(row * units, (row + 1) * units),
        row * width + 2 * units,
      );
    }
    if (biasGradient) {
      biasGradient.fill(0);
      for (let row = 0; row < steps * batch; row++) {
        const offset = row * width;
        for (let column = 0; column < width; column++) biasGradient[column] += gateGradients[offset + column];
      }
    }
    if (!inputGradient) return undefined;
    matmulTransposeB(gateGradients, kernel, buffers.inputGradientTimeMajor, steps * batch, width, features);
    transposeSequence(buffers.inputGradientTimeMajor, buffers.inputGradient, batch, steps, features, true);
    return buffers.inputGradient;
  }

  /** Copies U [u × 3u] into U₁ (its first 2u columns) and U₂ (the last u). */
  private splitRecurrentKernel(recurrentKernel: Float64Array): void {
    const { units } = this.settings;
    for (let row = 0; row < units; row++) {
      const from = row * 3 * units;
      this.updateKernel.set(recurrentKernel.subarray(from, from + 2 * units), row * 2 * units);
      this.candidateKernel.set(recurrentKernel.subarray(from + 2 * units, from + 3 * units), row * units);
    }
  }
}

/**
 * The loop's GRU for one tfjs GRU layer (a registry builder: see LoopLayerBuilder in layer.ts), with its
 * forward multiply-adds per sample and time steps; undefined for anything it does not compute exactly (see
 * recurrentSettings in recurrent.ts).
 */
export function gruBuilder(
  source: RecurrentSource,
): { layer: GruLoopLayer; multiplyAdds: number; dispatches: number } | undefined {
  const settings = recurrentSettings(source, 'GRU', 3);
  if (!settings) return undefined;
  const { steps, features, units } = settings;
  return {
    layer: new GruLoopLayer(settings, source.weights),
    multiplyAdds: steps * 3 * units * (features + units + 3),
    dispatches: steps,
  };
}

/**
 * The loop's GRU for a tfjs GRU `layer` with `weights` (its getWeights() values: kernel, recurrent kernel,
 * bias) over samples of `inputShape` ([steps, features]); undefined for anything it does not compute exactly.
 */
export function gruLoopLayer(
  layer: tfTypes.layers.Layer,
  weights: ArrayLike<number>[],
  inputShape: ReadonlyArray<number | null>,
): GruLoopLayer | undefined {
  return gruBuilder({ className: layer.getClassName(), config: layer.getConfig(), inputShape, weights })
    ?.layer;
}
