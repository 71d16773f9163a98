/** The report of an image project: the sample grid per class and the most confused pairs, as PNGs beside it. */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { RunStore } from '../../src/core/runs/store';
import type { ConfusedPairs, DataProfile, ImageSample } from '../../src/protocol/profile';
import { renderReport } from '../../src/runner/report';
import { copyProject, record, recordStepsFourAndFive, recordStepsOneToThree } from './report-helpers';

/** A 2×2 grey image whose four pixels are `value`. */
function image(value: number, file = `#${value}`): ImageSample {
  return { file, pixels: Buffer.from([value, value, value, value]).toString('base64') };
}

/** Adds sample images to the define run's profile and confused pairs to a new present run. */
function addImages(dir: string, store: RunStore): void {
  const define = store.list({ step: 'define' })[0];
  const file = join(store.runDir(define.id), 'profile.json');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as DataProfile;
  profile.images = {
    rows: 2,
    cols: 2,
    channels: 1,
    classes: [
      { value: 'M', images: [image(10), image(20), image(30)] },
      { value: 'R', images: [image(40)] },
    ],
  };
  writeFileSync(file, JSON.stringify(profile));
  const present = record(store, 'present', 'session-present-2', {
    candidate: 'logistic',
    model: 'linear',
    holdout: { score: 0.75, metrics: { accuracy: 0.75 }, size: 8 },
  });
  const pairs: ConfusedPairs = {
    rows: 2,
    cols: 2,
    channels: 1,
    pairs: [
      { actual: 'R', predicted: 'M', count: 2, share: 0.5, examples: [{ ...image(200), probability: 0.9 }] },
    ],
  };
  writeFileSync(join(store.runDir(present.id), 'confused-pairs.json'), JSON.stringify(pairs));
}

/** The grey value of the pixel at (x, y) of a PNG file. */
function pixel(file: string, x: number, y: number): number {
  const png = PNG.sync.read(readFileSync(file));
  return png.data[(y * png.width + x) * 4];
}

describe('the report of an image project', () => {
  it('draws the sample images, one row per class, and lists the rows in class order', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    recordStepsFourAndFive(dir, store);
    addImages(dir, store);
    const result = await renderReport(dir);
    const grid = join(dir, 'report', 'class-samples.png');
    assert.ok(result.charts.includes(grid));
    // 2×2 images enlarged 28 times to 56 px cells, 4 px apart: 3 columns, 2 rows.
    const png = PNG.sync.read(readFileSync(grid));
    assert.deepEqual([png.width, png.height], [4 + 3 * 60, 4 + 2 * 60]);
    assert.equal(pixel(grid, 4 + 30, 4 + 30), 10);
    assert.equal(pixel(grid, 4 + 60 + 30, 4 + 30), 20);
    assert.equal(pixel(grid, 4 + 30, 4 + 60 + 30), 40);
    assert.equal(pixel(grid, 4 + 60 + 30, 4 + 60 + 30), 255, 'a class with fewer images leaves white');
    const markdown = readFileSync(result.markdown, 'utf8');
    assert.match(
      markdown,
      /one row per class from top to bottom: M, R\.\n\n!\[[^\]]+\]\(class-samples\.png\)/,
    );
  });

  it('shows the most confused pairs in a table and their mistaken images in the same order', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    recordStepsFourAndFive(dir, store);
    addImages(dir, store);
    const result = await renderReport(dir);
    const grid = join(dir, 'report', 'confused-pairs.png');
    assert.ok(result.charts.includes(grid));
    assert.equal(pixel(grid, 4 + 30, 4 + 30), 200);
    const markdown = readFileSync(result.markdown, 'utf8');
    assert.match(markdown, /### Most confused classes/);
    assert.match(markdown, /\| 1 \| R \| M \| 2 \| 50\.0% \|/);
    assert.match(markdown, /!\[[^\]]+\]\(confused-pairs\.png\)/);
    const html = readFileSync(result.html, 'utf8');
    assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 4);
  });

  it('has no image grids for a table project', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    recordStepsFourAndFive(dir, store);
    const result = await renderReport(dir);
    assert.ok(!result.charts.some((file) => /class-samples|confused-pairs/.test(file)));
    assert.doesNotMatch(readFileSync(result.markdown, 'utf8'), /Most confused classes|Sample images/);
  });
});
