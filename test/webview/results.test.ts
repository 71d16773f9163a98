import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ToPanel } from '../../src/protocol/panels';
import { countColour, fixture, launchBrowser, openPanel, themes } from './harness';

const blue = themes.dark.variables['--vscode-charts-blue'];

describe('improve, profile, compare and final panels', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('improve: marks the best and the untuned trial, plots each tuned parameter, and asks to use the best', async () => {
    const panel = await openPanel(browser, 'improve');
    await panel.send(...fixture('improve.json'));
    const page = panel.page;
    // Trials are named as the engine, the Runs view, the CLI and REPORT.md name them.
    assert.equal(await page.locator('tr.best td[data-key="index"]').textContent(), 'mlp-small#3');
    assert.equal(await page.locator('tr.untuned td[data-key="index"]').textContent(), 'untuned');
    assert.deepEqual(await page.locator('td[data-key="mean"]').allTextContents(), [
      '0.781',
      '0.770',
      '0.768',
      '0.752',
      '0.741',
      '0.735',
    ]);
    assert.equal(
      await page.locator('canvas[data-chart="scatter-learningRate"]').getAttribute('data-elements'),
      '4,1,1',
    );
    assert.equal(
      await page.locator('canvas[data-chart="scatter-layers"]').getAttribute('data-elements'),
      '4,1,1',
    );
    assert.ok(
      countColour(
        await panel.pixels('canvas[data-chart="scatter-layers"]'),
        themes.dark.variables['--vscode-charts-green'],
      ) > 10,
    );
    await page.locator('vscode-button[data-action="use-trial"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'improve/useTrial', trialIndex: 3 });
    await panel.send({ type: 'improve/applied', trialIndex: 3, file: 'topdown.json' });
    assert.equal(await page.locator('.notice').textContent(), 'mlp-small#3 written into topdown.json.');
    await panel.screenshot('improve');
    assert.deepEqual(await panel.problems(), []);
  });

  it('profile: lists the warnings, draws class balance and correlations, and shows the clicked column', async () => {
    const panel = await openPanel(browser, 'profile');
    await panel.send(...fixture('profile.json'));
    const page = panel.page;
    assert.deepEqual(await page.locator('.warnings li').allTextContents(), [
      'Zeros in `insulin` (374 rows) look like missing values.',
      'Column `id` is an identifier; it is ignored.',
    ]);
    assert.equal(await page.locator('canvas[data-chart="target"]').getAttribute('data-elements'), '2');
    assert.equal(await page.locator('canvas[data-chart="correlation"]').getAttribute('data-elements'), '4');
    // Every bar named (none skipped for want of height), strongest first.
    assert.equal(
      await page.locator('canvas[data-chart="correlation"]').getAttribute('data-ticks-y'),
      'glucose|bmi|age|insulin',
    );
    assert.ok((await panel.pixels('canvas[data-chart="correlation"]')).drawn > 1000);
    assert.match((await page.locator('.chart-card h2').nth(2).textContent()) ?? '', /^glucose: histogram$/);
    await page.locator('td[data-key="name"]', { hasText: 'clinic' }).click();
    assert.equal(await page.locator('.chart-card h2').nth(2).textContent(), 'clinic: top categories');
    assert.equal(await page.locator('canvas[data-chart="column"]').getAttribute('data-elements'), '3');
    // A column's statistics in one notation: 3 significant digits of its largest value.
    const statistics = (name: string) =>
      page
        .locator('table[data-table="columns"] tbody tr', {
          has: page.locator('td[data-key="name"]', { hasText: new RegExp(`^${name}$`) }),
        })
        .locator('td[data-key="min"], td[data-key="max"], td[data-key="mean"], td[data-key="std"]')
        .allTextContents();
    assert.deepEqual(await statistics('glucose'), ['0', '199', '121', '32']);
    assert.deepEqual(await statistics('bmi'), ['0.0', '67.1', '32.0', '7.9']);
    await page.locator('th[data-key="zeros"]').click();
    await page.locator('th[data-key="zeros"]').click();
    assert.equal(await page.locator('td[data-key="name"]').first().textContent(), 'insulin');
    await panel.screenshot('profile');
    assert.deepEqual(await panel.problems(), []);
  });

  it('compare: overlays the runs, tabulates their scores, and shows only the settings that differ', async () => {
    const panel = await openPanel(browser, 'compare');
    await panel.send(...fixture('compare.json'));
    const page = panel.page;
    assert.equal(
      await page.locator('canvas[data-chart="curves"]').getAttribute('data-labels'),
      'mlp-small train|mlp-small validation|mlp-wide train|mlp-wide validation',
    );
    assert.ok(countColour(await panel.pixels('canvas[data-chart="curves"]'), blue) > 20);
    assert.deepEqual(
      await page.locator('table[data-table="metrics"] td[data-key="name"]').allTextContents(),
      ['mlp-wide', 'mlp-small'],
    );
    assert.deepEqual(await page.locator('table[data-table="differences"] th').allTextContents(), [
      'Setting',
      'mlp-small',
      'mlp-wide',
    ]);
    assert.deepEqual(
      await page.locator('table[data-table="differences"] tbody tr').nth(1).locator('td').allTextContents(),
      ['dropout', '(not set)', '0.2'],
    );
    // Every column visible at 1000 px: headers and start times wrap instead of pushing the table sideways.
    const overflow = await page.evaluate(() => {
      const table = document.querySelector('table[data-table="metrics"]') as HTMLElement;
      const scroll = table.closest('.table-scroll') as HTMLElement;
      return scroll.scrollWidth - scroll.clientWidth;
    });
    assert.ok(overflow <= 0, `the metrics table is ${overflow} px wider than its box`);
    await panel.screenshot('compare');
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: shows holdout beside the CV estimate and a confusion heat map with its counts', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send(...fixture('final.json'));
    const page = panel.page;
    const accuracy = page.locator('table[data-table="metrics"] tr.best td');
    assert.deepEqual(await accuracy.allTextContents(), ['accuracy', '0.779', '0.781', '0.020']);
    assert.equal(await page.locator('canvas[data-chart="confusion"]').getAttribute('data-elements'), '4');
    const pixels = await panel.pixels('canvas[data-chart="confusion"]');
    assert.ok(pixels.drawn > pixels.width * pixels.height * 0.3, 'heat map cells fill the chart');
    // Metric names in words, the project's metric first.
    assert.deepEqual(
      await page.locator('table[data-table="metrics"] td[data-key="metric"]').allTextContents(),
      ['accuracy', 'F1', 'log loss'],
    );
    // The confusion matrix is about as wide as it is tall, even in a 1000 px wide panel.
    const box = (await page.locator('canvas[data-chart="confusion"]').boundingBox())!;
    assert.ok(box.width / box.height > 0.9 && box.width / box.height < 1.4, `${box.width} × ${box.height}`);
    // Its cells are square: the plot area is as wide as it is tall (within 3 px).
    await page.waitForFunction(() => {
      const plot = document.querySelector<HTMLCanvasElement>('canvas[data-chart="confusion"]')?.dataset.plot;
      const [width, height] = (plot ?? '0×999').split('×').map(Number);
      return Math.abs(width - height) <= 3;
    });
    assert.equal(await page.locator('table[data-table="predictions"] tbody tr').count(), 4);
    // Binary: the positive class's probability, named.
    const predictions = page.locator('table[data-table="predictions"]');
    assert.equal(await predictions.locator('th[data-key="probability"]').textContent(), 'Probability of 1');
    assert.deepEqual(await predictions.locator('td[data-key="probability"]').allTextContents(), [
      '0.910',
      '0.580',
      '0.170',
      '0.390',
    ]);
    assert.equal(await page.locator('[data-role="no-holdout"]').count(), 0);
    await page.locator('vscode-button[data-action="open-model"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'final/open', target: 'model' });
    await page.locator('vscode-button[data-action="predict"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'final/predict' });
    await panel.screenshot('final-confusion');
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: without a holdout, says so, gives the CV estimate and how to add one, and shows no empty table', async () => {
    const [context, snapshot] = fixture('final.json') as [
      ToPanel,
      Extract<ToPanel, { type: 'final/snapshot' }>,
    ];
    const results = { ...snapshot.results, holdout: {}, predictions: [] };
    delete (results as Partial<typeof results>).confusion;
    const panel = await openPanel(browser, 'final');
    await panel.send(context, { type: 'final/snapshot', results });
    const page = panel.page;
    const notice = (await page.locator('[data-role="no-holdout"]').textContent()) ?? '';
    assert.match(notice, /^No holdout/);
    assert.match(notice, /cross-validation estimate is accuracy 0\.781 ± 0\.020/);
    assert.match(notice, /"holdout": 0\.2 under "problem" in topdown\.json/);
    const metrics = page.locator('table[data-table="metrics"]');
    assert.deepEqual(await metrics.locator('th').allTextContents(), ['Metric', 'CV mean', 'CV std']);
    assert.equal(
      await metrics.locator('td[data-key="holdout"]').count(),
      0,
      'no always-empty holdout column',
    );
    assert.equal(await page.locator('table[data-table="predictions"]').count(), 0);
    assert.equal(await page.locator('canvas[data-chart="confusion"]').count(), 0);
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: draws actual against predicted for regression and hides the missing report button', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send(...fixture('final-regression.json'));
    assert.equal(
      await panel.page.locator('canvas[data-chart="residuals"]').getAttribute('data-elements'),
      '40,2',
    );
    assert.equal(await panel.page.locator('vscode-button[data-action="open-report"]').count(), 0);
    await panel.screenshot('final-residuals');
  });
});
