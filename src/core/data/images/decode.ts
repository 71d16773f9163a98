/**
 * Decoding and resizing one image file: PNG with pngjs, JPEG with jpeg-js (both pure JavaScript), then a
 * bilinear resize to the declared size and a conversion to grey or RGB bytes.
 */
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { TopdownError } from '../../errors';
import type { ImageSize } from './block';

/** Largest image decoded, in megapixels (jpeg-js refuses larger ones before allocating). */
const MAX_MEGAPIXELS = 50;

/** A decoded image: RGBA bytes, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Decodes a PNG or JPEG file's bytes; IMAGE_UNREADABLE naming the file when they are not a whole image. */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e;
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return { width: png.width, height: png.height, rgba: png.data };
    }
    if (isJpeg) {
      const image = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
        maxResolutionInMP: MAX_MEGAPIXELS,
        maxMemoryUsageInMB: 512,
      });
      return { width: image.width, height: image.height, rgba: image.data };
    }
  } catch (error) {
    throw unreadable(file, `it could not be decoded (${(error as Error).message})`);
  }
  throw unreadable(file, bytes.length === 0 ? 'it is empty' : 'it is neither a PNG nor a JPEG');
}

function unreadable(file: string, why: string): TopdownError {
  return new TopdownError('IMAGE_UNREADABLE', `The image ${file} is unreadable: ${why}.`, {
    file,
    hint: 'Re-save or remove the file; images are read as PNG or JPEG.',
  });
}

/**
 * Writes an image into `target` at `offset` as size.rows × size.cols × size.channels bytes: resized
 * bilinearly (pixel centres aligned, as Keras' `image_dataset_from_directory` does) and converted to grey
 * (ITU-R 601 luma) or RGB. Alpha is dropped.
 */
export function writeResized(image: DecodedImage, size: ImageSize, target: Uint8Array, offset: number): void {
  const { width, height, rgba } = image;
  const rowScale = height / size.rows;
  const colScale = width / size.cols;
  const same = width === size.cols && height === size.rows;
  const channel = new Float64Array(3);
  let out = offset;
  for (let row = 0; row < size.rows; row++) {
    const sourceRow = same ? row : Math.min(Math.max((row + 0.5) * rowScale - 0.5, 0), height - 1);
    const top = Math.floor(sourceRow);
    const bottom = Math.min(top + 1, height - 1);
    const down = sourceRow - top;
    for (let col = 0; col < size.cols; col++) {
      const sourceCol = same ? col : Math.min(Math.max((col + 0.5) * colScale - 0.5, 0), width - 1);
      const left = Math.floor(sourceCol);
      const right = Math.min(left + 1, width - 1);
      const across = sourceCol - left;
      for (let c = 0; c < 3; c++) {
        const at = (y: number, x: number) => rgba[(y * width + x) * 4 + c];
        const upper = at(top, left) * (1 - across) + at(top, right) * across;
        const lower = at(bottom, left) * (1 - across) + at(bottom, right) * across;
        channel[c] = upper * (1 - down) + lower * down;
      }
      if (size.channels === 1) {
        target[out++] = Math.round(0.299 * channel[0] + 0.587 * channel[1] + 0.114 * channel[2]);
      } else {
        for (let c = 0; c < 3; c++) target[out++] = Math.round(channel[c]);
      }
    }
  }
}
