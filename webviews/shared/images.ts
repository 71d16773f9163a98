/**
 * Images of an image source in a panel: one canvas per image, drawn from its bytes (no data URIs, so the
 * panel's content security policy needs nothing more), shown enlarged with crisp pixels by the stylesheet,
 * and rows of them under a label (a class, or a confused pair).
 */
import type { ImageSample } from '../../src/protocol/profile';
import { h, type Child } from './dom';

/** The size of the images of a set. */
export interface ImageGeometry {
  rows: number;
  cols: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
}

/** One image on a canvas of its own size; `title` names it on hover. Blank when its bytes do not fit. */
export function imageCanvas(geometry: ImageGeometry, sample: ImageSample, title: string): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'sample-image', title, 'data-file': sample.file });
  canvas.width = geometry.cols;
  canvas.height = geometry.rows;
  const bytes = Uint8Array.from(atob(sample.pixels), (character) => character.charCodeAt(0));
  const pixels = geometry.rows * geometry.cols;
  const context = canvas.getContext('2d');
  if (!context || bytes.length !== pixels * geometry.channels) return canvas;
  const image = context.createImageData(geometry.cols, geometry.rows);
  for (let pixel = 0; pixel < pixels; pixel++) {
    for (let channel = 0; channel < 3; channel++) {
      image.data[pixel * 4 + channel] =
        bytes[pixel * geometry.channels + (geometry.channels === 3 ? channel : 0)];
    }
    image.data[pixel * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** A labelled row of images: the label and a note on the left, the images after them. */
export function imageRow(
  label: Child,
  note: Child,
  images: HTMLCanvasElement[],
  data: Record<string, string>,
): HTMLElement {
  const attributes = Object.fromEntries(Object.entries(data).map(([key, value]) => [`data-${key}`, value]));
  return h(
    'div',
    { class: 'image-row', ...attributes },
    h('div', { class: 'image-label' }, h('strong', {}, label), h('span', { class: 'image-note' }, note)),
    h('div', { class: 'image-strip' }, ...images),
  );
}
