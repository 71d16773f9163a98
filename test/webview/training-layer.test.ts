import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TrainingPoint, TrainingRun, ToPanel } from '../../src/protocol/panels';
import { countColour, fixture, launchBrowser, openPanel, themes, type PanelPage } from './harness';

const messages = fixture('training.json');
const appends = fixture('training-append.json');
const curves = 'canvas[data-chart="curves"]';

/** The snapshot as it would be sent after `points` arrived: what a freshly opened panel would draw. */
function withPoints(points: TrainingPoint[]): ToPanel[] {
  const copy = JSON.parse(JSON.stringify(messages)) as ToPanel[];
  for (const message of copy) {
    if (message.type !== 'training/snapshot') continue;
    for (const point of points) {
      const run = message.runs.find((candidate: TrainingRun) => candidate.runId === point.runId);
      const curve = run?.curves.find((candidate) => candidate.fold === point.fold);
      if (!curve) throw new Error(`no fold ${point.fold} in ${point.runId}`);
      for (const [key, value] of Object.entries(point.logs)) {
        const values = (curve.logs[key] ??= []);
        while (values.length < point.epoch) values.push(NaN);
        values[point.epoch] = value;
      }
    }
  }
  return copy;
}

function appendedPoints(): TrainingPoint[] {
  return appends.flatMap((message) => (message.type === 'training/append' ? message.points : []));
}

/**
 * The canvas' RGBA bytes. They cross from the page as one base64 string: a plain array of a million numbers
 * takes Playwright's serialiser tens of seconds.
 */
async function bytes(panel: PanelPage): Promise<Uint8Array> {
  const base64 = await panel.page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector) as HTMLCanvasElement;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let binary = '';
    for (let start = 0; start < data.length; start += 0x8000) {
      binary += String.fromCharCode(...data.subarray(start, start + 0x8000));
    }
    return btoa(binary);
  }, curves);
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** Share of pixels whose colour differs clearly (any channel by more than 48) between two drawings. */
function difference(first: Uint8Array, second: Uint8Array): number {
  assert.equal(first.length, second.length, 'same canvas size');
  let differing = 0;
  for (let offset = 0; offset < first.length; offset += 4) {
    for (let channel = 0; channel < 4; channel += 1) {
      if (Math.abs(first[offset + channel] - second[offset + channel]) > 48) {
        differing += 1;
        break;
      }
    }
  }
  return differing / (first.length / 4);
}

/** Once the curves' bitmap, redrawn in slices after the appends, is whole again. */
async function redrawn(panel: PanelPage): Promise<void> {
  await panel.page.locator(`${curves}:not([data-redrawing])`).waitFor();
}

async function toggleFolds(panel: PanelPage): Promise<void> {
  await panel.page.locator('vscode-checkbox[data-control="folds"]').click();
}

describe('training panel live appends', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('draws appended epochs of per-fold lines as a fresh panel with those epochs would', async () => {
    const live = await openPanel(browser, 'training');
    await live.send(...messages);
    await toggleFolds(live);
    const before = await bytes(live);
    await live.send(...appends);
    const fresh = await openPanel(browser, 'training');
    await fresh.send(...withPoints(appendedPoints()));
    await toggleFolds(fresh);
    const after = await bytes(live);
    assert.ok(difference(before, after) > 0.0005, 'the appends changed the drawing');
    assert.ok(difference(after, await bytes(fresh)) < 0.0005, 'same drawing as a fresh panel');
  });

  it('redraws fold means that change at epochs other folds reached, as a fresh panel would', async () => {
    // Fold means with their bands: how the panel opens.
    const live = await openPanel(browser, 'training');
    await live.send(...messages);
    const before = await bytes(live);
    await live.send(...appends);
    // The bitmap without the changed run is redrawn in slices between messages.
    await redrawn(live);
    const fresh = await openPanel(browser, 'training');
    await fresh.send(...withPoints(appendedPoints()));
    const after = await bytes(live);
    assert.ok(difference(before, after) > 0.0005, 'the appends changed the drawing');
    assert.ok(difference(after, await bytes(fresh)) < 0.0005, 'same drawing as a fresh panel');
  });

  it('keeps a run that stopped after its fold means changed, as a fresh panel of the finished run would', async () => {
    const runId = appendedPoints()[0].runId;
    const live = await openPanel(browser, 'training');
    await live.send(...messages);
    await live.send(...appends);
    await redrawn(live);
    await live.send({ type: 'training/status', runId, status: 'completed', elapsedMs: 16_000 });
    // Pointing at the chart and away paints it again, from the bitmap the run has joined.
    const box = await live.page.locator(curves).boundingBox();
    assert.ok(box);
    await live.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await live.page.mouse.move(box.x + 2, box.y + 2);
    const finished = withPoints(appendedPoints()).map((message) =>
      message.type === 'training/snapshot'
        ? { ...message, runs: message.runs.map((run) => ({ ...run, status: 'completed' as const })) }
        : message,
    );
    const fresh = await openPanel(browser, 'training');
    await fresh.send(...finished);
    assert.ok(difference(await bytes(live), await bytes(fresh)) < 0.0005, 'same drawing as a fresh panel');
  });

  it('redraws the curves in the new theme colours', async () => {
    const panel = await openPanel(browser, 'training');
    await panel.send(...messages, ...appends);
    await panel.setTheme('light');
    const pixels = await panel.pixels(curves);
    assert.ok(countColour(pixels, themes.light.variables['--vscode-charts-blue']) > 20, 'light blue fold 1');
    assert.equal(countColour(pixels, themes.dark.variables['--vscode-charts-blue']), 0, 'no dark blue left');
  });

  it('draws appended epochs on a log scale as a fresh panel with those epochs would', async () => {
    const state = { ui: { key: 'loss', smoothing: 0, logScale: true } };
    const live = await openPanel(browser, 'training', { state });
    await live.send(...messages);
    const before = await bytes(live);
    await live.send(...appends);
    const fresh = await openPanel(browser, 'training', { state });
    await fresh.send(...withPoints(appendedPoints()));
    const linear = await openPanel(browser, 'training');
    await linear.send(...withPoints(appendedPoints()));
    const after = await bytes(live);
    assert.ok(difference(before, after) > 0.0005, 'the appends changed the drawing');
    assert.ok(difference(after, await bytes(fresh)) < 0.0005, 'same drawing as a fresh panel');
    assert.ok(difference(after, await bytes(linear)) > 0.001, 'not the linear drawing');
  });

  it('widens the value axis when an appended epoch falls outside it', async () => {
    const live = await openPanel(browser, 'training');
    await live.send(...messages);
    await toggleFolds(live);
    const point: TrainingPoint = {
      runId: appendedPoints()[0].runId,
      fold: 2,
      epoch: 8,
      logs: { loss: 3.5, val_loss: 3.6, acc: 0.5, val_acc: 0.5 },
    };
    await live.send({ type: 'training/append', points: [point] });
    const fresh = await openPanel(browser, 'training');
    await fresh.send(...withPoints([point]));
    await toggleFolds(fresh);
    assert.ok(difference(await bytes(live), await bytes(fresh)) < 0.0005, 'same drawing as a fresh panel');
    assert.equal(await live.page.locator(curves).getAttribute('data-elements'), '20,20,9,20,20,9');
  });

  it('labels the curve point under the pointer with its run, fold, epoch and value', async () => {
    const panel = await openPanel(browser, 'training');
    await panel.send(...messages);
    await toggleFolds(panel);
    const canvas = panel.page.locator(curves);
    const box = await canvas.boundingBox();
    assert.ok(box);
    // Near the left edge of the plot, where every line starts (the legend sits above it).
    await panel.page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.4);
    assert.match(
      (await canvas.getAttribute('data-hover')) ?? '',
      /^mlp-small fold \d (train|validation) · epoch \d+: \d\.\d{4}$/,
    );
    await panel.page.mouse.move(box.x + 2, box.y + 2);
    assert.equal(await canvas.getAttribute('data-hover'), '');
    assert.deepEqual(await panel.problems(), []);
  });
});
