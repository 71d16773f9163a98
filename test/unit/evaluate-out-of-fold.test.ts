/**
 * The Evaluate panel's views of out-of-fold predictions: a time series' forecasts per fold (rows named by the
 * define profile's times, persistence from the baseline run), a text classifier's misclassified documents over
 * its folds (hand-computed, then written by a real `evaluate` and read back by the panel's provider).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '../../src/core/runs/store';
import { outOfFoldTextResults } from '../../src/core/text/results';
import { evaluatePanel, hasOutOfFoldViews } from '../../src/extension/panels/evaluate';
import { foldForecasts, type RunPredictions } from '../../src/extension/panels/evaluateOutOfFold';
import type { ProviderPanel } from '../../src/extension/panels/provider';
import type { EvaluateSnapshot } from '../../src/protocol/panel-evaluate';
import type { OutOfFoldFile } from '../../src/protocol/out-of-fold';
import { defineJob } from '../../src/runner/jobs/define';
import { evaluateJob } from '../../src/runner/jobs/evaluate';
import { memoryReporter } from '../../src/runner/reporter';
import { requireBuild, tempDir, writeProject } from '../helpers/cli';
import { record } from '../helpers/records';
import { seriesProject } from '../helpers/series';
import { corpusRows } from '../helpers/text';

/** A series run's file: two folds over rows 4–5 and 6–7, horizon 2, `predicted` as given. */
function seriesFile(predicted: number[][]): OutOfFoldFile {
  return {
    schemaVersion: 1,
    candidate: 'net',
    task: 'time-series',
    outputs: 2,
    folds: [
      { index: 0, rows: [4, 5], truth: [40, 50, 50, 60], predicted: predicted[0] },
      { index: 1, rows: [6, 7], truth: [60, 70, 70, 80], predicted: predicted[1] },
    ],
  };
}

describe('foldForecasts', () => {
  const runs: RunPredictions[] = [
    {
      runId: 'b',
      candidate: 'baseline',
      baseline: true,
      file: seriesFile([
        [30, 30, 40, 40],
        [50, 50, 60, 60],
      ]),
    },
    {
      runId: 'n',
      candidate: 'net',
      baseline: false,
      file: seriesFile([
        [41, 49, 52, 61],
        [59, 72, 71, 79],
      ]),
    },
  ];

  it('lines up each fold’s one-step forecast with the actual values and persistence, at the profile’s times', () => {
    const times = Array.from({ length: 8 }, (_, row) => `2024-0${row + 1}`);
    const view = foldForecasts(runs, { time: 'month', times })!;
    assert.equal(view.time, 'month');
    assert.equal(view.horizon, 2);
    assert.deepEqual(view.times, ['2024-05', '2024-06', '2024-07', '2024-08']);
    assert.deepEqual(view.actual, [40, 50, 60, 70]);
    assert.deepEqual(view.persistence, [30, 40, 50, 60]);
    assert.deepEqual(view.candidates, [
      { runId: 'n', candidate: 'net', folds: [0, 0, 1, 1], predicted: [41, 52, 59, 71] },
    ]);
  });

  it('names rows by number when no profile covers them, and has no persistence without a baseline run', () => {
    const view = foldForecasts([runs[1]], { time: 'month', times: ['2024-01'] })!;
    assert.equal(view.time, 'row');
    assert.deepEqual(view.times, ['row 5', 'row 6', 'row 7', 'row 8']);
    assert.equal(view.persistence, undefined);
    assert.equal(foldForecasts([]), undefined);
  });
});

describe('outOfFoldTextResults', () => {
  it('ranks every fold’s mistakes by confidence, with snippets of their rows, over all validated documents', () => {
    const column = { name: 'text', values: ['win cash now', 'team lunch', 'free prize', null, 'notes'] };
    const results = outOfFoldTextResults(
      column,
      [
        {
          index: 0,
          rows: [0, 1],
          truth: [1, 0],
          predicted: [0, 0],
          probability: [0.6, 0.9],
          truthProbability: [0.4, 0.9],
        },
        {
          index: 1,
          rows: [2, 3, 4],
          truth: [1, 0, 0],
          predicted: [1, 1, 1],
          probability: [0.8, 0.7, 0.95],
          truthProbability: [0.8, 0.3, 0.05],
        },
      ],
      ['ham', 'spam'],
    );
    assert.equal(results.scope, 'cross-validation');
    assert.equal(results.holdout, 5);
    assert.equal(results.misclassified, 3);
    assert.deepEqual(
      results.documents.map((item) => [
        item.row,
        item.actual,
        item.predicted,
        item.probability,
        item.snippet,
      ]),
      [
        [5, 'ham', 'spam', 0.95, 'notes'],
        [4, 'ham', 'spam', 0.7, ''],
        [1, 'spam', 'ham', 0.6, 'win cash now'],
      ],
    );
  });
});

/** A provider panel over `projectDir` for a session: the provider's snapshot reads only these. */
function panelFor(
  projectDir: string,
  session: string,
  refreshes: { count: number },
): ProviderPanel<undefined> {
  return {
    context: { kind: 'evaluate', projectDir, runIds: [], session },
    state: undefined,
    post: () => undefined,
    refresh: () => void (refreshes.count += 1),
  } as unknown as ProviderPanel<undefined>;
}

function snapshotOf(projectDir: string, session: string): EvaluateSnapshot {
  const message = evaluatePanel.snapshot(
    new RunStore(projectDir),
    panelFor(projectDir, session, { count: 0 }),
  );
  assert.equal(message?.type, 'evaluate/snapshot');
  return (message as { snapshot: EvaluateSnapshot }).snapshot;
}

describe('Evaluate panel from a real evaluate', () => {
  it('shows each candidate’s misclassified documents over its folds, snippets from their CSV rows', async () => {
    requireBuild();
    const dir = writeProject(tempDir('oof-text'), {
      problem: { data: 'data/data.csv', target: 'label', task: 'binary', positiveClass: 'spam' },
      prepare: [{ op: 'tfidf', columns: ['text'] }],
      evaluate: {
        validation: { scheme: 'stratified-kfold', folds: 3 },
        seed: 3,
        candidates: [
          { name: 'baseline', model: 'baseline' },
          { name: 'logistic', model: 'logistic', C: 10 },
        ],
      },
    });
    // Every eighth label flipped, so the folds have mistakes to show.
    const rows = corpusRows(60).map(([, text, , label], row) => [
      text,
      row % 8 === 7 ? (label === 'spam' ? 'ham' : 'spam') : label,
    ]);
    writeFileSync(
      join(dir, 'data', 'data.csv'),
      ['text,label', ...rows.map((row) => row.join(','))].join('\n') + '\n',
    );
    const result = await evaluateJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() });
    const snapshot = snapshotOf(dir, result.session);
    assert.deepEqual(
      snapshot.textResults?.map((entry) => entry.candidate),
      ['logistic'],
    );
    const text = snapshot.textResults![0].results;
    assert.equal(text.scope, 'cross-validation');
    assert.equal(text.holdout, 60);
    const oof = JSON.parse(
      readFileSync(join(dir, 'runs', snapshot.textResults![0].runId, 'out-of-fold.json'), 'utf8'),
    ) as OutOfFoldFile;
    const wrong = oof.folds.reduce(
      (total, fold) => total + fold.truth.filter((truth, sample) => truth !== fold.predicted[sample]).length,
      0,
    );
    assert.equal(text.misclassified, wrong);
    assert.ok(wrong > 0);
    for (const item of text.documents) {
      assert.equal(item.snippet, rows[item.row - 1][0]);
      assert.notEqual(item.actual, item.predicted);
      assert.equal(item.actual, rows[item.row - 1][1]);
    }
    assert.equal(snapshot.foldForecasts, undefined);
  });

  it('draws a series’ forecasts per fold at the define profile’s times, persistence from the baseline', async () => {
    requireBuild();
    const { dir, values, days } = seriesProject('oof-series-panel', 1, [
      { name: 'baseline', model: 'baseline' },
      { name: 'linear', model: 'linear', epochs: 2 },
    ]);
    const options = { backend: 'cpu' as const, workers: 1, reporter: memoryReporter() };
    await defineJob(dir, options);
    const result = await evaluateJob(dir, options);
    const forecasts = snapshotOf(dir, result.session).foldForecasts!;
    assert.equal(forecasts.time, 't');
    assert.deepEqual(
      forecasts.candidates.map((candidate) => candidate.candidate),
      ['linear'],
    );
    forecasts.times.forEach((time, position) => {
      const day = days.indexOf(time);
      assert.ok(day >= 3, `${time} is a forecast row`);
      assert.ok(Math.abs(forecasts.actual[position] - values[day]) < 1e-3);
      // Persistence forecasts the value before.
      assert.ok(Math.abs(forecasts.persistence![position]! - values[day - 1]) < 1e-3);
    });
    assert.deepEqual([...new Set(forecasts.candidates[0].folds)], [0, 1]);
  });
});

describe('hasOutOfFoldViews', () => {
  it('asks for the whole session when a completed run brings text results, or forecasts for a series', () => {
    const outputs = { outOfFold: 'runs/a/out-of-fold.json' };
    assert.equal(hasOutOfFoldViews(record({ outputs }), 'time-series'), true);
    assert.equal(hasOutOfFoldViews(record({ outputs }), 'multiclass'), false);
    assert.equal(hasOutOfFoldViews(record({ outputs: { ...outputs, textResults: 'x' } }), 'binary'), true);
    assert.equal(hasOutOfFoldViews(record({ outputs, status: 'running' }), 'time-series'), false);
  });

  it('makes the panel refresh for such a run instead of posting the candidate alone', () => {
    const refreshes = { count: 0 };
    const panel = panelFor('/nowhere', 's1', refreshes);
    const run = record({
      candidate: 'net',
      model: 'mlp',
      outputs: { textResults: 'runs/a/text-results.json' },
    });
    evaluatePanel.onJobEvent?.({ type: 'run/updated', run }, panel);
    assert.equal(refreshes.count, 1);
  });
});
