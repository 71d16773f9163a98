/** The text views of the Data profile and Final results panels: a text column's profile, misclassified documents, class words. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { FinalResults, ToPanel } from '../../src/protocol/panels';
import { choose, launchBrowser, openPanel } from './harness';

const word = (text: string, documents: number, score = documents) => ({ word: text, documents, score });

const profile: ToPanel = {
  type: 'profile/snapshot',
  runId: 'define-1',
  profile: {
    file: 'data/spam.csv',
    rows: 6,
    columns: [
      {
        name: 'text',
        type: 'text',
        role: 'feature',
        missing: 0,
        distinct: 6,
        text: {
          words: { min: 3, median: 12, max: 250, histogram: { edges: [3, 100, 250], counts: [5, 1] } },
          empty: 0,
          vocabulary: 4321,
          frequent: [word('the', 6), word('you', 5)],
          indicative: [
            { value: 'ham', words: [word('meeting', 3, 1.2)] },
            { value: 'spam', words: [word('prize', 2, 2.5), word('<b>cash</b>', 2, 2.1)] },
          ],
        },
      },
      { name: 'label', type: 'categorical', role: 'target', missing: 0, distinct: 2 },
    ],
    target: {
      name: 'label',
      task: 'binary',
      classes: [
        { value: 'ham', count: 4 },
        { value: 'spam', count: 2 },
      ],
    },
    warnings: [],
  },
};

const results: FinalResults = {
  runId: 'present-1',
  candidate: 'logistic',
  metric: 'accuracy',
  task: 'binary',
  higherIsBetter: true,
  holdout: { accuracy: 0.75 },
  crossValidation: { accuracy: { mean: 0.8, std: 0.02 } },
  classes: ['ham', 'spam'],
  confusion: [
    [2, 1],
    [0, 1],
  ],
  predictions: [],
  hasReport: false,
  hasModel: true,
  textResults: {
    column: 'text',
    holdout: 4,
    misclassified: 1,
    documents: [
      { row: 7, actual: 'ham', predicted: 'spam', probability: 0.82, snippet: 'Win <i>lunch</i> today…' },
    ],
    classWords: [
      { value: 'ham', words: [{ word: 'meeting', weight: 1.25 }] },
      { value: 'spam', words: [] },
    ],
  },
};

describe('text views', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('profile: shows a text column with its lengths, vocabulary, frequent and class-typical words', async () => {
    const panel = await openPanel(browser, 'profile');
    await panel.send(profile);
    const page = panel.page;
    const card = page.locator('[data-name="text-profile"]');
    assert.equal(
      await card.locator('[data-fact="words"]').textContent(),
      'Words per document: 3 to 250, median 12',
    );
    assert.equal(await card.locator('[data-fact="vocabulary"]').textContent(), 'Vocabulary: 4,321 words');
    assert.deepEqual(
      await card
        .locator('[data-name="frequent-words"] li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-word'))),
      ['the', 'you'],
    );
    // One list: no heading of its own under the card's title.
    assert.equal(await card.locator('[data-name="frequent-words"] h3').count(), 0);
    // Counts on whole-number ticks.
    const ticks = (await page.locator('canvas[data-chart="column"]').getAttribute('data-ticks-y')) ?? '';
    assert.ok(
      ticks.split('|').every((tick) => /^\d+$/.test(tick)),
      `count ticks ${ticks}`,
    );
    const spam = card.locator('[data-name="indicative-words"] [data-list="spam"] li');
    // Words are text, never markup.
    assert.deepEqual(await spam.allTextContents(), [
      'prize 2 docs, log-odds 2.50',
      '<b>cash</b> 2 docs, log-odds 2.10',
    ]);
    assert.equal(
      await page.locator('canvas[data-chart="column"]').getAttribute('aria-label'),
      'text: words per document',
    );
    await panel.screenshot('profile-text');
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: lists the misclassified documents with their snippet, and the words per class', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send({ type: 'final/snapshot', results });
    const page = panel.page;
    const mistakes = page.locator('[data-name="misclassified-documents"]');
    assert.match((await mistakes.locator('h2').textContent()) ?? '', /1 of 4/);
    const cells = await mistakes.locator('table[data-table="misclassified"] tbody tr td').allTextContents();
    assert.deepEqual(cells, ['7', 'ham', 'spam', '0.820', 'Win <i>lunch</i> today…']);
    const words = page.locator('[data-name="class-words"]');
    assert.deepEqual(await words.locator('[data-list="ham"] li').allTextContents(), ['meeting +1.250']);
    assert.equal(
      await words.locator('[data-list="spam"]').textContent(),
      'spamNo word pushes towards this class.',
    );
    await panel.screenshot('final-text');
    assert.deepEqual(await panel.problems(), []);
  });

  it('evaluate: the best candidate’s misclassified documents over its folds, in the Final panel’s table', async () => {
    const panel = await openPanel(browser, 'evaluate');
    const mistake = (row: number, snippet: string) => ({
      row,
      actual: 'spam',
      predicted: 'ham',
      probability: 0.7,
      snippet,
    });
    await panel.send({
      type: 'evaluate/snapshot',
      snapshot: {
        session: 's1',
        metric: 'accuracy',
        higherIsBetter: true,
        baseline: { mean: 0.66, std: 0.01 },
        candidates: [
          {
            runId: 'nb',
            candidate: 'nb',
            model: 'naive-bayes',
            status: 'completed',
            scores: [0.9, 0.92],
            durationMs: 5,
            backend: 'cpu',
          },
          {
            runId: 'lr',
            candidate: 'logistic',
            model: 'logistic',
            status: 'completed',
            scores: [0.95, 0.97],
            durationMs: 5,
            backend: 'cpu',
          },
        ],
        textResults: [
          {
            runId: 'nb',
            candidate: 'nb',
            results: {
              column: 'text',
              scope: 'cross-validation',
              holdout: 60,
              misclassified: 2,
              documents: [mistake(3, 'cheap <b>pills</b>'), mistake(9, 'win')],
            },
          },
          {
            runId: 'lr',
            candidate: 'logistic',
            results: {
              column: 'text',
              scope: 'cross-validation',
              holdout: 60,
              misclassified: 1,
              documents: [mistake(12, 'free offer')],
            },
          },
        ],
      },
    });
    const mistakes = panel.page.locator('section[data-name="misclassified-documents"]');
    assert.equal(
      await mistakes.locator('h2').textContent(),
      'Misclassified documents (cross-validation): 1 of 60',
    );
    const cells = () => mistakes.locator('table[data-table="misclassified"] tbody tr td').allTextContents();
    assert.deepEqual(await cells(), ['12', 'spam', 'ham', '0.700', 'free offer']);
    await choose(panel, 'misclassified-candidate', 'nb');
    assert.deepEqual(
      (await cells()).filter((_, index) => index % 5 === 4),
      ['cheap <b>pills</b>', 'win'],
    );
    assert.equal(await panel.page.locator('section[data-name="class-words"]').count(), 0);
    await panel.screenshot('evaluate-text');
    assert.deepEqual(await panel.problems(), []);
  });

  it('final: has no text views for a table project, and says so when every document was right', async () => {
    const panel = await openPanel(browser, 'final');
    await panel.send({ type: 'final/snapshot', results: { ...results, textResults: undefined } });
    assert.equal(
      await panel.page.locator('[data-name="misclassified-documents"], [data-name="class-words"]').count(),
      0,
    );
    await panel.send({
      type: 'final/snapshot',
      results: { ...results, textResults: { ...results.textResults!, misclassified: 0, documents: [] } },
    });
    assert.equal(
      await panel.page.locator('[data-name="misclassified-documents"] p').textContent(),
      'Every holdout document was classified right.',
    );
  });
});
