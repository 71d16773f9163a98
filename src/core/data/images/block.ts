/**
 * Images in memory: one byte per pixel channel, one image per table row, never float copies. The preparation
 * pipeline scales the bytes of the samples it needs into the float32 features of a fold.
 */
import { TopdownError } from '../../errors';

/** The pixels of every image of a source, row-major (image, row, column, channel), 0–255. */
export interface ImageBlock {
  rows: number;
  cols: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
  /** count × rows × cols × channels bytes. */
  pixels: Uint8Array;
}

/** The size an image source resizes to: declared by the project's image op, or taken from the first image. */
export interface ImageSize {
  rows: number;
  cols: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
}

/** Channels an image source can produce. */
export const IMAGE_CHANNELS = [1, 3] as const;

/** Bytes of one image of a block. */
export function imageBytes(size: ImageSize): number {
  return size.rows * size.cols * size.channels;
}

/** Number of images in a block. */
export function imageCount(block: ImageBlock): number {
  const bytes = imageBytes(block);
  return bytes === 0 ? 0 : block.pixels.length / bytes;
}

/** The images at the given positions, in that order (still bytes). */
export function selectImages(block: ImageBlock, positions: ArrayLike<number>): ImageBlock {
  const bytes = imageBytes(block);
  const pixels = new Uint8Array(positions.length * bytes);
  for (let index = 0; index < positions.length; index++) {
    const start = positions[index] * bytes;
    pixels.set(block.pixels.subarray(start, start + bytes), index * bytes);
  }
  return { ...block, pixels };
}

/** Float32 features of the given images, each byte divided by scale. */
export function scaleImages(block: ImageBlock, positions: ArrayLike<number>, scale: number): Float32Array {
  const bytes = imageBytes(block);
  const x = new Float32Array(positions.length * bytes);
  for (let index = 0; index < positions.length; index++) {
    const start = positions[index] * bytes;
    const offset = index * bytes;
    for (let byte = 0; byte < bytes; byte++) x[offset + byte] = block.pixels[start + byte] / scale;
  }
  return x;
}

/** Checks a declared image size: whole positive rows and cols, 1 or 3 channels. */
export function checkImageSize(size: ImageSize, where: { file?: string; field?: string }): void {
  for (const [name, value] of [
    ['rows', size.rows],
    ['cols', size.cols],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 4096) {
      throw new TopdownError(
        'PREPARE_INVALID',
        `image: "${name}" must be a whole number from 1 to 4096; got ${value}.`,
        {
          ...where,
          hint: 'Use e.g. 28.',
        },
      );
    }
  }
  if (!(IMAGE_CHANNELS as readonly number[]).includes(size.channels)) {
    throw new TopdownError(
      'PREPARE_INVALID',
      `image: images are read as grey (channels 1) or RGB (channels 3); got channels ${size.channels}.`,
      { ...where, hint: 'Use 1 for grey images, 3 for colour.' },
    );
  }
}
