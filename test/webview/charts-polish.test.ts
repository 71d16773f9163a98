/**
 * Issue #14 item 10, the charts as drawn: unique tick labels, loss axes from zero up, dashed lines as lines in the
 * legend, the live Curve selector, status lines that stay, "final fit", the Improve scatter's markers and log axis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImproveResults, ToPanel, TrainingRun } from '../../src/protocol/panels';
import { fixture, launchBrowser, openPanel, type PanelPage } from './harness';

const curves = 'canvas[data-chart="curves"]';

function run(runId: string, overrides: Partial<TrainingRun> = {}): TrainingRun {
  const loss = Array.from({ length: 20 }, (_, epoch) => 0.5 / (epoch + 1) ** 1.5);
  return {
    runId,
    candidate: runId,
    status: 'completed',
    metric: 'accuracy',
    epochs: 20,
    folds: 2,
    createdAt: '2025-03-01T10:15:00.000Z',
    elapsedMs: 5000,
    curves: [0, 1].map((fold) => ({
      fold,
      logs: {
        loss: loss.map((value) => value * (1 + fold / 10)),
        val_loss: loss.map((value) => value * 1.3),
      },
    })),
    ...overrides,
  };
}

async function attribute(panel: PanelPage, selector: string, name: string): Promise<string> {
  return (await panel.page.locator(selector).getAttribute(name)) ?? '';
}

function assertUnique(ticks: string, what: string): void {
  const labels = ticks.split('|');
  assert.ok(labels.length > 2, `${what}: ${ticks}`);
  assert.equal(new Set(labels).size, labels.length, `${what} has a repeated tick: ${ticks}`);
}

describe('chart polish', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('training: the loss axis stays at or above 0, ticks are unique, dashed lines are lines in the legend', async () => {
    const panel = await openPanel(browser, 'training');
    const snapshot = { type: 'training/snapshot', runs: [run('mlp')], live: false };
    await panel.send(snapshot as ToPanel);
    assert.ok(Number(await attribute(panel, curves, 'data-min-y')) >= 0);
    assertUnique(await attribute(panel, curves, 'data-ticks-y'), 'the loss axis');
    const legend = (await attribute(panel, curves, 'data-legend')).split('|');
    assert.deepEqual(legend, ['line', 'dashed'], 'train and validation means as drawn, bands left out');
    assert.deepEqual(await panel.problems(), []);
  });

  it('training: a live run fills the Curve selector as its first epochs arrive, accuracy beside loss', async () => {
    const panel = await openPanel(browser, 'training');
    const running = run('mlp', { status: 'running', curves: [] });
    await panel.send({ type: 'training/snapshot', runs: [running], live: true } as ToPanel);
    const options = () => panel.page.locator('[data-control="key"] vscode-option').allTextContents();
    assert.deepEqual(await options(), ['loss']);
    const logs = { loss: 0.6, acc: 0.7, val_loss: 0.65, val_acc: 0.68 };
    await panel.send({
      type: 'training/append',
      points: [{ runId: 'mlp', fold: 0, epoch: 0, logs }],
    } as ToPanel);
    assert.deepEqual(await options(), ['loss', 'acc']);
    assert.deepEqual(await panel.problems(), []);
  });

  it('training: a live run keeps its status line when it ends, saying how it ended', async () => {
    const panel = await openPanel(browser, 'training');
    const runs = [run('first', { status: 'running' }), run('second', { status: 'running' })];
    await panel.send({ type: 'training/snapshot', runs, live: true } as ToPanel);
    await panel.send({
      type: 'training/status',
      runId: 'first',
      status: 'completed',
      elapsedMs: 6000,
    } as ToPanel);
    const lines = await panel.page.locator('[data-progress] span').allTextContents();
    assert.equal(lines.length, 2, lines.join(' / '));
    assert.match(lines[0], /^first: completed/);
    assert.match(lines[1], /^second: running/);
  });

  it('training: step 5 names its curve "final fit", not "fold 1", and shows it as a line', async () => {
    const panel = await openPanel(browser, 'training');
    const final = run('mlp', { finalFit: true, folds: 1 });
    final.curves = final.curves.slice(0, 1);
    await panel.send({ type: 'training/snapshot', runs: [final], live: false } as ToPanel);
    assert.equal(
      await attribute(panel, curves, 'data-labels'),
      'mlp final fit train|mlp final fit validation',
    );
  });

  it('final: the holdout rows as dots and the perfect-prediction diagonal as a dashed line in the legend', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send(...fixture('final-regression-housing.json'));
    assert.equal(await attribute(panel, 'canvas[data-chart="residuals"]', 'data-legend'), 'circle|dashed');
    assert.deepEqual(await panel.problems(), []);
  });

  it('evaluate: fold scores up to 1.0 give one "1.0" tick, and no axis above 1', async () => {
    const [context, snapshotMessage] = fixture('evaluate.json') as [
      ToPanel,
      Extract<ToPanel, { type: 'evaluate/snapshot' }>,
    ];
    const snapshot = structuredClone(snapshotMessage.snapshot);
    snapshot.candidates[0].scores = [1, 0.97, 0.95, 1, 0.92, 0.99, 1, 0.96, 0.98, 0.94];
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(context, { type: 'evaluate/snapshot', snapshot });
    const boxplot = 'canvas[data-chart="boxplot"]';
    const ticks = await attribute(panel, boxplot, 'data-ticks-y');
    assertUnique(ticks, 'the score axis');
    assert.ok(
      ticks.split('|').every((label) => Number(label) <= 1),
      ticks,
    );
    assert.deepEqual(await panel.problems(), []);
  });

  it('improve: a log-sampled parameter on a log axis, legend markers as drawn, nothing clipped', async () => {
    const [context, snapshot] = fixture('improve-untuned.json') as [
      ToPanel,
      Extract<ToPanel, { type: 'improve/snapshot' }>,
    ];
    const results: ImproveResults = { ...snapshot.results, logScale: ['learningRate'] };
    const panel = await openPanel(browser, 'improve');
    await panel.send(context, { type: 'improve/snapshot', results });
    const learningRate = 'canvas[data-chart="scatter-learningRate"]';
    const epochs = 'canvas[data-chart="scatter-epochs"]';
    assert.equal(await attribute(panel, learningRate, 'data-scale-x'), 'logarithmic');
    assert.equal(await attribute(panel, epochs, 'data-scale-x'), 'linear');
    assert.equal(await attribute(panel, learningRate, 'data-legend'), 'circle|rectRot|triangle');
    // The axes reach past the trials (5% grace), so the markers at the ends are drawn whole.
    const lowest = Math.min(...results.trials.map((trial) => trial.mean));
    assert.ok(Number(await attribute(panel, epochs, 'data-min-y')) < lowest);
    assert.deepEqual(await panel.problems(), []);
  });
});
