/** Issue #14's polish, as the panels show it: titles in words with raw ids in details, one notation per column. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ToPanel } from '../../src/protocol/panels';
import { fixture, launchBrowser, openPanel } from './harness';

const messages = fixture('evaluate.json');
const snapshot = (messages[1] as Extract<ToPanel, { type: 'evaluate/snapshot' }>).snapshot;

describe('panel polish', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('heads the panel with the title in words and keeps the raw session id in a folded Details line', async () => {
    const panel = await openPanel(browser, 'evaluate');
    const context = { kind: 'evaluate' as const, projectDir: '/p', runIds: [], session: snapshot.session };
    await panel.send({ type: 'panel/context', context, title: 'Evaluate · 1 Mar 10:15' }, messages[1]);
    const page = panel.page;
    assert.equal(await page.locator('h1').textContent(), 'Evaluate · 1 Mar 10:15');
    assert.equal(await page.locator('details.ids').getAttribute('open'), null);
    assert.equal(await page.locator('details.ids p').textContent(), `Session ${snapshot.session}`);
    assert.doesNotMatch((await page.locator('h1').textContent()) ?? '', /\d{8}-\d{6}/);
    assert.deepEqual(await panel.problems(), []);
  });

  it('lets every table grow with the page: no scroll box inside the Evaluate, Improve, Final or Compare panel', async () => {
    const improve = fixture('improve-untuned.json') as [
      ToPanel,
      Extract<ToPanel, { type: 'improve/snapshot' }>,
    ];
    const [first] = improve[1].results.trials.slice(1);
    const trials = Array.from({ length: 40 }, (_, index) => ({
      ...first,
      index: index + 1,
      name: `mlp-small#${index + 1}`,
      mean: 0.7 + index / 400,
    }));
    const results = { ...improve[1].results, trials: [improve[1].results.trials[0], ...trials] };
    const panels: Array<[Parameters<typeof openPanel>[1], ToPanel[]]> = [
      ['evaluate', messages],
      ['improve', [improve[0], { type: 'improve/snapshot', results }]],
      ['final', fixture('final.json')],
      ['compare', fixture('compare.json')],
    ];
    for (const [kind, sent] of panels) {
      const panel = await openPanel(browser, kind);
      await panel.send(...sent);
      const boxes = await panel.page.evaluate(() =>
        Array.from(document.querySelectorAll('.table-scroll'), (box) => ({
          inner: box.scrollHeight - box.clientHeight,
          maxHeight: getComputedStyle(box).maxHeight,
        })),
      );
      assert.ok(boxes.length > 0, `${kind} has a table`);
      for (const box of boxes) {
        assert.equal(box.maxHeight, 'none', kind);
        assert.equal(box.inner, 0, `${kind}: a table scrolls inside its box`);
      }
    }
  });

  it('writes every score column in one notation with 3 significant digits, whatever the folds hold', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...messages);
    const candidate = { ...snapshot.candidates[0], scores: [0.8802380952380953, 0.9123456789, 0.84] };
    await panel.send({ type: 'evaluate/candidate', candidate });
    const page = panel.page;
    for (const key of ['mean', 'std', 'min', 'max']) {
      const texts = await page
        // The baseline row has no spread of its own to show ('—'): the candidates' cells are the column.
        .locator(`table[data-table="candidates"] tr:not(.baseline-row) td[data-key="${key}"]`)
        .allTextContents();
      for (const text of texts) assert.match(text, /^-?\d+\.\d{3}$/, `${key}: ${text}`);
    }
    const row = page.locator('table[data-table="candidates"] tr', { hasText: candidate.candidate });
    assert.equal(await row.locator('td[data-key="max"]').textContent(), '0.912');
    assert.deepEqual(await panel.problems(), []);
  });

  it('compare: settings without config., the difference to the first run, local times and the test in words', async () => {
    const [context, compare] = fixture('compare.json') as [
      ToPanel,
      Extract<ToPanel, { type: 'compare/snapshot' }>,
    ];
    const panel = await openPanel(browser, 'compare');
    const test = {
      test: 'corrected resampled t-test',
      folds: 10,
      meanDifference: 0.0123456789,
      pValue: 0.3341,
    };
    await panel.send(context, { ...compare, test });
    const page = panel.page;
    const settings = await page
      .locator('table[data-table="differences"] td[data-key="path"]')
      .allTextContents();
    assert.ok(settings.length > 0);
    for (const setting of settings) assert.doesNotMatch(setting, /^config\.|^name$/);
    const first = compare.runs[0].name;
    assert.equal(
      await page.locator('table[data-table="metrics"] th[data-key="difference"]').textContent(),
      `vs ${first}`,
    );
    const differences = await page
      .locator('table[data-table="metrics"] td[data-key="difference"]')
      .allTextContents();
    assert.ok(differences.includes('—'));
    for (const text of differences.filter((item) => item !== '—')) assert.match(text, /^[+-]\d+\.\d{3}$/);
    for (const text of await page
      .locator('table[data-table="metrics"] td[data-key="created"]')
      .allTextContents())
      assert.match(text, /^\d{1,2} [A-Z][a-z]{2}( \d{4})? \d{2}:\d{2}$/);
    assert.equal(
      await page.locator('.compare-test').textContent(),
      `${compare.runs[1].name} − ${first}: +0.012 ${compare.runs[0].metric}, not a reliable difference (p = 0.334, corrected resampled t-test over 10 shared folds).`,
    );
    await panel.send(context, compare);
    assert.match((await page.locator('.compare-test').textContent()) ?? '', /do not share their folds/);
    assert.deepEqual(await panel.problems(), []);
  });
});
