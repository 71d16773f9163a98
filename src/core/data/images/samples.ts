/** Sample images per class of an image source, as the profile, the panels and the report show them. */
import type { ImageSample, ImageSamples } from '../../../protocol/profile';
import type { Table } from '../table';
import { imageBytes, type ImageBlock } from './block';

/** How many images per class the profile keeps. */
export const SAMPLES_PER_CLASS = 8;

/** One image of a block as a panel receives it. */
export function imageSample(block: ImageBlock, row: number, file: string): ImageSample {
  const bytes = imageBytes(block);
  const pixels = block.pixels.subarray(row * bytes, (row + 1) * bytes);
  return { file, pixels: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length).toString('base64') };
}

/** How an image of the table is named: its file (an image folder's file-name column), else `#row` (IDX). */
export function imageName(table: Table): (row: number) => string {
  const files = table.columns.find((column) => column.type === 'identifier')?.values;
  return (row) => String(files?.[row] ?? `#${row}`);
}

/**
 * The first `perClass` images of each class, in the given class order (rows in table order, so the grid is the
 * same every time); undefined for a table without images.
 */
export function sampleImages(
  table: Table,
  target: string,
  classes: string[],
  perClass = SAMPLES_PER_CLASS,
): ImageSamples | undefined {
  const block = table.images;
  const labels = table.columns.find((column) => column.name === target)?.values;
  if (!block || !labels) return undefined;
  const name = imageName(table);
  const byClass = new Map(classes.map((value) => [value, [] as ImageSample[]]));
  for (let row = 0; row < table.rowCount; row++) {
    const samples = byClass.get(String(labels[row]));
    if (samples && samples.length < perClass) samples.push(imageSample(block, row, name(row)));
  }
  return {
    rows: block.rows,
    cols: block.cols,
    channels: block.channels,
    classes: [...byClass].map(([value, images]) => ({ value, images })),
  };
}
