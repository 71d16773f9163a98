/**
 * Reading tfjs layer configs for the loop's builders: what a layer asks for that the loop computes, and
 * everything else (L1, constraints, bias or activity regularizers) made a refusal.
 */
import { ACTIVATIONS, type Activation } from './activations';

/** A regularizer as a layer's JSON config gives it. */
interface RegularizerConfig {
  className?: string;
  config?: { l1?: number; l2?: number };
}

/**
 * The L2 coefficient of a layer's kernel regularizer (0 without one), or undefined when the layer has
 * anything the loop leaves to tfjs: an L1 part, a bias or activity regularizer, a constraint.
 */
export function kernelL2(config: Readonly<Record<string, unknown>>): number | undefined {
  if (config.biasRegularizer || config.activityRegularizer) return undefined;
  if (config.kernelConstraint || config.biasConstraint) return undefined;
  const regularizer = config.kernelRegularizer as RegularizerConfig | null | undefined;
  if (!regularizer) return 0;
  // tf.regularizers.l2() is an L1L2 with l1 = 0.
  if (regularizer.className !== 'L1L2' || (regularizer.config?.l1 ?? 0) !== 0) return undefined;
  return regularizer.config?.l2 ?? 0;
}

/** The layer's activation when the loop computes it (softmax only where `softmax` allows), else undefined. */
export function activationOf(
  config: Readonly<Record<string, unknown>>,
  softmax: boolean,
): Activation | undefined {
  const name = config.activation ?? 'linear';
  if (typeof name !== 'string' || !ACTIVATIONS.has(name)) return undefined;
  if (name === 'softmax' && !softmax) return undefined;
  return name as Activation;
}

/** A config value given as a number or a pair ([rows, cols]), as a pair; undefined for anything else. */
export function pair(value: unknown): [number, number] | undefined {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((item) => typeof item === 'number'))
    return [value[0] as number, value[1] as number];
  return undefined;
}

/** The product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}
