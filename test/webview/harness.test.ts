/**
 * The harness gives each test a page that behaves as a new one, though it reuses the pages of earlier tests (a new
 * page costs a renderer process): nothing of the last panel's problems, messages, state, init scripts or width may
 * reach the next.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PANEL_PROTOCOL_VERSION } from '../../src/protocol/panels';
import { launchBrowser, openPanel, type PanelPage } from './harness';

/** A script error and a CSP violation (an image from an origin the policy does not allow) in the panel's page. */
async function misbehave(panel: PanelPage): Promise<void> {
  await panel.page.evaluate(() => {
    const image = document.createElement('img');
    image.src = 'https://elsewhere.test/pixel.png';
    document.body.append(image);
    setTimeout(() => {
      throw new Error('boom');
    }, 0);
  });
  // The panel posts the error it saw; the page's event reached the harness before this wait's answer.
  await panel.page.waitForFunction(() => {
    const recorder = window as unknown as { problems: string[]; posted: Array<{ type: string }> };
    return recorder.problems.length > 0 && recorder.posted.some((message) => message.type === 'panel/error');
  });
}

const ready = [{ type: 'panel/ready', protocolVersion: PANEL_PROTOCOL_VERSION }];

describe('webview harness', () => {
  let browser: Browser;
  let used: Page;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it("reports a panel's script errors and CSP violations", async () => {
    const panel = await openPanel(browser, 'evaluate', { width: 640, state: { ui: { sort: 'score' } } });
    used = panel.page;
    await panel.send({ type: 'panel/notice', level: 'info', message: 'first panel' });
    await misbehave(panel);
    const problems = await panel.problems();
    assert.ok(problems.includes('page error: boom'), problems.join('\n'));
    assert.ok(
      problems.some((problem) =>
        /^CSP blocked https:\/\/elsewhere\.test\/pixel\.png \(img-src/.test(problem),
      ),
      problems.join('\n'),
    );
  });

  it("opens the next test's panel in that page as in a new one", async () => {
    const panel = await openPanel(browser, 'training');
    assert.equal(panel.page, used, 'the page was reused');
    assert.deepEqual(await panel.problems(), []);
    assert.deepEqual(await panel.posted(), ready);
    assert.equal(
      await panel.page.evaluate(() => (window as unknown as { savedState: unknown }).savedState),
      undefined,
    );
    assert.deepEqual(panel.page.viewportSize(), { width: 1000, height: 900 });
    assert.equal(await panel.page.locator('body').getAttribute('data-panel'), 'training');
    assert.equal(await panel.page.locator('[role="status"]').textContent(), '');
    // One recorder in the page (the last panel's init scripts are gone): each problem is reported once.
    await misbehave(panel);
    assert.equal((await panel.problems()).filter((problem) => problem.startsWith('CSP blocked')).length, 1);
  });

  it("starts Chromium with Playwright's disabled features and no address bar popups preloaded", async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.page.goto('chrome://version');
    const switches = ((await panel.page.locator('#command_line').textContent()) ?? '').split(/\s+/);
    // Chromium keeps only the last --disable-features switch: ours (scripts/chromium.mjs), which must still hold
    // every feature of Playwright's, the first.
    const features = switches
      .filter((value) => value.startsWith('--disable-features='))
      .map((value) => value.slice('--disable-features='.length).split(','));
    assert.equal(features.length, 2);
    assert.deepEqual(
      features[0].filter((feature) => !features[1].includes(feature)),
      [],
      "Playwright's list has features that scripts/chromium.mjs does not repeat",
    );
    const session = await browser.newBrowserCDPSession();
    const { targetInfos } = await session.send('Target.getTargets', { filter: [{}] });
    await session.detach();
    assert.deepEqual(
      targetInfos.map((target) => target.url).filter((url) => url.includes('omnibox')),
      [],
    );
  });

  it('gives a test that holds two panels two pages', async () => {
    const first = await openPanel(browser, 'compare');
    const second = await openPanel(browser, 'compare', { width: 700 });
    assert.notEqual(first.page, second.page);
    assert.deepEqual(second.page.viewportSize(), { width: 700, height: 900 });
    assert.deepEqual(await first.posted(), ready);
    assert.deepEqual(await second.posted(), ready);
  });
});
