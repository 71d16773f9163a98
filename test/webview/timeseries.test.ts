/** The time-series views: the series and its folds in the Data profile, the forecast in the Final results. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { FinalResults, ToPanel } from '../../src/protocol/panels';
import { choose, launchBrowser, openPanel } from './harness';

const months = Array.from(
  { length: 24 },
  (_, index) => `${1949 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
);

const profile: ToPanel = {
  type: 'profile/snapshot',
  runId: 'define-1',
  profile: {
    file: 'data/airline_passengers.csv',
    rows: 24,
    columns: [
      {
        name: 'Month',
        type: 'date',
        role: 'time',
        missing: 0,
        distinct: 24,
        min: Date.UTC(1949, 0, 1),
        max: Date.UTC(1950, 11, 1),
        mean: -6.63e11,
        std: 1e10,
      },
      { name: 'Passengers', type: 'numeric', role: 'target', missing: 0, distinct: 24, min: 100, max: 200 },
    ],
    target: { name: 'Passengers', task: 'time-series' },
    warnings: [],
    series: {
      time: 'Month',
      times: months,
      values: months.map((_, index) => 100 + 4 * index),
      folds: [
        { index: 0, train: [3, 11], validation: [12, 17] },
        { index: 1, train: [3, 17], validation: [18, 23] },
      ],
    },
  },
};

const points = ['1957-05', '1957-06', '1957-07', '1957-08'].map((time, index) => ({
  time,
  actual: 355 + 10 * index,
  predicted: 360 + 9 * index,
  persistence: 348 + 10 * index,
}));

const results: FinalResults = {
  runId: 'present-1',
  candidate: 'lstm',
  metric: 'rmse',
  task: 'time-series',
  higherIsBetter: false,
  holdout: { rmse: 12.5 },
  crossValidation: { rmse: { mean: 14, std: 2 } },
  residuals: points.map((point, index) => ({
    actual: point.actual,
    predicted: point.predicted,
    row: 101 + index,
    time: point.time,
  })),
  decimals: 0,
  forecast: {
    time: 'Month',
    horizon: 2,
    points,
    steps: [
      { step: 1, rmse: 5, mae: 4, persistence: { rmse: 9, mae: 8 } },
      { step: 2, rmse: 8, mae: 7, persistence: { rmse: 15, mae: 13 } },
    ],
  },
  predictions: [],
  hasReport: false,
  hasModel: true,
};

/** An evaluate session of a series: two candidates' forecasts over two folds of two months each. */
const evaluate: ToPanel = {
  type: 'evaluate/snapshot',
  snapshot: {
    session: 's1',
    metric: 'rmse',
    higherIsBetter: false,
    baseline: { mean: 30, std: 2 },
    baselineName: 'persistence',
    candidates: [
      {
        runId: 'lstm',
        candidate: 'lstm',
        model: 'lstm',
        status: 'completed',
        scores: [12, 14],
        durationMs: 10,
        backend: 'cpu',
      },
      {
        runId: 'mlp',
        candidate: 'mlp',
        model: 'mlp',
        status: 'completed',
        scores: [20, 22],
        durationMs: 10,
        backend: 'cpu',
      },
    ],
    foldForecasts: {
      time: 'Month',
      horizon: 1,
      times: ['1950-01', '1950-02', '1950-03', '1950-04'],
      actual: [115, 126, 141, 135],
      persistence: [118, 115, 126, 141],
      candidates: [
        { runId: 'mlp', candidate: 'mlp', folds: [0, 0, 1, 1], predicted: [120, 119, 130, 138] },
        { runId: 'lstm', candidate: 'lstm', folds: [0, 0, 1, 1], predicted: [117, 124, 139, 137] },
      ],
    },
  },
};

describe('time-series views', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('profile: draws the series over time and the folds on it; the time column reads as dates, role "time"', async () => {
    const panel = await openPanel(browser, 'profile');
    await panel.send(profile);
    const page = panel.page;
    const series = page.locator('canvas[data-chart="series"]');
    assert.equal(await series.getAttribute('data-elements'), '24');
    assert.equal((await series.getAttribute('data-categories'))?.split('|')[0], '1949-01');
    const folds = page.locator('canvas[data-chart="folds"]');
    assert.equal(await folds.getAttribute('data-labels'), 'training|validation');
    assert.equal(await folds.getAttribute('data-categories'), 'Fold 1|Fold 2');
    const month = page.locator('table[data-table="columns"] tbody tr').first();
    const cells = Object.fromEntries(
      await month
        .locator('td')
        .evaluateAll((items) => items.map((item) => [item.getAttribute('data-key'), item.textContent])),
    ) as Record<string, string>;
    assert.equal(cells.role, 'time');
    assert.equal(cells.min, '1949-01');
    assert.equal(cells.max, '1950-12');
    assert.equal(cells.mean, '—', 'no mean of epoch milliseconds');
    await panel.screenshot('profile-series');
    assert.deepEqual(await panel.problems(), []);
  });

  it('evaluate: the best candidate’s forecast per fold against actual and persistence; the picker switches it', async () => {
    const panel = await openPanel(browser, 'evaluate');
    await panel.send(evaluate);
    const chart = panel.page.locator('canvas[data-chart="fold-forecast"]');
    assert.equal(
      await chart.getAttribute('data-labels'),
      'actual|lstm fold 1|lstm fold 2|persistence forecast (baseline)',
    );
    assert.equal(await chart.getAttribute('data-categories'), '1950-01|1950-02|1950-03|1950-04');
    // Each fold's line has a point at every time (null outside its fold) and draws only its own.
    assert.equal(await chart.getAttribute('data-elements'), '4,4,4,4');
    // Whole-number means do not leave the std column unformatted: one notation for mean, std, min and max.
    assert.deepEqual(
      await panel.page.locator('table[data-table="candidates"] td[data-key="std"]').allTextContents(),
      ['1.4', '1.4', '2.0'],
    );
    await choose(panel, 'fold-forecast-candidate', 'mlp');
    assert.equal(
      await panel.page.locator('canvas[data-chart="fold-forecast"]').getAttribute('data-labels'),
      'actual|mlp fold 1|mlp fold 2|persistence forecast (baseline)',
    );
    const state = (await panel.state()) as { ui: { forecastCandidate?: string } };
    assert.equal(state.ui.forecastCandidate, 'mlp');
    await panel.screenshot('evaluate-fold-forecast');
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: forecast vs actual with persistence as a forecast, error by horizon step, rows keyed by time', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send({ type: 'final/snapshot', results });
    const page = panel.page;
    const forecast = page.locator('canvas[data-chart="forecast"]');
    assert.equal(
      await forecast.getAttribute('data-labels'),
      'actual|lstm forecast|persistence forecast (baseline)',
    );
    assert.equal(await forecast.getAttribute('data-categories'), '1957-05|1957-06|1957-07|1957-08');
    const horizon = page.locator('canvas[data-chart="horizon"]');
    assert.equal(await horizon.getAttribute('data-categories'), '+1|+2');
    assert.equal(await horizon.getAttribute('data-labels'), 'lstm|persistence (baseline)');
    // The metric in words, as everywhere else: "RMSE", not "rmse".
    assert.equal(
      await page.locator('section', { has: horizon }).locator('h2').textContent(),
      'Error by horizon step (RMSE, holdout)',
    );
    const table = page.locator('table[data-table="predictions"]');
    assert.equal(await table.locator('th').first().textContent(), 'Month');
    const keys = await table.locator('td[data-key="row"]').allTextContents();
    assert.deepEqual([...keys].sort(), ['1957-05', '1957-06', '1957-07', '1957-08']);
    await panel.screenshot('final-forecast');
    assert.deepEqual(await panel.problems(), []);
  });
});
