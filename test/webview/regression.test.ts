import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { fixture, launchBrowser, openPanel } from './harness';

describe('panels that fit regression', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('final: residuals largest first at the data’s precision, right-aligned, without classification columns', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send(...fixture('final-regression-housing.json'));
    const page = panel.page;
    const table = page.locator('table[data-table="predictions"]');
    assert.deepEqual(await table.locator('th').allTextContents(), ['Row', 'Actual', 'Predicted', 'Residual']);
    assert.equal(await table.locator('tbody tr').count(), 50, 'the 50 largest of 60 holdout rows');
    // Row 37 is 11.3 off, the largest; 36.2 (float32 36.2000008) reads at the data's one decimal.
    assert.deepEqual(await table.locator('tbody tr').first().locator('td').allTextContents(), [
      '37',
      '15.3',
      '26.6',
      '+11.3',
    ]);
    const row42 = table.locator('tbody tr', { has: page.locator('td[data-key="row"]', { hasText: /^42$/ }) });
    assert.deepEqual(await row42.locator('td').allTextContents(), ['42', '36.2', '30.1', '-6.1']);
    assert.equal(await table.locator('tr.worst').count(), 5);
    assert.equal(await table.locator('tr.untuned').count(), 0, 'no row styled as a classification miss');
    const align = await table
      .locator('tbody tr')
      .first()
      .locator('td[data-key="predicted"]')
      .evaluate((cell) => getComputedStyle(cell).textAlign);
    assert.equal(align, 'right');
    const residuals = (await table.locator('td[data-key="residual"]').allTextContents()).map(Number);
    const sizes = residuals.map(Math.abs);
    assert.deepEqual(
      sizes,
      [...sizes].sort((left, right) => right - left),
      'sorted by the size of the error',
    );
    assert.ok(
      (await table.locator('td').allTextContents()).every((text) => !/\d\.\d{4,}/.test(text)),
      'no float32 noise',
    );
    await panel.screenshot('final-regression');
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: names the baseline and gives its holdout score beside the model’s', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send(...fixture('final-regression-housing.json'));
    const metrics = panel.page.locator('table[data-table="metrics"]');
    assert.deepEqual(await metrics.locator('th').allTextContents(), [
      'Metric',
      'Holdout',
      'Baseline (mean) holdout',
      'CV mean',
      'CV std',
      'Baseline (mean) CV mean',
    ]);
    // The holdout beside the baseline's; one notation per metric (3 significant digits of its largest value).
    assert.deepEqual(await metrics.locator('tr.best td').allTextContents(), [
      'RMSE',
      '2.84',
      '7.90',
      '2.83',
      '0.57',
      '7.66',
    ]);
    assert.equal(await panel.page.locator('[data-warning="baseline"]').count(), 0);
  });

  it('final: says plainly when the model is not reliably better than the baseline', async () => {
    const panel = await openPanel(browser, 'final');
    const [snapshot] = fixture('final-regression-housing.json') as Array<{
      type: 'final/snapshot';
      results: Record<string, unknown>;
    }>;
    const warning =
      'lstm is not reliably better than the baseline (persistence): within the noise of 4 folds.';
    await panel.send({
      ...snapshot,
      results: { ...snapshot.results, notReliablyBetter: warning },
    } as unknown as Parameters<typeof panel.send>[0]);
    assert.equal(await panel.page.locator('[data-warning="baseline"]').textContent(), warning);
  });

  it('evaluate: every regression metric per candidate as CV mean ± std, against the named baseline', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...fixture('evaluate-regression.json'));
    const page = panel.page;
    assert.equal(await page.locator('[data-role="number-to-beat"]').textContent(), '7.663');
    assert.match(
      (await page.locator('.number-to-beat .facts').textContent()) ?? '',
      /^± 0\.235 · the baseline's RMSE \(mean\) on the same folds \(lower is better\)/,
    );
    // The metric in words in the chart's title, its axis and its legend, not its identifier.
    const box = page.locator('canvas[data-chart="boxplot"]');
    assert.equal(await box.getAttribute('aria-label'), 'Fold RMSE per candidate');
    assert.match((await box.getAttribute('data-labels')) ?? '', /^RMSE per fold\|/);
    const table = page.locator('table[data-table="metrics"]');
    assert.deepEqual(await table.locator('th').allTextContents(), [
      'Candidate',
      'RMSE (mean ± std)',
      'MAE (mean ± std)',
      'R² (mean ± std)',
    ]);
    assert.deepEqual(await table.locator('tbody tr').first().locator('td').allTextContents(), [
      'baseline (mean)',
      '7.663 ± 0.235',
      '6.520 ± 0.210',
      '-0.004 ± 0.006',
    ]);
    assert.equal(await table.locator('tr.baseline-row').count(), 1);
    assert.deepEqual(await table.locator('tbody tr').nth(2).locator('td').allTextContents(), [
      'mlp-small',
      '2.900 ± 0.200',
      '2.050 ± 0.120',
      '0.860 ± 0.020',
    ]);
    await table.locator('tbody tr').nth(2).click();
    assert.deepEqual((await panel.posted()).at(-1), {
      type: 'panel/openRun',
      runId: '20261206-evaluate-mlp-small',
    });
    await panel.screenshot('evaluate-regression');
    assert.deepEqual(await panel.problems(), []);
  });
});
