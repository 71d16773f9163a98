/** The Training panel shows the learning-curve advisor's words when a run ends with them. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ToPanel } from '../../src/protocol/panels';
import { fixture, launchBrowser, openPanel } from './harness';

const messages = fixture('training.json');
const runId = '20250301-101500-evaluate-mlp-small-a1b0';
const advice = {
  diagnosis: 'overfitting' as const,
  message: 'Validation loss rose for the last 12 epochs while training loss fell.',
  nextStep: 'add dropout 0.2 or stop earlier',
};

describe('training panel: the advice', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('has no advice while the run trains, and shows it with the next experiment when the run ends', async () => {
    const panel = await openPanel(browser, 'training');
    await panel.send(...messages);
    assert.equal(await panel.page.locator('[data-role="advice"]').count(), 0);
    const ended: ToPanel = { type: 'training/status', runId, status: 'completed', elapsedMs: 9000, advice };
    await panel.send(ended);
    const line = panel.page.locator(`[data-role="advice"] li[data-run="${runId}"]`);
    assert.equal(
      await line.textContent(),
      'mlp-small, overfitting: Validation loss rose for the last 12 epochs while training loss fell. Next: add dropout 0.2 or stop earlier',
    );
    assert.deepEqual(await panel.problems(), []);
  });

  it('shows the advice a finished run carries in its snapshot, and after a reload', async () => {
    const [context, snapshot] = structuredClone(messages) as [
      ToPanel,
      Extract<ToPanel, { type: 'training/snapshot' }>,
    ];
    snapshot.runs[0] = { ...snapshot.runs[0], status: 'completed', advice };
    const panel = await openPanel(browser, 'training');
    await panel.send(context, snapshot);
    assert.match(
      (await panel.page.locator('[data-role="advice"]').textContent()) ?? '',
      /Next: add dropout 0\.2/,
    );
    const reloaded = await openPanel(browser, 'training', { state: await panel.state() });
    assert.match((await reloaded.page.locator('[data-role="advice"]').textContent()) ?? '', /overfitting/);
  });
});
