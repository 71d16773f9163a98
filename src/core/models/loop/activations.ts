/** Activations of the typed-array training loop (trainer.ts) and their derivatives, in place on typed arrays. */

/** Activations the loop computes. */
export type Activation = 'relu' | 'linear' | 'tanh' | 'sigmoid' | 'elu' | 'softmax';

/** Their names, as a tfjs layer config gives them. */
export const ACTIVATIONS: ReadonlySet<string> = new Set([
  'relu',
  'linear',
  'tanh',
  'sigmoid',
  'elu',
  'softmax',
]);

/** Applies an activation in place, row by row for softmax. */
export function activate(values: Float32Array, rows: number, units: number, activation: Activation): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let index = 0; index < values.length; index++) if (values[index] < 0) values[index] = 0;
      return;
    case 'tanh':
      for (let index = 0; index < values.length; index++) values[index] = Math.tanh(values[index]);
      return;
    case 'sigmoid':
      for (let index = 0; index < values.length; index++) values[index] = 1 / (1 + Math.exp(-values[index]));
      return;
    case 'elu':
      for (let index = 0; index < values.length; index++)
        if (values[index] < 0) values[index] = Math.exp(values[index]) - 1;
      return;
    case 'softmax':
      for (let row = 0; row < rows; row++) {
        const offset = row * units;
        let largest = -Infinity;
        for (let unit = 0; unit < units; unit++) largest = Math.max(largest, values[offset + unit]);
        let total = 0;
        for (let unit = 0; unit < units; unit++) {
          values[offset + unit] = Math.exp(values[offset + unit] - largest);
          total += values[offset + unit];
        }
        for (let unit = 0; unit < units; unit++) values[offset + unit] /= total;
      }
      return;
  }
}

/** Multiplies gradients in place by the activation's derivative, from the activation's outputs. */
export function differentiate(gradients: Float32Array, outputs: Float32Array, activation: Activation): void {
  switch (activation) {
    case 'linear':
    case 'softmax':
      return;
    case 'relu':
      for (let index = 0; index < gradients.length; index++) if (outputs[index] <= 0) gradients[index] = 0;
      return;
    case 'tanh':
      for (let index = 0; index < gradients.length; index++) gradients[index] *= 1 - outputs[index] ** 2;
      return;
    case 'sigmoid':
      for (let index = 0; index < gradients.length; index++)
        gradients[index] *= outputs[index] * (1 - outputs[index]);
      return;
    case 'elu':
      for (let index = 0; index < gradients.length; index++)
        if (outputs[index] < 0) gradients[index] *= outputs[index] + 1;
      return;
  }
}
