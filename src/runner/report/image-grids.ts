/**
 * The report's image grids as PNGs, drawn with pngjs (pure JavaScript, so they need no canvas): the sample
 * images of each class (one row per class) and the most confused class pairs (one row per pair, the most
 * confident mistakes first). The document lists the rows in the same order beside the image.
 */
import { PNG } from 'pngjs';
import type { ImageSample } from '../../protocol/profile';
import type { ReportChartName, ReportData } from '../../core/report/types';

/** Displayed size of one image's longer side, in pixels (small images are enlarged by whole pixels). */
const CELL = 56;
/** White space between images and around the grid. */
const GAP = 4;

/** The geometry of the images of a grid. */
interface GridImages {
  rows: number;
  cols: number;
  channels: number;
}

/** Draws rows of images on white; every image is scaled up by the same whole factor. */
export function imageGrid(geometry: GridImages, rows: ImageSample[][]): Buffer {
  const scale = Math.max(1, Math.floor(CELL / Math.max(geometry.rows, geometry.cols)));
  const cellWidth = geometry.cols * scale;
  const cellHeight = geometry.rows * scale;
  const columns = Math.max(1, ...rows.map((row) => row.length));
  const width = GAP + columns * (cellWidth + GAP);
  const height = GAP + rows.length * (cellHeight + GAP);
  const png = new PNG({ width, height });
  png.data.fill(255);
  rows.forEach((row, rowIndex) =>
    row.forEach((sample, columnIndex) =>
      drawImage(png, geometry, scale, Buffer.from(sample.pixels, 'base64'), {
        left: GAP + columnIndex * (cellWidth + GAP),
        top: GAP + rowIndex * (cellHeight + GAP),
      }),
    ),
  );
  return PNG.sync.write(png);
}

function drawImage(
  png: PNG,
  geometry: GridImages,
  scale: number,
  pixels: Uint8Array,
  at: { left: number; top: number },
): void {
  const { rows, cols, channels } = geometry;
  if (pixels.length !== rows * cols * channels) return; // A damaged record: leave the cell blank.
  for (let y = 0; y < rows * scale; y++) {
    for (let x = 0; x < cols * scale; x++) {
      const source = (Math.floor(y / scale) * cols + Math.floor(x / scale)) * channels;
      const target = ((at.top + y) * png.width + at.left + x) * 4;
      for (let channel = 0; channel < 3; channel++) {
        png.data[target + channel] = pixels[source + (channels === 3 ? channel : 0)];
      }
      png.data[target + 3] = 255;
    }
  }
}

/** The grids the report's data has images for: `class-samples` and `confused-pairs`. */
export function renderImageGrids(data: ReportData): Partial<Record<ReportChartName, Buffer>> {
  const grids: Partial<Record<ReportChartName, Buffer>> = {};
  const samples = data.profile?.images;
  if (samples && samples.classes.some((entry) => entry.images.length > 0)) {
    grids['class-samples'] = imageGrid(
      samples,
      samples.classes.map((entry) => entry.images),
    );
  }
  const confused = data.final?.confusedPairs;
  if (confused && confused.pairs.length > 0) {
    grids['confused-pairs'] = imageGrid(
      confused,
      confused.pairs.map((pair) => pair.examples),
    );
  }
  return grids;
}
