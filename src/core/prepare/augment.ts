/**
 * Augmentation of a fold's training images (the image op's `augment`): each training image gets `copies` more
 * versions, each flipped left-right with probability one half (`flip`) and moved by up to `shift` pixels along
 * each axis (the pixels moved in are 0). Drawn once per fold from the fold's seed, after the pipeline transformed
 * the training part, so validation and holdout images, and the pipeline's statistics, never see them.
 */
import type { ImageAugment, PrepareOp } from '../config';
import type { Dataset } from '../dataset';
import { TopdownError } from '../errors';
import { createRng, deriveSeed, type Rng } from '../random';

/** The most copies per image (the training part grows by this factor plus one). */
export const MAX_AUGMENT_COPIES = 8;

/** The augmentation an op list declares, checked; undefined when none. PREPARE_INVALID names the field. */
export function augmentSettings(
  ops: readonly PrepareOp[],
  file?: string,
): Required<ImageAugment> | undefined {
  const index = ops.findIndex((op) => op.op === 'image');
  const op = ops[index];
  if (!op || op.op !== 'image' || !op.augment) return undefined;
  const { flip = false, shift = 0, copies = 1 } = op.augment;
  const field = (name: string) => `/prepare/${index}/augment/${name}`;
  const limit = Math.floor(Math.min(op.rows, op.cols) / 4);
  if (!Number.isInteger(shift) || shift < 0 || shift > limit) {
    throw new TopdownError(
      'PREPARE_INVALID',
      `image: "augment.shift" must be a whole number from 0 to ${limit} (a quarter of the image); got ${shift}.`,
      { file, field: field('shift'), hint: 'Small shifts help most: use 1 to 3 pixels for 28 × 28 images.' },
    );
  }
  if (!Number.isInteger(copies) || copies < 1 || copies > MAX_AUGMENT_COPIES) {
    throw new TopdownError(
      'PREPARE_INVALID',
      `image: "augment.copies" must be a whole number from 1 to ${MAX_AUGMENT_COPIES}; got ${copies}.`,
      { file, field: field('copies'), hint: 'Each copy adds the training set once more: start with 1.' },
    );
  }
  if (!flip && shift === 0) {
    throw new TopdownError('PREPARE_INVALID', 'image: "augment" neither flips nor shifts.', {
      file,
      field: field('flip'),
      hint: 'Set "flip": true, a "shift" of 1 or more pixels, or remove "augment".',
    });
  }
  return { flip, shift, copies };
}

/**
 * The training images followed by `copies` augmented versions of each (in the same order as the originals,
 * copy by copy); `augmentedFrom[i]` is the original sample of sample i. Shapes [n, rows, cols, channels].
 */
export function augmentImages(train: Dataset, settings: Required<ImageAugment>, seed: number): Dataset {
  const [count, rows, cols, channels] = train.xShape;
  const size = rows * cols * channels;
  const total = count * (1 + settings.copies);
  const x = new Float32Array(total * size);
  x.set(train.x);
  const rng = createRng(deriveSeed(seed, 'augment'));
  for (let copy = 1; copy <= settings.copies; copy++) {
    for (let sample = 0; sample < count; sample++) {
      const source = train.x.subarray(sample * size, (sample + 1) * size);
      const target = x.subarray((copy * count + sample) * size, (copy * count + sample + 1) * size);
      drawCopy(source, target, [rows, cols, channels], settings, rng);
    }
  }
  const repeat = <T extends Float32Array | Int32Array>(values: T, make: (length: number) => T): T => {
    const result = make(values.length * (1 + settings.copies));
    for (let copy = 0; copy <= settings.copies; copy++) result.set(values, copy * values.length);
    return result;
  };
  const augmented: Dataset = {
    ...train,
    x,
    xShape: [total, rows, cols, channels],
    y: repeat(train.y, (length) => new Float32Array(length)),
    yShape: [total, ...train.yShape.slice(1)],
    rowIndex: repeat(train.rowIndex, (length) => new Int32Array(length)),
    augmentedFrom: repeat(
      Int32Array.from({ length: count }, (_unused, sample) => sample),
      (length) => new Int32Array(length),
    ),
  };
  return augmented;
}

/** One augmented version of `source` into `target` (zeros where the shift moves pixels in). */
function drawCopy(
  source: Float32Array,
  target: Float32Array,
  [rows, cols, channels]: number[],
  settings: Required<ImageAugment>,
  rng: Rng,
): void {
  const flip = settings.flip && rng() < 0.5;
  const down = settings.shift > 0 ? Math.floor(rng() * (2 * settings.shift + 1)) - settings.shift : 0;
  const right = settings.shift > 0 ? Math.floor(rng() * (2 * settings.shift + 1)) - settings.shift : 0;
  for (let row = 0; row < rows; row++) {
    const from = row - down;
    for (let col = 0; col < cols; col++) {
      const shifted = col - right;
      const fromCol = flip ? cols - 1 - shifted : shifted;
      const at = (row * cols + col) * channels;
      if (from < 0 || from >= rows || shifted < 0 || shifted >= cols) continue; // stays 0
      const read = (from * cols + fromCol) * channels;
      for (let channel = 0; channel < channels; channel++) target[at + channel] = source[read + channel];
    }
  }
}

/** How many of the samples are originals (they come first: `augmentedFrom[i] === i`). */
export function originalCount(augmentedFrom: Int32Array): number {
  let count = 0;
  while (count < augmentedFrom.length && augmentedFrom[count] === count) count++;
  return count;
}

/**
 * Splits augmented training samples for early stopping: the `held` originals are watched, and neither they nor
 * any copy of them is trained on, so the watched loss is the loss on images the network never saw.
 */
export function holdOutWithCopies(
  augmentedFrom: Int32Array,
  held: Int32Array,
): { held: Int32Array; kept: Int32Array } {
  const isHeld = new Uint8Array(augmentedFrom.length);
  for (const sample of held) isHeld[sample] = 1;
  const kept = augmentedFrom
    .map((source, sample) => (isHeld[source] ? -1 : sample))
    .filter((sample) => sample >= 0);
  return { held, kept };
}
