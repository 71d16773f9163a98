/**
 * The most confused class pairs of an image classifier on the holdout, with the images it got wrong: what the
 * Final results panel and the report show beside the confusion matrix.
 */
import type { ConfusedPair, ConfusedPairs } from '../../../protocol/profile';
import type { Table } from '../table';
import { imageName, imageSample } from './samples';

/** Pairs kept, and example images per pair. */
export const CONFUSED_PAIRS = 5;
export const CONFUSED_EXAMPLES = 6;

/** A classifier's holdout: table rows, true class indices, and class probabilities row-major [size, classes]. */
export interface ClassifiedHoldout {
  rows: ArrayLike<number>;
  truth: ArrayLike<number>;
  predictions: ArrayLike<number>;
}

/** Index of the largest of `width` values from `offset` (the first one on ties). */
export function argmax(values: ArrayLike<number>, offset: number, width: number): number {
  let best = 0;
  for (let index = 1; index < width; index++) {
    if (values[offset + index] > values[offset + best]) best = index;
  }
  return best;
}

/**
 * The `pairs` most frequent (true, predicted) pairs with true ≠ predicted, ties in class order, each with its
 * `examples` most confident mistakes (ties in holdout order). Undefined for a table without images; `holdout.rows`
 * are rows of `table`.
 */
export function confusedPairs(
  table: Table,
  holdout: ClassifiedHoldout,
  classes: readonly string[],
  options: { pairs?: number; examples?: number } = {},
): ConfusedPairs | undefined {
  const images = table.images;
  if (!images) return undefined;
  const name = imageName(table);
  const width = classes.length;
  const perClass = new Array<number>(width).fill(0);
  const mistakes = new Map<number, Array<{ sample: number; probability: number }>>();
  for (let sample = 0; sample < holdout.truth.length; sample++) {
    const actual = holdout.truth[sample];
    const predicted = argmax(holdout.predictions, sample * width, width);
    perClass[actual]++;
    if (predicted === actual) continue;
    const key = actual * width + predicted;
    const list = mistakes.get(key) ?? [];
    list.push({ sample, probability: holdout.predictions[sample * width + predicted] });
    mistakes.set(key, list);
  }
  const pairs = [...mistakes]
    .sort(([keyA, listA], [keyB, listB]) => listB.length - listA.length || keyA - keyB)
    .slice(0, options.pairs ?? CONFUSED_PAIRS)
    .map(([key, list]): ConfusedPair => {
      const actual = Math.floor(key / width);
      const examples = [...list]
        .sort((a, b) => b.probability - a.probability || a.sample - b.sample)
        .slice(0, options.examples ?? CONFUSED_EXAMPLES)
        .map(({ sample, probability }) => {
          const row = holdout.rows[sample];
          return { ...imageSample(images, row, name(row)), probability };
        });
      return {
        actual: classes[actual],
        predicted: classes[key % width],
        count: list.length,
        share: list.length / perClass[actual],
        examples,
      };
    });
  return { rows: images.rows, cols: images.cols, channels: images.channels, pairs };
}
