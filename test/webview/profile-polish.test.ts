/**
 * The Data profile at a glance: the baseline as the number to beat (large), correlations coloured by sign, and the
 * columns table growing with the page rather than scrolling inside it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ToPanel } from '../../src/protocol/panels';
import type { ColumnProfile } from '../../src/protocol/profile';
import { countColour, fixture, launchBrowser, openPanel, themes } from './harness';

const { '--vscode-charts-blue': blue, '--vscode-charts-orange': orange } = themes.dark.variables;

/** The profile fixture with one correlation turned negative, 40 more feature columns and a baseline. */
function messages(): ToPanel[] {
  const [context, snapshot] = fixture('profile.json') as [
    ToPanel,
    Extract<ToPanel, { type: 'profile/snapshot' }>,
  ];
  const profile = structuredClone(snapshot.profile);
  const feature = profile.columns.find((column) => column.targetCorrelation !== undefined) as ColumnProfile;
  feature.targetCorrelation = -0.52;
  for (let index = 0; index < 40; index++) profile.columns.push({ ...feature, name: `extra${index}` });
  return [context, { ...snapshot, profile, baseline: { mean: 0.651, std: 0.004, metric: 'accuracy' } }];
}

describe('profile panel: at a glance', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('shows the baseline large, correlations by sign, and the columns table without an inner scroll', async () => {
    const panel = await openPanel(browser, 'profile');
    await panel.send(...messages());
    const page = panel.page;
    const baseline = page.locator('p.baseline');
    assert.equal(await baseline.getAttribute('data-baseline'), '0.651');
    assert.equal(await baseline.locator('[data-role="number-to-beat"]').textContent(), '0.651');
    const sizes = await baseline.evaluate((element) => {
      const figure = element.querySelector('.figure') as HTMLElement;
      return [getComputedStyle(figure).fontSize, getComputedStyle(document.body).fontSize].map(parseFloat);
    });
    assert.ok(sizes[0] > sizes[1] * 1.5, `figure ${sizes[0]}px, body ${sizes[1]}px`);

    const pixels = await panel.pixels('canvas[data-chart="correlation"]');
    assert.ok(countColour(pixels, blue) > 50, 'positive correlations in blue');
    assert.ok(countColour(pixels, orange) > 50, 'the negative correlation in orange');

    const scroll = await page.locator('table[data-table="columns"]').evaluate((table) => {
      const box = table.parentElement as HTMLElement;
      return { inner: box.scrollHeight - box.clientHeight, rows: table.querySelectorAll('tbody tr').length };
    });
    assert.ok(scroll.rows > 40, `${scroll.rows} rows`);
    assert.equal(scroll.inner, 0, 'the table is as tall as its rows');
    assert.deepEqual(await panel.problems(), []);
  });
});
