/**
 * What the loop's recurrent layers (lstm.ts, gru.ts) share: reading a tfjs LSTM/GRU layer's config and
 * refusing what they do not compute exactly, the cell's activations on ranges of a row, and the switch
 * between tfjs' batch-major sequences and the time-major layout the layers compute in (one step's rows are
 * then contiguous, so each step is one batched matrix product). A layer that goes backwards (tfjs' `goBackwards`,
 * which reverses the input's steps and leaves the outputs in the order it computed them) reverses the steps in
 * that switch and in its way back for the input gradient; the rest is the forward layer's.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Products } from './gemm';
import type { LoopLayer } from './layer';
import type { Rng } from '../../random';
/** The cell activations computed exactly: tfjs' default `hardSigmoid` is clip(0.2·x + 0.5, 0, 1). */
export type CellActivation = 'tanh' | 'linear' | 'sigmoid' | 'hardSigmoid';

const CELL_ACTIVATIONS: ReadonlySet<string> = new Set(['tanh', 'linear', 'sigmoid', 'hardSigmoid']);

/** The parts of a tfjs LSTM or GRU layer's config that are read here. */
interface RecurrentConfig {
  units?: number;
  trainable?: boolean;
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  kernelRegularizer?: Regularizer | null;
  recurrentRegularizer?: Regularizer | null;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  recurrentConstraint?: unknown;
  biasConstraint?: unknown;
  dropout?: number;
  recurrentDropout?: number;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  unroll?: boolean;
  resetAfter?: boolean;
}

interface Regularizer {
  className?: string;
  config?: { l1?: number; l2?: number };
}

/** A recurrent layer's settings, once every part of its config is one the loop computes exactly. */
export interface RecurrentSettings {
  units: number;
  /** Time steps and features per step of one sample. */
  steps: number;
  features: number;
  activation: 'tanh' | 'linear';
  recurrentActivation: CellActivation;
  useBias: boolean;
  returnSequences: boolean;
  /** The steps are read last to first (tfjs' `goBackwards`; text: trailing padding first, the first word last). */
  goBackwards: boolean;
  /** L2 coefficient per weight (kernel, recurrent kernel, bias): see recurrentL2. */
  l2: number[];
}

/**
 * What a recurrent builder reads of one tfjs layer (the fields it uses of trainer.ts's LoopLayerSource).
 */
export interface RecurrentSource {
  /** `layer.getClassName()` and `layer.getConfig()`. */
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** One sample's shape, [steps, features]. */
  readonly inputShape: ReadonlyArray<number | null>;
  /** The layer's getWeights() values: kernel, recurrent kernel, then the bias when it has one. */
  readonly weights: ArrayLike<number>[];
}

/** None or an L2 regularizer (tf.regularizers.l2() is an L1L2 with l1 = 0). */
function isL2(regularizer: Regularizer | null | undefined): boolean {
  return !regularizer || (regularizer.className === 'L1L2' && (regularizer.config?.l1 ?? 0) === 0);
}

/**
 * The L2 coefficients of a recurrent layer's weights: kernel and recurrent kernel from its regularizers, none
 * on the bias. tfjs' fit alone would apply none (the regularizers sit on the inner cell, whose losses the model
 * never collects); the zoo adds them to the layer's losses (architectures.ts), and the loop, which takes only
 * zoo models, applies the same. test/unit/loop-lstm.test.ts trains the zoo's LSTM and GRU with `l2` both ways.
 */
function recurrentL2(config: RecurrentConfig, useBias: boolean): number[] {
  const kernel = config.kernelRegularizer?.config?.l2 ?? 0;
  const recurrent = config.recurrentRegularizer?.config?.l2 ?? 0;
  return useBias ? [kernel, recurrent, 0] : [kernel, recurrent];
}

/**
 * The settings of a tfjs `className` layer (LSTM or GRU), with `gates` gate blocks per unit (4 for LSTM, 3
 * for GRU) checked against its weights' sizes; undefined when the loop cannot compute the layer exactly:
 * dropout or recurrent dropout, state kept or returned, unrolled time, GRU's resetAfter, a cell
 * activation other than tanh/linear (recurrent: hardSigmoid, sigmoid, tanh, linear), constraints, an L1
 * part, a bias or activity regularizer, frozen weights, or an unknown number of steps.
 */
export function recurrentSettings(
  source: RecurrentSource,
  className: 'LSTM' | 'GRU',
  gates: number,
): RecurrentSettings | undefined {
  const { weights, inputShape } = source;
  if (source.className !== className) return undefined;
  const config = source.config as RecurrentConfig;
  const units = config.units ?? 0;
  const [steps, features] = inputShape;
  if (inputShape.length !== 2 || !steps || !features || !(units > 0)) return undefined;
  if (config.trainable === false) return undefined;
  if ((config.dropout ?? 0) > 0 || (config.recurrentDropout ?? 0) > 0) return undefined;
  if (config.returnState || config.stateful || config.unroll || config.resetAfter) return undefined;
  const activation = config.activation ?? 'tanh';
  const recurrentActivation = config.recurrentActivation ?? 'hardSigmoid';
  if (activation !== 'tanh' && activation !== 'linear') return undefined;
  if (!CELL_ACTIVATIONS.has(recurrentActivation)) return undefined;
  if (config.biasRegularizer || config.activityRegularizer) return undefined;
  if (config.kernelConstraint || config.recurrentConstraint || config.biasConstraint) return undefined;
  if (!isL2(config.kernelRegularizer) || !isL2(config.recurrentRegularizer)) return undefined;
  const useBias = config.useBias !== false;
  const expected = [features * gates * units, units * gates * units, ...(useBias ? [gates * units] : [])];
  if (weights.length !== expected.length) return undefined;
  if (weights.some((values, index) => values.length !== expected[index])) return undefined;
  return {
    units,
    steps,
    features,
    activation,
    recurrentActivation: recurrentActivation as CellActivation,
    useBias,
    returnSequences: config.returnSequences === true,
    goBackwards: config.goBackwards === true,
    l2: recurrentL2(config, useBias),
  };
}

/** Applies `activation` in place to values[start, end). */
export function activateRange(
  values: Float32Array,
  start: number,
  end: number,
  activation: CellActivation,
): void {
  switch (activation) {
    case 'linear':
      return;
    case 'tanh':
      for (let index = start; index < end; index++) values[index] = Math.tanh(values[index]);
      return;
    case 'sigmoid':
      for (let index = start; index < end; index++) values[index] = 1 / (1 + Math.exp(-values[index]));
      return;
    case 'hardSigmoid':
      for (let index = start; index < end; index++) {
        const value = 0.2 * values[index] + 0.5;
        values[index] = value < 0 ? 0 : value > 1 ? 1 : value;
      }
      return;
  }
}

/**
 * Multiplies gradients[start, end) in place by the activation's derivative, read from its outputs at the
 * same indices. hardSigmoid's derivative is 0.2 inside the clip and 0 where it clipped (tfjs' clipByValue
 * gradient passes the boundary itself, a case of measure zero that an output of exactly 0 or 1 hides).
 */
export function differentiateRange(
  gradients: Float32Array,
  outputs: Float32Array,
  start: number,
  end: number,
  activation: CellActivation,
): void {
  switch (activation) {
    case 'linear':
      return;
    case 'tanh':
      for (let index = start; index < end; index++) gradients[index] *= 1 - outputs[index] * outputs[index];
      return;
    case 'sigmoid':
      for (let index = start; index < end; index++) gradients[index] *= outputs[index] * (1 - outputs[index]);
      return;
    case 'hardSigmoid':
      for (let index = start; index < end; index++) {
        const output = outputs[index];
        gradients[index] = output > 0 && output < 1 ? 0.2 * gradients[index] : 0;
      }
      return;
  }
}

/**
 * Copies [batch, steps, width] (tfjs' layout) into [steps, batch, width], or back with `toBatchMajor`; with
 * `reversed`, time-major step t is batch-major step steps - 1 - t.
 */
export function transposeSequence(
  from: Float32Array,
  to: Float32Array,
  batch: number,
  steps: number,
  width: number,
  toBatchMajor = false,
  reversed = false,
): void {
  for (let sample = 0; sample < batch; sample++) {
    for (let step = 0; step < steps; step++) {
      const batchMajor = (sample * steps + step) * width;
      const timeMajor = ((reversed ? steps - 1 - step : step) * batch + sample) * width;
      const source = toBatchMajor ? timeMajor : batchMajor;
      const target = toBatchMajor ? batchMajor : timeMajor;
      for (let column = 0; column < width; column++) to[target + column] = from[source + column];
    }
  }
}

/**
 * What an LSTM and a GRU layer of the loop share: sizes, the weights in tfjs' order (kernel [features, gates·u],
 * recurrent kernel [u, gates·u], bias [gates·u]) with their gradients and L2 coefficients. Subclasses compute.
 */
export abstract class RecurrentLoopLayer implements LoopLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weights: Float32Array[];
  readonly shapes: number[][];
  readonly gradients: Float32Array[];
  readonly l2: number[];

  constructor(
    protected readonly settings: RecurrentSettings,
    weights: ArrayLike<number>[],
    gates: number,
  ) {
    const { units, steps, features, useBias } = settings;
    this.inputSize = steps * features;
    this.outputSize = settings.returnSequences ? steps * units : units;
    this.weights = weights.map((values) => Float32Array.from(values));
    this.shapes = [[features, gates * units], [units, gates * units], ...(useBias ? [[gates * units]] : [])];
    this.gradients = this.weights.map((values) => new Float32Array(values.length));
    this.l2 = settings.l2;
  }

  /**
   * The input part of every step's gate pre-activations in one product: x (batch-major `input`, copied
   * time-major into `timeMajorInput`) · `kernel` + bias into `gates` [steps·batch × width].
   */
  protected projectInputs(
    products: Products,
    input: Float32Array,
    timeMajorInput: Float32Array,
    kernel: Float32Array,
    gates: Float32Array,
    batch: number,
    width: number,
  ): void {
    const { steps, features, goBackwards } = this.settings;
    const bias = this.weights[2];
    transposeSequence(input, timeMajorInput, batch, steps, features, false, goBackwards);
    products.matmul(timeMajorInput, kernel, gates, steps * batch, features, width);
    if (!bias) return;
    for (let row = 0; row < steps * batch; row++) {
      const offset = row * width;
      for (let column = 0; column < width; column++) gates[offset + column] += bias[column];
    }
  }

  /** The layer's output from the time-major hidden states: every h (returnSequences) or the last. */
  protected writeOutput(hidden: Float32Array, output: Float32Array, batch: number): Float32Array {
    const { steps, units, returnSequences } = this.settings;
    if (returnSequences) transposeSequence(hidden, output, batch, steps, units, true);
    else output.set(hidden.subarray((steps - 1) * batch * units, steps * batch * units));
    return output;
  }

  /** Adds step `step`'s part of dLoss/dOutput to dLoss/dh [batch, u]. */
  protected addOutputGradient(
    outputGradient: Float32Array,
    hiddenGradient: Float32Array,
    step: number,
    batch: number,
  ): void {
    const { steps, units, returnSequences } = this.settings;
    if (returnSequences) {
      for (let sample = 0; sample < batch; sample++) {
        const from = (sample * steps + step) * units;
        for (let unit = 0; unit < units; unit++)
          hiddenGradient[sample * units + unit] += outputGradient[from + unit];
      }
    } else if (step === steps - 1) {
      for (let index = 0; index < batch * units; index++) hiddenGradient[index] += outputGradient[index];
    }
  }

  /**
   * The end of backward(): the bias gradient (the gate gradients summed over steps and samples) and, when
   * asked, dLoss/dInput = gateGradients · kernelᵀ, back in batch-major order.
   */
  protected finishBackward(
    products: Products,
    gateGradients: Float32Array,
    kernel: Float32Array,
    timeMajorInputGradient: Float32Array,
    inputGradient: Float32Array,
    batch: number,
    width: number,
    wanted: boolean,
  ): Float32Array | undefined {
    const { steps, features, goBackwards } = this.settings;
    const biasGradient = this.gradients[2];
    if (biasGradient) {
      biasGradient.fill(0);
      for (let row = 0; row < steps * batch; row++) {
        const offset = row * width;
        for (let column = 0; column < width; column++) biasGradient[column] += gateGradients[offset + column];
      }
    }
    if (!wanted) return undefined;
    products.matmulTransposeB(gateGradients, kernel, timeMajorInputGradient, steps * batch, width, features);
    transposeSequence(timeMajorInputGradient, inputGradient, batch, steps, features, true, goBackwards);
    return inputGradient;
  }

  abstract forward(input: Float32Array, batch: number, training: boolean, rng: Rng): Float32Array;
  abstract backward(
    outputGradient: Float32Array,
    batch: number,
    inputGradient: boolean,
  ): Float32Array | undefined;
}

/**
 * A registry builder (see LoopLayerBuilder in layer.ts) for tfjs' `className` recurrent layer with `gates` gate
 * blocks per unit: the loop layer `create` makes and the values it keeps per sample (every step's gates, states
 * and their gradients); undefined for anything recurrentSettings refuses.
 */
export function recurrentLayerBuilder<Layer extends RecurrentLoopLayer>(
  className: 'LSTM' | 'GRU',
  gates: number,
  create: (settings: RecurrentSettings, weights: ArrayLike<number>[]) => Layer,
): (source: RecurrentSource) => { layer: Layer; values: number } | undefined {
  return (source) => {
    const settings = recurrentSettings(source, className, gates);
    if (!settings) return undefined;
    const { steps, features, units } = settings;
    return {
      layer: create(settings, source.weights),
      values: 2 * steps * (features + (gates + 3) * units),
    };
  };
}

/**
 * The loop layer a registry `builder` makes of a tfjs `layer` with `weights` (its getWeights() values) over
 * samples of `inputShape` ([steps, features]); undefined for anything it does not compute exactly.
 */
export function recurrentLoopLayerOf<Layer extends RecurrentLoopLayer>(
  builder: (source: RecurrentSource) => { layer: Layer } | undefined,
  layer: tfTypes.layers.Layer,
  weights: ArrayLike<number>[],
  inputShape: ReadonlyArray<number | null>,
): Layer | undefined {
  return builder({ className: layer.getClassName(), config: layer.getConfig(), inputShape, weights })?.layer;
}
