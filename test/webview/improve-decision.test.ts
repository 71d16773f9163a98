/**
 * The Improve panel shows step 4's decision (decideTuning) in words first, marks the kept configuration (not
 * the trial with the best mean), and offers "Use this" only when the kept one differs from topdown.json.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImproveEnsemble, ImproveResults, ToPanel } from '../../src/protocol/panels';
import { fixture, launchBrowser, openPanel } from './harness';

describe('improve panel: the decision', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });

  it('keeps the untuned configuration when no trial beats it, in words, with no "Use this"', async () => {
    const panel = await openPanel(browser, 'improve');
    await panel.send(...fixture('improve-untuned.json'));
    const page = panel.page;
    assert.equal(await page.locator('[data-role="decision"] h2').textContent(), 'Keep the untuned mlp-small');
    assert.equal(
      await page.locator('[data-role="decision-text"]').textContent(),
      'No trial is reliably better than the untuned mlp-small: keep it.',
    );
    assert.match(
      (await page.locator('[data-role="decision-detail"]').textContent()) ?? '',
      /p = 0\.334.*keeping the untuned configuration/,
    );
    // The decision comes before the charts and the table.
    const firstCard = await page.locator('main > *, #content > *').first().getAttribute('data-role');
    assert.equal(firstCard, 'decision');
    // The untuned row is the kept one; mlp-small#2 is only "best mean".
    assert.equal(await page.locator('tr.best td[data-key="index"]').textContent(), 'untuned');
    await page.locator('th[data-key="index"]').click();
    assert.deepEqual(await page.locator('td[data-key="index"]').allTextContents(), [
      'untuned',
      'mlp-small#1',
      'mlp-small#2',
      'mlp-small#3',
    ]);
    const notes = await page.locator('td[data-key="note"]').allTextContents();
    assert.ok(notes.includes('kept, untuned'), notes.join(' | '));
    assert.ok(notes.includes('best mean'), notes.join(' | '));
    assert.equal(await page.locator('vscode-button[data-action="use-trial"]').count(), 0);
    assert.equal(
      await page.locator('[data-role="use-state"]').textContent(),
      'topdown.json already has this configuration of mlp-small.',
    );
    assert.deepEqual(await panel.problems(), []);
  });

  it('offers the untuned configuration back, with the change listed, when topdown.json moved away from it', async () => {
    const messages = fixture('improve-untuned.json');
    const snapshot = messages[1] as Extract<ToPanel, { type: 'improve/snapshot' }>;
    const results: ImproveResults = structuredClone(snapshot.results);
    results.decision!.changes = [{ parameter: 'learningRate', current: 0.003, kept: 0.001 }];
    const panel = await openPanel(browser, 'improve');
    await panel.send(messages[0], { type: 'improve/snapshot', results });
    const page = panel.page;
    assert.match(
      (await page.locator('[data-role="use-state"] p').textContent()) ?? '',
      /learningRate: 0\.0030? → 0\.0010?/,
    );
    await page.locator('vscode-button[data-action="use-trial"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'improve/useTrial', trialIndex: 0 });
  });

  it('says tuning is running, and offers nothing, before the engine has decided', async () => {
    const messages = fixture('improve-untuned.json');
    const snapshot = messages[1] as Extract<ToPanel, { type: 'improve/snapshot' }>;
    const results: ImproveResults = structuredClone(snapshot.results);
    delete results.decision;
    results.trials[3].status = 'running';
    const panel = await openPanel(browser, 'improve');
    await panel.send(messages[0], { type: 'improve/snapshot', results });
    assert.equal(await panel.page.locator('[data-role="decision"] h2').textContent(), 'Tuning is running');
    assert.equal(await panel.page.locator('vscode-button[data-action="use-trial"]').count(), 0);
    assert.equal(await panel.page.locator('tr.best').count(), 0);
  });
  const blend: ImproveEnsemble = {
    name: 'blend',
    runId: '20251206-041500-improve-blend-c3d4',
    method: 'average',
    members: ['mlp-small', 'knn'],
    status: 'completed',
    mean: 0.861,
    std: 0.04,
    verdict: {
      rank: 'best',
      baseline: 'better than baseline',
      pBest: null,
      pBaseline: 0.001,
      explanation:
        '0.861 ± 0.040 vs baseline 0.534: better than baseline (p = 0.001, corrected t-test over 10 folds); best.',
      versusBestSingle: {
        name: 'mlp-small',
        mean: 0.849,
        std: 0.061,
        meanDifference: 0.012,
        pValue: 0.412,
        verdict: 'not better than the best single model',
        explanation:
          'blend (0.861 ± 0.040) is not better than the best single model, mlp-small (0.849 ± 0.061) (p = 0.412, corrected t-test over 10 folds): the single model is as good and simpler.',
      },
    },
  };
  const failed: ImproveEnsemble = {
    name: 'vote-all',
    runId: '20251206-041600-improve-vote-all-e5f6',
    method: 'vote',
    members: ['mlp-small', 'svm'],
    status: 'failed',
    error: 'Ensemble "vote-all" cannot be scored: its member "svm" failed.',
  };

  it("lists the session's ensembles beside the best single model, with step 4's verdict in its words", async () => {
    const messages = fixture('improve-untuned.json');
    const snapshot = messages[1] as Extract<ToPanel, { type: 'improve/snapshot' }>;
    const results: ImproveResults = { ...structuredClone(snapshot.results), ensembles: [blend, failed] };
    const panel = await openPanel(browser, 'improve');
    await panel.send(messages[0], { type: 'improve/snapshot', results });
    const page = panel.page;
    // The decision first, the ensembles next.
    const roles = await page
      .locator('#content > *, main > *')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-role')));
    assert.deepEqual(roles.slice(0, 2), ['decision', 'ensembles']);
    const cells = (key: string) =>
      page.locator(`[data-table="ensembles"] td[data-key="${key}"]`).allTextContents();
    assert.deepEqual(await cells('name'), ['blend', 'vote-all']);
    assert.deepEqual(await cells('combines'), [
      'average of mlp-small, knn',
      'majority vote of mlp-small, svm',
    ]);
    assert.deepEqual(await cells('mean'), ['0.861 ± 0.040', 'failed']);
    assert.deepEqual(await cells('single'), ['mlp-small 0.849 ± 0.061', '—']);
    assert.deepEqual(await cells('difference'), ['+0.012', '—']);
    assert.deepEqual(await cells('verdict'), [
      'not better than the best single model',
      'Ensemble "vote-all" cannot be scored: its member "svm" failed.',
    ]);
    assert.equal(
      await page.locator('[data-table="ensembles"] td[data-key="difference"]').first().getAttribute('title'),
      'p = 0.412, corrected resampled t-test',
    );
    assert.deepEqual(await page.locator('[data-role="ensemble-verdict"]').allTextContents(), [
      blend.verdict!.versusBestSingle!.explanation,
    ]);
    assert.deepEqual(await panel.problems(), []);
  });

  it('shows only the ensembles of a session that tuned nothing', async () => {
    const results: ImproveResults = {
      runId: blend.runId,
      candidate: '',
      metric: 'accuracy',
      higherIsBetter: true,
      tuned: [],
      trials: [],
      ensembles: [blend],
    };
    const panel = await openPanel(browser, 'improve');
    await panel.send(fixture('improve-untuned.json')[0], { type: 'improve/snapshot', results });
    const page = panel.page;
    assert.equal(await page.locator('[data-role="decision"]').count(), 0);
    assert.equal(await page.locator('[data-table="trials"]').count(), 0);
    assert.deepEqual(await page.locator('[data-table="ensembles"] td[data-key="name"]').allTextContents(), [
      'blend',
    ]);
    assert.deepEqual(await panel.problems(), []);
  });
});
