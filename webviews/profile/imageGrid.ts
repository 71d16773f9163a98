/** The Data profile's image grid: for an image source, each class with its count and its first images. */
import type { DataProfile } from '../../src/protocol/profile';
import { h } from '../shared/dom';
import { imageCanvas, imageRow } from '../shared/images';

/** The card of sample images per class, or undefined for a table without images. */
export function classImageGrid(profile: DataProfile): HTMLElement | undefined {
  const samples = profile.images;
  if (!samples) return undefined;
  const counts = new Map((profile.target.classes ?? []).map((entry) => [entry.value, entry.count]));
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return h(
    'section',
    { class: 'card image-grid', 'data-name': 'class-samples' },
    h(
      'h2',
      {},
      `Sample images per class (${samples.cols}×${samples.rows}, ${samples.channels === 3 ? 'RGB' : 'grey'})`,
    ),
    ...samples.classes.map((entry) => {
      const count = counts.get(entry.value);
      const share = count !== undefined && total > 0 ? ` (${((100 * count) / total).toFixed(1)}%)` : '';
      return imageRow(
        entry.value,
        count === undefined ? '' : `${count.toLocaleString('en')} images${share}`,
        entry.images.map((sample) => imageCanvas(samples, sample, `${entry.value}: ${sample.file}`)),
        { class: entry.value },
      );
    }),
  );
}
