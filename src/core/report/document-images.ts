/**
 * The report's blocks for image data: the grid of sample images per class (in the data section, after the
 * class counts) and the most confused class pairs with the images the model got wrong (in the final section).
 * The grids are PNGs beside the report, one row per class or pair, in the order these blocks list them.
 */
import type { Block } from './blocks';
import { plural } from './format';
import type { ReportData } from './types';

/** The sample-image grid, when the data are images. */
export function classSampleBlocks(data: ReportData): Block[] {
  const samples = data.profile?.images;
  if (!samples || samples.classes.every((entry) => entry.images.length === 0)) return [];
  return [
    {
      kind: 'paragraph',
      content: `Sample images (${samples.cols}×${samples.rows}, ${samples.channels === 3 ? 'RGB' : 'grey'}), one row per class from top to bottom: ${samples.classes.map((entry) => entry.value).join(', ')}.`,
    },
    { kind: 'image', chart: 'class-samples', alt: 'Sample images, one row per class' },
  ];
}

/** The most confused pairs with example images, when the final model classifies images. */
export function confusedPairBlocks(data: ReportData): Block[] {
  const confused = data.final?.confusedPairs;
  if (!confused) return [];
  const heading: Block = { kind: 'heading', level: 3, text: 'Most confused classes' };
  if (confused.pairs.length === 0) {
    return [heading, { kind: 'paragraph', content: 'The final model classified every holdout image right.' }];
  }
  return [
    heading,
    {
      kind: 'table',
      header: ['Row', 'True class', 'Predicted as', 'Images', 'Share of the class'],
      rows: confused.pairs.map((pair, index) => [
        String(index + 1),
        pair.actual,
        pair.predicted,
        String(pair.count),
        `${(100 * pair.share).toFixed(1)}%`,
      ]),
      numeric: [true, false, false, true, true],
    },
    {
      kind: 'paragraph',
      content: `Each row of the image below shows up to ${plural(Math.max(...confused.pairs.map((pair) => pair.examples.length)), 'holdout image')} of that pair, the most confident mistakes first.`,
    },
    {
      kind: 'image',
      chart: 'confused-pairs',
      alt: 'The most confused pairs, one row of mistaken images per pair',
    },
  ];
}
