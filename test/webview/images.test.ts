/** The image grids of the Data profile and Final results panels, for an image source. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { FinalResults, ToPanel } from '../../src/protocol/panels';
import type { ImageSample } from '../../src/protocol/profile';
import { launchBrowser, openPanel } from './harness';

/** A 2×2 grey image whose four pixels are `value`. */
function image(value: number, file = `#${value}`): ImageSample {
  return { file, pixels: Buffer.from([value, value, value, value]).toString('base64') };
}

const profile: ToPanel = {
  type: 'profile/snapshot',
  runId: 'define-1',
  profile: {
    file: 'data/train-images-idx3-ubyte.gz',
    rows: 5,
    columns: [
      { name: 'file', type: 'identifier', role: 'ignored', missing: 0, distinct: 5 },
      { name: 'label', type: 'categorical', role: 'target', missing: 0, distinct: 2 },
    ],
    target: {
      name: 'label',
      task: 'image',
      classes: [
        { value: 'Shirt', count: 3 },
        { value: 'Coat', count: 2 },
      ],
    },
    warnings: [],
    images: {
      rows: 2,
      cols: 2,
      channels: 1,
      classes: [
        { value: 'Shirt', images: [image(10), image(20), image(30)] },
        { value: 'Coat', images: [image(40), image(50)] },
      ],
    },
  },
};

const results: FinalResults = {
  runId: 'present-1',
  candidate: 'cnn-small',
  metric: 'accuracy',
  task: 'image',
  higherIsBetter: true,
  holdout: { accuracy: 0.75 },
  crossValidation: { accuracy: { mean: 0.8, std: 0.02 } },
  classes: ['Shirt', 'Coat'],
  confusion: [
    [3, 1],
    [2, 2],
  ],
  predictions: [],
  hasReport: false,
  hasModel: true,
  confusedPairs: {
    rows: 2,
    cols: 2,
    channels: 1,
    pairs: [
      {
        actual: 'Coat',
        predicted: 'Shirt',
        count: 2,
        share: 0.5,
        examples: [
          { ...image(200, '#7'), probability: 0.93 },
          { ...image(150, '#3'), probability: 0.6 },
        ],
      },
      {
        actual: 'Shirt',
        predicted: 'Coat',
        count: 1,
        share: 0.25,
        examples: [{ ...image(90), probability: 0.5 }],
      },
    ],
  },
};
const final: ToPanel = { type: 'final/snapshot', results };

describe('image grids', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('profile: shows each class with its count and its sample images, drawn from their bytes', async () => {
    const panel = await openPanel(browser, 'profile');
    await panel.send(profile);
    const page = panel.page;
    const rows = page.locator('[data-name="class-samples"] .image-row');
    assert.deepEqual(
      await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-class'))),
      ['Shirt', 'Coat'],
    );
    assert.deepEqual(await page.locator('[data-name="class-samples"] .image-note').allTextContents(), [
      '3 images (60.0%)',
      '2 images (40.0%)',
    ]);
    assert.equal(await rows.nth(0).locator('canvas').count(), 3);
    assert.equal(await rows.nth(1).locator('canvas').count(), 2);
    const second = await panel.pixels('[data-class="Shirt"] canvas:nth-child(2)');
    assert.deepEqual([second.width, second.height, second.colours['20,20,20']], [2, 2, 4]);
    assert.equal(await rows.nth(1).locator('canvas').first().getAttribute('title'), 'Coat: #40');
    await panel.screenshot('profile-images');
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: shows the most confused pairs with the mistaken images, the most confident first', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send(final);
    const page = panel.page;
    const rows = page.locator('[data-name="confused-pairs"] .image-row');
    assert.deepEqual(await rows.locator('strong').allTextContents(), ['Coat → Shirt', 'Shirt → Coat']);
    assert.deepEqual(await rows.locator('.image-note').allTextContents(), [
      '2 images (50.0% of Coat)',
      '1 image (25.0% of Shirt)',
    ]);
    assert.match(
      (await rows.nth(0).locator('canvas').first().getAttribute('title')) ?? '',
      /^#7: a Coat, predicted Shirt with p = 0\.93/,
    );
    const first = await panel.pixels('[data-pair="Coat→Shirt"] canvas:nth-child(1)');
    assert.equal(first.colours['200,200,200'], 4);
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: has no confused pairs for a table project', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send({ type: 'final/snapshot', results: { ...results, confusedPairs: undefined } });
    assert.equal(await panel.page.locator('[data-name="confused-pairs"]').count(), 0);
    assert.deepEqual(await panel.problems(), []);
  });
});
