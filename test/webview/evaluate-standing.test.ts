/**
 * The Evaluate panel says who is best and what to do next: the number to beat first, the chart and the table
 * in the same score order with the best marked, a legend, the baseline as a row, the verdict in words with the
 * p-values in a tooltip, the learning-curve advice, nothing clipped at 1000 px, and "Next: Improve <best>…".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { EvaluateSnapshot, ToPanel } from '../../src/protocol/panels';
import { fixture, launchBrowser, openPanel, type PanelPage } from './harness';

const messages = fixture('evaluate.json');
const verdicts = fixture('evaluate-verdicts.json');

/** The fixture with the learning-curve advice on the network, and long names as real projects have. */
function advisedMessages(): ToPanel[] {
  const [context, snapshotMessage] = structuredClone(messages);
  const snapshot = (snapshotMessage as { snapshot: EvaluateSnapshot }).snapshot;
  snapshot.candidates[0].advice = {
    diagnosis: 'still-improving',
    message: 'Validation loss was still falling at the last epoch.',
    nextStep: 'raise epochs to 200',
  };
  return [context, snapshotMessage];
}

describe('evaluate panel: the best and the next step', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('orders the chart and the table by score, marks the best in both, and puts the baseline among them', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...advisedMessages(), ...verdicts);
    const page = panel.page;
    const canvas = page.locator('canvas[data-chart="boxplot"]');
    assert.equal(await canvas.getAttribute('data-categories'), '★ linear|mlp-small|knn');
    assert.deepEqual(
      await page.locator('table[data-table="candidates"] td[data-key="candidate"]').allTextContents(),
      ['linear', 'mlp-small', 'knn', 'baseline'],
    );
    assert.equal(await page.locator('tr.best td[data-key="candidate"]').textContent(), 'linear');
    assert.equal(await page.locator('tr.baseline-row td[data-key="mean"]').textContent(), '0.651');
    assert.equal(await page.locator('[data-role="number-to-beat"]').textContent(), '0.651');
    const legend = await page.locator('[data-role="legend"] li').allTextContents();
    assert.ok(legend.some((text) => /mean/.test(text)) && legend.some((text) => /baseline/.test(text)));
    assert.ok(
      legend.some((text) => /one colour per candidate/.test(text)),
      legend.join(' / '),
    );
    // The panel as a session shows it, verdicts and advice included (docs/screenshots/evaluate.*.png).
    await panel.screenshot('evaluate');
    assert.deepEqual(await panel.problems(), []);
  });

  it('gives the verdict in words, with the p-values in the tooltip', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...advisedMessages(), ...verdicts);
    const cell = (name: string) =>
      panel.page
        .locator('tr', { has: panel.page.locator(`td[data-key="candidate"]:text-is("${name}")`) })
        .locator('td[data-key="verdict"]');
    assert.equal(await cell('linear').textContent(), 'best');
    assert.equal(await cell('mlp-small').textContent(), 'as good as the best');
    assert.equal(await cell('knn').textContent(), 'worse than the best');
    assert.match(
      (await cell('knn').getAttribute('title')) ?? '',
      /better than the baseline: p = 0\.012; against linear: p = 0\.020? \(corrected resampled t-test, alpha 0\.05\)/,
    );
  });

  it('says 3 folds cannot separate a candidate from the best, as the CLI and the report do, where 3 folds ran', async () => {
    const [context, snapshotMessage] = structuredClone(messages);
    for (const candidate of (snapshotMessage as { snapshot: EvaluateSnapshot }).snapshot.candidates) {
      candidate.scores = candidate.scores.slice(0, 3);
    }
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(context, snapshotMessage, ...verdicts);
    const cell = (name: string) =>
      panel.page
        .locator('tr', { has: panel.page.locator(`td[data-key="candidate"]:text-is("${name}")`) })
        .locator('td[data-key="verdict"]');
    assert.equal(await cell('mlp-small').textContent(), '3 folds cannot separate it from the best');
    assert.equal(await cell('knn').textContent(), 'worse than the best');
  });

  it('says 3 folds cannot separate a candidate from the baseline, not that it is no better, where 3 folds ran', async () => {
    const [context, snapshotMessage] = structuredClone(messages);
    const verdictsMessage = structuredClone(verdicts) as Array<{
      verdicts: { verdicts: Array<{ candidate: string; betterThanBaseline: boolean }> };
    }>;
    for (const verdict of verdictsMessage[0].verdicts.verdicts)
      if (verdict.candidate !== 'linear') verdict.betterThanBaseline = false;
    const cell = async (panel: PanelPage, name: string) =>
      panel.page
        .locator('tr', { has: panel.page.locator(`td[data-key="candidate"]:text-is("${name}")`) })
        .locator('td[data-key="verdict"]')
        .textContent();
    const full = await openPanel(browser, 'evaluate');
    await full.send(context, snapshotMessage, ...(verdictsMessage as unknown as ToPanel[]));
    assert.equal(await cell(full, 'knn'), 'no better than the baseline');
    for (const candidate of (snapshotMessage as { snapshot: EvaluateSnapshot }).snapshot.candidates) {
      candidate.scores = candidate.scores.slice(0, 3);
    }
    const quick = await openPanel(browser, 'evaluate');
    await quick.send(context, snapshotMessage, ...(verdictsMessage as unknown as ToPanel[]));
    assert.equal(await cell(quick, 'knn'), '3 folds cannot separate it from the baseline');
  });

  it("shows a network's learning-curve advice in the table, the next experiment in the tooltip", async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...advisedMessages());
    const cells = panel.page.locator('td[data-key="curves"]');
    const texts = await cells.allTextContents();
    const names = await panel.page.locator('td[data-key="candidate"]').allTextContents();
    const network = names.indexOf('mlp-small');
    assert.equal(texts[network], 'still improving');
    assert.equal(texts[names.indexOf('knn')], '—', 'no advice for k-NN');
    assert.match((await cells.nth(network).getAttribute('title')) ?? '', /Next: raise epochs to 200/);
  });

  it('clips no column at 1000 px: the table fits the panel', async () => {
    const panel = await openPanel(browser, 'evaluate', { width: 1000 });
    await panel.send(...advisedMessages(), ...verdicts);
    const fit = await panel.page.evaluate(() => {
      const scroll = document.querySelector('.table-scroll') as HTMLElement;
      const headers = Array.from(document.querySelectorAll('table[data-table="candidates"] th'));
      return {
        overflow: scroll.scrollWidth - scroll.clientWidth,
        rightmost: Math.max(...headers.map((header) => header.getBoundingClientRect().right)),
        viewport: window.innerWidth,
      };
    });
    assert.ok(fit.overflow <= 0, `the table is ${fit.overflow} px wider than its box`);
    assert.ok(fit.rightmost <= fit.viewport, `a header ends at ${fit.rightmost} px`);
  });

  it('offers "Next: Improve <best>…" and asks the host to run step 4 for it', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...advisedMessages(), ...verdicts);
    const next = panel.page.locator('vscode-button[data-action="improve-best"]');
    assert.equal((await next.textContent())?.trim(), 'Next: Improve linear…');
    await next.click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'evaluate/improve', candidate: 'linear' });
  });
});
