/**
 * The Prepare panel (step 2) shows the preparation preview: the pipeline's steps, the shapes of fold 1's parts and
 * each feature's statistics before and after, not an empty learning curve.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { PreparationPreview, ToPanel } from '../../src/protocol/panels';
import { launchBrowser, openPanel } from './harness';

const preview: PreparationPreview = {
  task: 'binary',
  target: 'label',
  fold: 0,
  shapes: { train: { x: [166, 61], y: [166, 1] }, validation: { x: [42, 61], y: [42, 1] } },
  classes: ['M', 'R'],
  before: [
    {
      name: 'band1',
      type: 'numeric',
      role: 'feature',
      missing: 0,
      mean: 0.0291,
      std: 0.0229,
      min: 0.0015,
      max: 0.137,
    },
    { name: 'site', type: 'categorical', role: 'feature', missing: 3, distinct: 2 },
  ],
  after: [
    { name: 'band1', mean: 1.2e-17, std: 1, min: -1.2, max: 4.71 },
    { name: 'site=a', mean: 0.41, std: 0.49, min: 0, max: 1 },
  ],
  describe: ['standardize: band1', 'one-hot: site (2 values)'],
};

const messages: ToPanel[] = [
  {
    type: 'panel/context',
    context: {
      kind: 'prepare',
      projectDir: '/home/ana/projects/sonar',
      runIds: ['20251206-040100-prepare-a1b2'],
    },
    title: 'Preparation · 6 Dec 04:01',
  },
  { type: 'prepare/snapshot', runId: '20251206-040100-prepare-a1b2', preview },
];

describe('prepare panel', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('shows the pipeline, the shapes of fold 1 and the statistics before and after', async () => {
    const panel = await openPanel(browser, 'prepare');
    await panel.send(...messages);
    const page = panel.page;
    assert.equal(
      await page.locator('[data-role="pipeline"] h2').textContent(),
      "Preparation fitted on fold 1's training part",
    );
    assert.deepEqual(await page.locator('[data-role="steps"] li').allTextContents(), preview.describe);
    assert.deepEqual(await page.locator('[data-table="shapes"] td[data-key="x"]').allTextContents(), [
      '166 × 61',
      '42 × 61',
    ]);
    const before = (key: string) =>
      page.locator(`[data-table="before"] td[data-key="${key}"]`).allTextContents();
    assert.deepEqual(await before('name'), ['band1', 'site']);
    assert.deepEqual(await before('missing'), ['0', '3']);
    assert.deepEqual(await before('mean'), ['0.029', '—']);
    assert.deepEqual(await before('max'), ['0.137', '—']);
    const afterCells = (key: string) =>
      page.locator(`[data-table="after"] td[data-key="${key}"]`).allTextContents();
    assert.deepEqual(await afterCells('name'), ['band1', 'site=a']);
    // A standardized feature reads mean 0.00 and std 1.00 in its row's notation, not 1.2e-17.
    assert.deepEqual(await afterCells('mean'), ['0.00', '0.41']);
    assert.deepEqual(await afterCells('std'), ['1.00', '0.49']);
    assert.match(
      (await page.locator('.table-card h2').nth(1).textContent()) ?? '',
      /61 model-ready features/,
    );
    assert.equal(await page.locator('canvas').count(), 0, 'no empty learning curve');
    await panel.screenshot('prepare');
    assert.deepEqual(await panel.problems(), []);
  });

  it("names the candidates with their own pipeline, with its steps and shapes, beside the project's", async () => {
    const panel = await openPanel(browser, 'prepare');
    const own = {
      candidates: ['embedding', 'embedding-gru'],
      shapes: { train: { x: [166, 120], y: [166, 1] }, validation: { x: [42, 120], y: [42, 1] } },
      describe: ['tokenize: lower-case words', 'sequences of "text": 120 token ids'],
    };
    await panel.send(messages[0], {
      type: 'prepare/snapshot',
      runId: '20251206-040100-prepare-a1b2',
      preview: { ...preview, candidatePipelines: [own] },
    });
    const page = panel.page;
    assert.equal(
      await page.locator('[data-role="pipeline"] h2').textContent(),
      "The project's preparation fitted on fold 1's training part",
    );
    const card = page.locator(
      '[data-role="candidate-pipelines"] [data-candidates="embedding,embedding-gru"]',
    );
    assert.equal(await card.locator('h3').textContent(), 'embedding, embedding-gru');
    assert.deepEqual(await card.locator('li').allTextContents(), own.describe);
    assert.equal(await card.locator('.facts').textContent(), 'Training x 166 × 120 · validation x 42 × 120');
    assert.deepEqual(await panel.problems(), []);
  });
});
