/** The Final results panel's confused pairs: the class pairs the model mixed up most, with its mistakes. */
import type { ConfusedPairs } from '../../src/protocol/profile';
import { formatNumber, h } from '../shared/dom';
import { imageCanvas, imageRow } from '../shared/images';

/** The card of the most confused pairs, or undefined when the results have none (not an image classifier). */
export function confusedPairsCard(confused: ConfusedPairs | undefined): HTMLElement | undefined {
  if (!confused) return undefined;
  const rows = confused.pairs.map((pair) =>
    imageRow(
      `${pair.actual} → ${pair.predicted}`,
      `${pair.count} ${pair.count === 1 ? 'image' : 'images'} (${(100 * pair.share).toFixed(1)}% of ${pair.actual})`,
      pair.examples.map((example) =>
        imageCanvas(
          confused,
          example,
          `${example.file}: a ${pair.actual}, predicted ${pair.predicted} with p = ${formatNumber(example.probability)}`,
        ),
      ),
      { pair: `${pair.actual}→${pair.predicted}` },
    ),
  );
  return h(
    'section',
    { class: 'card image-grid', 'data-name': 'confused-pairs' },
    h('h2', {}, 'Most confused classes (holdout)'),
    rows.length > 0
      ? h('p', { class: 'image-note' }, 'True class → predicted class; the most confident mistakes first.')
      : h('p', {}, 'Every holdout image was classified right.'),
    ...rows,
  );
}
