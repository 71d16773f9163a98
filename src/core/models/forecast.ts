/**
 * Forecasting the change over persistence (residual learning) for time series: a network trains on
 * `y - persistence` and its predictions get `persistence` added back, so a forecast can follow a trend beyond
 * the range of values seen in training. Shared by NeuralEstimator and networks loaded from a bundle.
 */
import type { Dataset } from '../dataset';
import { TopdownError } from '../errors';

function persistenceOf(data: Dataset, name: string): Float32Array {
  const persistence = data.persistence;
  if (!persistence || persistence.length !== data.y.length) {
    throw new TopdownError(
      'INTERNAL',
      `Candidate "${name}" forecasts the change over the last observed value, but its data has no matching persistence values (a time series needs a \`window\` step).`,
    );
  }
  return persistence;
}

/** The change each target makes over the last observed value: `y - persistence`, same shape as `y`. */
export function changeTargets(data: Dataset, name: string): Float32Array {
  const persistence = persistenceOf(data, name);
  const change = new Float32Array(data.y.length);
  for (let index = 0; index < change.length; index++) change[index] = data.y[index] - persistence[index];
  return change;
}

/** Turns forecast changes into levels in place: adds the last observed value of each sample and step. */
export function addPersistence(values: Float32Array, data: Dataset, name: string): void {
  const persistence = data.persistence;
  if (!persistence || persistence.length !== values.length) {
    throw new TopdownError(
      'INTERNAL',
      `Candidate "${name}" forecasts the change over the last observed value, but the data to predict has no matching persistence values.`,
    );
  }
  for (let index = 0; index < values.length; index++) values[index] += persistence[index];
}
