import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ToPanel, TrainingRun } from '../../src/protocol/panels';
import { choose, countColour, fixture, launchBrowser, openPanel, themes, type PanelPage } from './harness';

const messages = fixture('training.json');
const appends = fixture('training-append.json');
const curves = 'canvas[data-chart="curves"]';

/**
 * The progress line, checked against `pattern` and with an elapsed time between what the host reported and that
 * plus the time the test has taken since it sent it (the panel's clock runs on between reports, by however long
 * a busy machine takes to read the line).
 */
async function progressLine(
  panel: PanelPage,
  pattern: RegExp,
  reportedMs: number,
  sentAt: number,
): Promise<void> {
  const text = (await panel.page.locator('[data-progress]').textContent()) ?? '';
  const waited = Date.now() - sentAt;
  assert.match(text, pattern);
  const seconds = Number(/elapsed (\d+(?:\.\d)?) s/.exec(text)?.[1]);
  assert.ok(
    seconds >= reportedMs / 1000 - 0.05 && seconds <= (reportedMs + waited) / 1000 + 0.1,
    `elapsed ${seconds} s, reported ${reportedMs} ms, ${waited} ms ago: ${text}`,
  );
}

describe('training panel', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('draws a train and a validation line per fold of a single run on demand', async () => {
    const panel = await openPanel(browser, 'training');
    const sentAt = Date.now();
    await panel.send(...messages);
    await panel.page.locator('vscode-checkbox[data-control="folds"]').click();
    const canvas = panel.page.locator(curves);
    assert.equal(await canvas.getAttribute('data-elements'), '20,20,8,20,20,8');
    const labels = (await canvas.getAttribute('data-labels'))?.split('|');
    assert.deepEqual(labels?.slice(0, 3), [
      'mlp-small fold 1 train',
      'mlp-small fold 2 train',
      'mlp-small fold 3 train',
    ]);
    const pixels = await panel.pixels(curves);
    assert.ok(countColour(pixels, themes.dark.variables['--vscode-charts-blue']) > 20, 'fold 1 line');
    // One fold trains (folds 1 and 2 ran their 20 epochs): the status bar's words (src/shared/progress.ts).
    await progressLine(panel, /running · fold 3\/3 · epoch 8\/20 · elapsed \d+\.\d s · about/, 12000, sentAt);
    await panel.screenshot('training-folds');
    assert.deepEqual(await panel.problems(), []);
  });

  it('draws the baseline as a reference line on the metric curve', async () => {
    const panel = await openPanel(browser, 'training');
    await panel.send(...messages);
    // Per-fold lines: the fold means' translucent bands would tint the baseline's pixels where they cross it.
    await panel.page.locator('vscode-checkbox[data-control="folds"]').click();
    assert.equal(countColour(await panel.pixels(curves), themes.dark.variables['--vscode-charts-red']), 0);
    await choose(panel, 'key', 'acc');
    const labels = (await panel.page.locator(curves).getAttribute('data-labels'))?.split('|') ?? [];
    assert.equal(labels.at(-1), 'baseline 0.651');
    const red = themes.dark.variables['--vscode-charts-red'];
    const overFolds = countColour(await panel.pixels(curves), red);
    assert.ok(overFolds > 20);
    await panel.screenshot('training-accuracy');
  });

  it("draws the baseline over the fold band, its dashes untinted by the band's fill", async () => {
    // Two runs on the same scales (0.3 to 0.9, 20 epochs) and the same legend: one whose band (0.3 to 0.9) covers
    // the baseline from end to end, one with a single fold (a band of no area).
    const acc = (values: number[]): TrainingRun['curves'][number]['logs'] => ({ acc: values });
    const flat = (value: number) => Array.from({ length: 20 }, () => value);
    const wide = [acc(flat(0.3)), acc(flat(0.9))];
    const thin = [acc([0.3, ...flat(0.9).slice(1)])];
    const reddish = async (logs: Array<TrainingRun['curves'][number]['logs']>) => {
      const panel = await openPanel(browser, 'training');
      const run: TrainingRun = {
        runId: 'r',
        candidate: 'mlp',
        status: 'completed',
        metric: 'accuracy',
        epochs: 20,
        folds: logs.length,
        createdAt: '2025-03-01T10:15:00.000Z',
        elapsedMs: 1000,
        baseline: { key: 'acc', value: 0.651 },
        curves: logs.map((log, fold) => ({ fold, logs: log })),
      };
      await panel.send({ type: 'training/snapshot', runs: [run], live: false } as ToPanel);
      assert.equal(
        await panel.page.locator(curves).getAttribute('data-labels'),
        'mlp train mean|mlp train band|baseline 0.651',
      );
      // The baseline's pixels, anti-aliased shades included: red well above green and blue (#f14c4c on #1e1e1e).
      const { colours } = await panel.pixels(curves);
      return Object.entries(colours).filter(([key]) => {
        const [red, green, blue] = key.split(',').map(Number);
        return red > 60 && red > green * 1.8 && red > blue * 1.8;
      });
    };
    const overBand = new Map(await reddish(wide));
    const alone = await reddish(thin);
    const total = alone.reduce((sum, [, count]) => sum + count, 0);
    const same = alone.reduce((sum, [key, count]) => sum + Math.min(count, overBand.get(key) ?? 0), 0);
    assert.ok(total > 100, `only ${total} baseline pixels`);
    assert.ok(same >= total * 0.95, `${same} of ${total} baseline pixels drawn alike over the band`);
  });

  it("says the progress in the status bar's words while folds train at once", async () => {
    const panel = await openPanel(browser, 'training');
    const snapshot = messages.find((message) => message.type === 'training/snapshot') as Extract<
      ToPanel,
      { type: 'training/snapshot' }
    >;
    const run = structuredClone(snapshot.runs[0]);
    // Folds 2 and 3 train side by side; fold 1 stopped early at 20 of 40 epochs.
    run.epochs = 40;
    run.foldsEnded = [0];
    run.curves[1].logs = Object.fromEntries(
      Object.entries(run.curves[1].logs).map(([key, values]) => [key, values.slice(0, 10)]),
    );
    await panel.send({ type: 'training/snapshot', runs: [run], live: true } as ToPanel);
    const text = () => panel.page.locator(`[data-run="${run.runId}"]`).textContent();
    assert.match((await text()) ?? '', /running · epochs 38\/120 \(2 folds at once\) · elapsed/);
    // The job says how many folds the run trains: the total follows.
    const logs = { loss: 0.5, acc: 0.6 };
    await panel.send({
      type: 'training/append',
      points: [{ runId: run.runId, fold: 1, epoch: 10, folds: 5, logs }],
    } as ToPanel);
    assert.match((await text()) ?? '', /running · epochs 39\/200 \(2 folds at once\)/);
    await panel.send({
      type: 'training/status',
      runId: run.runId,
      status: 'running',
      elapsedMs: 13000,
      foldsEnded: [0, 1],
    } as ToPanel);
    assert.match((await text()) ?? '', /running · fold 3\/5 · epoch 8\/40 · elapsed/);
    assert.deepEqual(await panel.problems(), []);
  });

  it('extends the running fold when epochs are appended and updates the progress', async () => {
    const panel = await openPanel(browser, 'training');
    const sentAt = Date.now();
    await panel.send(...messages);
    await panel.page.locator('vscode-checkbox[data-control="folds"]').click();
    await panel.send(...appends);
    assert.equal(await panel.page.locator(curves).getAttribute('data-elements'), '20,20,12,20,20,12');
    await progressLine(panel, /running · fold 3\/3 · epoch 12\/20 · elapsed \d+\.\d s/, 15000, sentAt);
  });

  it('opens on the fold mean with a min-max band, even for a single run', async () => {
    const panel = await openPanel(browser, 'training');
    await panel.send(...messages);
    const labels = (await panel.page.locator(curves).getAttribute('data-labels'))?.split('|');
    assert.deepEqual(labels, [
      'mlp-small train mean',
      'mlp-small train band',
      'mlp-small validation mean',
      'mlp-small validation band',
    ]);
    const folds = panel.page.locator('vscode-checkbox[data-control="folds"]');
    assert.equal(
      await folds.evaluate((element) => (element as HTMLElement & { checked: boolean }).checked),
      false,
    );
    const caption = () => panel.page.locator('[data-role="caption"]').textContent();
    assert.match(
      (await caption()) ?? '',
      /mean over the folds; its shaded band spans the lowest to the highest fold/,
    );
    await panel.screenshot('training-mean');
    await panel.page.locator('vscode-checkbox[data-control="folds"]').click();
    assert.equal(await caption(), '', 'one line per fold: no band to explain');
    const state = (await panel.state()) as { ui: { showFolds: boolean } };
    assert.equal(state.ui.showFolds, true);
  });

  it('smooths the curves so the drawn line changes', async () => {
    const panel = await openPanel(browser, 'training');
    await panel.send(...messages);
    const raw = await panel.pixels(curves);
    await choose(panel, 'smoothing', '0.9');
    const smoothed = await panel.pixels(curves);
    const blue = themes.dark.variables['--vscode-charts-blue'];
    assert.notEqual(countColour(raw, blue), countColour(smoothed, blue));
  });
  it('shows the fold scores of a run without epochs (k-NN) instead of an empty curve', async () => {
    const panel = await openPanel(browser, 'training');
    const run = {
      runId: 'knn-run',
      candidate: 'knn',
      status: 'completed',
      metric: 'accuracy',
      epochs: 0,
      folds: 3,
      createdAt: '2025-03-01T10:00:00.000Z',
      elapsedMs: 1200,
      curves: [],
      foldScores: [0.8, 0.9, 0.85],
    };
    await panel.send(messages[0], { type: 'training/snapshot', runs: [run], live: false } as never);
    const page = panel.page;
    assert.equal(await page.locator(curves).count(), 0, 'no empty learning curve');
    assert.match(
      (await page.locator('[data-role="fold-scores"] li').textContent()) ?? '',
      /^knn: accuracy 0\.850 ± 0\.050 over 3 folds\./,
    );
    assert.deepEqual(
      await page.locator('table[data-table="fold-scores"] td[data-key="score"]').allTextContents(),
      ['0.800', '0.900', '0.850'],
    );
    assert.doesNotMatch((await page.locator('[data-progress]').textContent()) ?? '', /0 epochs/);
    assert.deepEqual(await panel.problems(), []);
  });
});
