import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ToPanel } from '../../src/protocol/panels';
import { countColour, fixture, launchBrowser, openPanel, themes } from './harness';

const messages = fixture('evaluate.json');
const snapshot = (messages[1] as Extract<ToPanel, { type: 'evaluate/snapshot' }>).snapshot;

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('evaluate panel', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('says it is ready before any data and then draws one box per candidate with the baseline line', async () => {
    const panel = await openPanel(browser, 'evaluate');
    assert.deepEqual(await panel.posted(), [{ type: 'panel/ready', protocolVersion: 1 }]);
    await panel.send(...messages);
    const canvas = panel.page.locator('canvas[data-chart="boxplot"]');
    assert.equal(await canvas.getAttribute('data-elements'), '3,3');
    assert.equal(await canvas.getAttribute('data-labels'), 'accuracy per fold|baseline 0.651');
    const pixels = await panel.pixels('canvas[data-chart="boxplot"]');
    assert.ok(pixels.drawn > pixels.width * pixels.height * 0.02, `only ${pixels.drawn} pixels drawn`);
    assert.ok(
      countColour(pixels, themes.dark.variables['--vscode-charts-red']) > 50,
      'baseline line not drawn',
    );
    // The best candidate's box is drawn in the highlight colour (green), first: the chart goes best first.
    assert.ok(countColour(pixels, themes.dark.variables['--vscode-charts-green']) > 50, 'best box not drawn');
    assert.equal(await panel.page.locator('h1').textContent(), 'Evaluate: diabetes');
    // Chart.js' legend keeps the baseline alone, as a dashed line (the HTML legend below explains the boxes).
    assert.equal(await canvas.getAttribute('data-legend'), 'dashed');
    await panel.screenshot('evaluate-plain');
    assert.deepEqual(await panel.problems(), []);
  });

  it("gives each candidate its own colour, never the best marker's nor the baseline's, in both themes", async () => {
    const panel = await openPanel(browser, 'evaluate');
    const many = structuredClone(messages);
    const session = (many[1] as Extract<ToPanel, { type: 'evaluate/snapshot' }>).snapshot;
    // Eight candidates, more than the theme has chart colours: the list goes round, but never through green.
    session.candidates = Array.from({ length: 8 }, (_, index) => ({
      ...session.candidates[index % session.candidates.length],
      runId: `run-${index}`,
      candidate: `model-${index}`,
      scores: session.candidates[index % session.candidates.length].scores.map(
        (score) => score - index / 100,
      ),
    }));
    await panel.send(...many);
    const canvas = panel.page.locator('canvas[data-chart="boxplot"]');
    for (const theme of ['dark', 'light'] as const) {
      await panel.setTheme(theme);
      const [boxes, baseline] = ((await canvas.getAttribute('data-colours')) ?? '').split('|');
      const colours = boxes.split(',');
      const { '--vscode-charts-green': best, '--vscode-charts-red': red } = themes[theme].variables;
      assert.equal(colours.length, 8);
      assert.equal(colours[0], best, `${theme}: the best box (first) in the best marker's colour`);
      assert.equal(baseline, red, `${theme}: the baseline in red`);
      const others = colours.slice(1);
      assert.ok(!others.includes(best) && !others.includes(red), `${theme}: ${others.join(' ')}`);
      // Boxes beside each other differ; with fewer palette colours than boxes the list repeats as a whole.
      const distinct = new Set(others);
      assert.ok(distinct.size >= 6, `${theme}: only ${distinct.size} colours for 7 candidates`);
      others.forEach((colour, index) =>
        assert.notEqual(colour, others[index + 1], `${theme}: boxes ${index + 2} and ${index + 3} alike`),
      );
    }
    assert.deepEqual(await panel.problems(), []);
  });

  it('lists mean, min and max per candidate, best first, and re-sorts when a header is clicked', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...messages);
    const names = () =>
      panel.page.locator('table[data-table="candidates"] td[data-key="candidate"]').allTextContents();
    const expected = [...snapshot.candidates].sort((a, b) => mean(b.scores) - mean(a.scores));
    // The baseline is a row of its own, where its score puts it.
    assert.deepEqual(await names(), [...expected.map((candidate) => candidate.candidate), 'baseline']);
    const firstMean = await panel.page.locator('td[data-key="mean"]').first().textContent();
    assert.equal(firstMean, mean(expected[0].scores).toFixed(3));
    const firstMax = await panel.page.locator('td[data-key="max"]').first().textContent();
    assert.equal(Number(firstMax), Math.max(...expected[0].scores));
    await panel.page.locator('th[data-key="candidate"]').click();
    assert.deepEqual(await names(), ['baseline', 'knn', 'linear', 'mlp-small']);
    await panel.page.locator('th[data-key="candidate"]').click();
    assert.deepEqual(await names(), ['mlp-small', 'linear', 'knn', 'baseline']);
    const state = (await panel.state()) as { ui: { sort: { key: string; descending: boolean } } };
    assert.deepEqual(state.ui.sort, { key: 'candidate', descending: true });
  });

  it('shows the verdicts of the significance test beside each candidate', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...messages, ...fixture('evaluate-verdicts.json'));
    const verdicts = await panel.page.locator('td[data-key="verdict"]').allTextContents();
    assert.ok(verdicts.includes('as good as the best'), verdicts.join(' / '));
    assert.ok(verdicts.includes('worse than the best'), verdicts.join(' / '));
    assert.ok(verdicts.includes('number to beat'), verdicts.join(' / '));
  });

  it('asks the host to open the curves of a candidate clicked in the table', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...messages);
    await panel.page.locator('td[data-key="candidate"]', { hasText: 'knn' }).click();
    const posted = await panel.posted();
    assert.deepEqual(posted.at(-1), { type: 'panel/openRun', runId: snapshot.candidates[1].runId });
  });

  it('copies the table as CSV and saves the chart as a PNG through the host', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...messages);
    await panel.page.locator('.table-card vscode-button[data-action="copy-csv"]').click();
    await panel.page.locator('.chart-card vscode-button[data-action="save-png"]').click();
    const posted = await panel.posted();
    const copy = posted.find((message) => message.type === 'panel/copyText');
    assert.ok(copy && copy.type === 'panel/copyText');
    const lines = copy.text.trim().split('\n');
    assert.equal(lines[0], 'Candidate,Verdict,Mean,Std,Min,Max,Folds,Time,Curves,Model,Backend,Status');
    assert.equal(lines.length, 5, 'three candidates and the baseline');
    const save = posted.find((message) => message.type === 'panel/savePng');
    assert.ok(save && save.type === 'panel/savePng');
    assert.equal(save.fileName, 'evaluate-20250301-101500-evaluate.png');
    assert.match(save.dataUrl, /^data:image\/png;base64,/);
  });

  it('redraws in the light theme colours when the body class changes', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(...messages);
    const selector = 'canvas[data-chart="boxplot"]';
    const dark = await panel.pixels(selector);
    await panel.setTheme('light');
    const light = await panel.pixels(selector);
    assert.equal(countColour(light, themes.dark.variables['--vscode-charts-red']), 0);
    assert.ok(countColour(light, themes.light.variables['--vscode-charts-red']) > 50);
    assert.ok(countColour(dark, themes.dark.variables['--vscode-editor-foreground']) > 0, 'dark axis text');
    assert.ok(
      countColour(light, themes.light.variables['--vscode-editor-foreground']) > 0,
      'light axis text',
    );
    await panel.screenshot('evaluate-sorted');
  });

  it('draws the kept snapshot again after a reload, before the host answers', async () => {
    const first = await openPanel(browser, 'evaluate');
    await first.send(...messages);
    const state = await first.state();
    const reloaded = await openPanel(browser, 'evaluate', { state });
    await reloaded.page.waitForSelector('canvas[data-elements="3,3"]');
    assert.equal(await reloaded.page.locator('h1').textContent(), 'Evaluate: diabetes');
    assert.deepEqual((state as { context: { session: string } }).context.session, snapshot.session);
  });
});
