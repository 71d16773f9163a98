/**
 * The layers of the typed-array training loop (see trainer.ts). For small networks on the wasm and cpu
 * backends tfjs spends its time dispatching many small ops per batch; these layers do the same arithmetic in
 * plain loops over Float32Arrays. Activations are batch-major: sample after sample, each laid out as tfjs
 * lays out one sample ([features], [time, features], or [rows, cols, channels]).
 */
import type { Rng } from '../../random';

export interface LoopLayer {
  /** Values per sample going in and coming out. */
  readonly inputSize: number;
  readonly outputSize: number;
  /** Trainable weights in the order of the tfjs layer's getWeights(), and their tfjs shapes. */
  readonly weights: Float32Array[];
  readonly shapes: number[][];
  /** The loss gradient of each weight, written by backward() (the L2 part excluded: the trainer adds it). */
  readonly gradients: Float32Array[];
  /** The L2 coefficient of each weight (`l2 * sum(w²)` is added to the loss), 0 for none. */
  readonly l2: number[];
  /**
   * The batch's outputs. With `training`, dropout is applied (masks drawn from `rng`) and what backward()
   * needs is kept until the next forward().
   */
  forward(input: Float32Array, batch: number, training: boolean, rng: Rng): Float32Array;
  /**
   * From dLoss/dOutput of the last training forward(): writes the weights' gradients and returns dLoss/dInput,
   * or undefined when `inputGradient` is false (the first layer with weights needs none).
   */
  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined;
}

/** What a registry builder (trainer.ts) is given for one tfjs layer. */
export interface LoopLayerSource {
  /** The tfjs class name (`layer.getClassName()`) and JSON config (`layer.getConfig()`). */
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Per-sample shapes, without the batch dimension. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** The layer's weights in the order of its getWeights(), as float64 copies, and their shapes. */
  readonly weights: Float32Array[];
  readonly shapes: number[][];
}

/** A built layer and the memory it holds per sample of a batch, which the trainer's memory rule sums. */
export interface BuiltLoopLayer {
  readonly layer: LoopLayer;
  /**
   * About how many float32 values the layer's batch buffers hold per sample (activations, gradients, a
   * convolution's im2col matrix and its gradient).
   */
  readonly values: number;
}

/**
 * Builds the loop's layer for one tfjs layer: 'pass-through' when the layer leaves the values as they are
 * (InputLayer, Flatten, Reshape), undefined when its options are ones the loop cannot compute exactly, in
 * which case tfjs trains the whole model.
 */
export type LoopLayerBuilder = (source: LoopLayerSource) => BuiltLoopLayer | 'pass-through' | undefined;
