/** Image test data: learnable synthetic images, written as IDX files or as a folder of class subfolders of PNGs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { createRng } from '../../src/core/random';

/** Grey images with their labels (0-based class numbers). */
export interface TestImages {
  rows: number;
  cols: number;
  /** count × rows × cols bytes. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

/**
 * Seeded grey images of three learnable classes: 0 a bright horizontal bar, 1 a bright vertical bar, 2 a
 * bright square, each at a random place over noise.
 */
export function syntheticImages(perClass: number, size = 8, seed = 1, classes = 3): TestImages {
  const random = createRng(seed);
  const count = perClass * classes;
  const pixels = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  for (let image = 0; image < count; image++) {
    const label = image % classes;
    labels[image] = label;
    const offset = image * size * size;
    for (let pixel = 0; pixel < size * size; pixel++) pixels[offset + pixel] = Math.floor(random() * 60);
    const at = 1 + Math.floor(random() * (size - 3));
    for (let step = 0; step < size; step++) {
      if (label === 0) pixels[offset + at * size + step] = 230;
      else if (label === 1) pixels[offset + step * size + at] = 230;
      else if (step < 3)
        for (let across = 0; across < 3; across++) pixels[offset + (at + step) * size + at + across] = 230;
    }
  }
  return { rows: size, cols: size, pixels, labels };
}

/** IDX bytes: the header (unsigned bytes, the given dimensions) and the data. */
export function idxBytes(dimensions: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dimensions.length);
  header[2] = 0x08;
  header[3] = dimensions.length;
  dimensions.forEach((dimension, index) => header.writeUInt32BE(dimension, 4 + 4 * index));
  return Buffer.concat([header, data]);
}

/** Writes `<prefix>-images-idx3-ubyte[.gz]` and its labels file; returns the images file's path. */
export function writeIdx(
  dir: string,
  prefix: string,
  images: TestImages,
  options: { gzip?: boolean } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const count = images.labels.length;
  const suffix = options.gzip ? '.gz' : '';
  const write = (name: string, bytes: Uint8Array) =>
    writeFileSync(join(dir, name + suffix), options.gzip ? gzipSync(bytes) : bytes);
  write(`${prefix}-images-idx3-ubyte`, idxBytes([count, images.rows, images.cols], images.pixels));
  write(`${prefix}-labels-idx1-ubyte`, idxBytes([count], images.labels));
  return join(dir, `${prefix}-images-idx3-ubyte${suffix}`);
}

/** PNG bytes of one grey image. */
export function pngBytes(pixels: Uint8Array, rows: number, cols: number): Buffer {
  const png = new PNG({ width: cols, height: rows });
  for (let pixel = 0; pixel < rows * cols; pixel++) {
    png.data.set([pixels[pixel], pixels[pixel], pixels[pixel], 255], pixel * 4);
  }
  return PNG.sync.write(png);
}

/** JPEG bytes of one grey image. */
export function jpegBytes(pixels: Uint8Array, rows: number, cols: number): Buffer {
  const data = Buffer.alloc(rows * cols * 4);
  for (let pixel = 0; pixel < rows * cols; pixel++)
    data.set([pixels[pixel], pixels[pixel], pixels[pixel], 255], pixel * 4);
  return jpeg.encode({ width: cols, height: rows, data }, 95).data;
}

/**
 * Writes the images as `<folder>/<class>/<n>.png` (every even-numbered image as JPEG when `jpeg` is set);
 * class names come from `names` (default `class-<label>`). Returns the folder.
 */
export function writeImageFolder(
  folder: string,
  images: TestImages,
  options: { names?: string[]; jpeg?: boolean } = {},
): string {
  const size = images.rows * images.cols;
  images.labels.forEach((label, image) => {
    const name = options.names?.[label] ?? `class-${label}`;
    mkdirSync(join(folder, name), { recursive: true });
    const pixels = images.pixels.subarray(image * size, (image + 1) * size);
    const asJpeg = options.jpeg && image % 2 === 0;
    const file = join(folder, name, `${String(image).padStart(5, '0')}.${asJpeg ? 'jpg' : 'png'}`);
    writeFileSync(
      file,
      asJpeg ? jpegBytes(pixels, images.rows, images.cols) : pngBytes(pixels, images.rows, images.cols),
    );
  });
  return folder;
}
