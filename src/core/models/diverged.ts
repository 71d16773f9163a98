/**
 * Diverged training: weights or outputs that are no longer finite numbers (a learning rate far too high makes
 * them overflow to Infinity and then NaN). Such a model has no score and is never saved or used to predict.
 */
import { TopdownError } from '../errors';

/** What a diverged model's error says to do. */
export const DIVERGED_HINT =
  'Lower the learning rate (e.g. by a factor of 10), or add a `standardize` step to prepare so the features are on a similar scale.';

/** The index of the first value that is NaN or ±Infinity, or -1 when every value is finite. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let index = 0; index < values.length; index++) if (!Number.isFinite(values[index])) return index;
  return -1;
}

/**
 * DIVERGED for a model named `name` whose `what` (e.g. "weights", "predictions") hold `value`, which is not a
 * finite number.
 */
export function divergedError(name: string, what: string, value: number): TopdownError {
  return new TopdownError(
    'DIVERGED',
    `Training of "${name}" diverged: its ${what} became ${value}, so the model cannot be scored or saved.`,
    { hint: DIVERGED_HINT },
  );
}

/** Throws DIVERGED when any of `values` (a model's `what`) is not a finite number. */
export function checkFinite(name: string, what: string, values: ArrayLike<number>): void {
  const index = firstNonFinite(values);
  if (index >= 0) throw divergedError(name, what, values[index]);
}
