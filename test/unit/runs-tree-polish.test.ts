import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bestRunOf,
  buildRunsTree,
  describeFilter,
  filterChoices,
  filterRuns,
  NO_FILTER,
  newestSession,
} from '../../src/extension/models/runsTree';
import type { RunIndexEntry } from '../../src/protocol/records';

function entry(id: string, overrides: Partial<RunIndexEntry> = {}): RunIndexEntry {
  return {
    id,
    step: 'evaluate',
    session: 's1',
    status: 'completed',
    createdAt: '2026-12-06T04:09:00.000Z',
    metric: 'accuracy',
    backend: 'wasm',
    ...overrides,
  };
}

const summary = (mean: number) => ({ mean, std: 0.01, min: mean, max: mean }) as RunIndexEntry['summary'];

describe('Runs view: the best run of a session', () => {
  it('marks the completed candidate with the best mean, by the metric direction, never the baseline', () => {
    const runs = [
      entry('base', { model: 'baseline', summary: summary(0.9) }),
      entry('mlp', { candidate: 'mlp', model: 'mlp', summary: summary(0.84) }),
      entry('knn', { candidate: 'knn', model: 'knn', summary: summary(0.8) }),
      entry('svm', { candidate: 'svm', model: 'svm', status: 'failed' }),
    ];
    assert.equal(bestRunOf(runs)?.id, 'mlp');
    const errors = runs.map((run) => ({ ...run, metric: 'rmse' }));
    assert.equal(bestRunOf(errors)?.id, 'knn');
    assert.equal(bestRunOf([runs[1]]), undefined);
    const [group] = buildRunsTree(runs);
    const nodes = group.sessions[0].runs;
    assert.deepEqual(
      nodes.filter((node) => node.best).map((node) => node.entry.id),
      ['mlp'],
    );
    const mlp = nodes.find((node) => node.entry.id === 'mlp');
    assert.match(mlp?.description ?? '', /^best · 0\.840 ± 0\.010/);
    assert.equal(mlp?.icon, 'star-full');
  });
});

describe('Runs view: the newest session', () => {
  it('is the session that started last across every step, not the first step’s', () => {
    const roots = buildRunsTree([
      entry('d1', { step: 'define', session: 'd', createdAt: '2026-12-06T03:00:00.000Z' }),
      entry('e1', { session: 'old', createdAt: '2026-12-06T03:30:00.000Z' }),
      entry('e2', { session: 'new', createdAt: '2026-12-06T04:10:00.000Z' }),
      entry('e3', { session: 'new', createdAt: '2026-12-06T04:11:00.000Z' }),
    ]);
    assert.equal(roots[0].step, 'define');
    assert.equal(newestSession(roots)?.session, 'new');
    assert.equal(newestSession([]), undefined);
  });
});

describe('Runs view: the filter', () => {
  const runs = [
    entry('d1', { step: 'define', session: 'd' }),
    entry('mlp', { candidate: 'mlp', status: 'failed' }),
    entry('knn', { candidate: 'knn' }),
    entry('tune', { step: 'improve', session: 'i', candidate: 'mlp#3', label: 'lr 0.01' }),
  ];

  it('shows every run without a filter, and only the picked steps, statuses and runs with one', () => {
    assert.equal(filterRuns(runs, NO_FILTER).length, 4);
    const ids = (filter: Partial<typeof NO_FILTER>) =>
      filterRuns(runs, { ...NO_FILTER, ...filter }).map((run) => run.id);
    assert.deepEqual(ids({ steps: ['evaluate'] }), ['mlp', 'knn']);
    assert.deepEqual(ids({ steps: ['evaluate'], statuses: ['completed'] }), ['knn']);
    assert.deepEqual(ids({ candidates: ['lr 0.01', 'mlp'] }), ['mlp', 'tune']);
    assert.deepEqual(ids({ steps: ['present'] }), []);
  });

  it('offers the steps, statuses and run names present, and says what is filtered', () => {
    assert.deepEqual(filterChoices(runs), {
      steps: ['define', 'evaluate', 'improve'],
      statuses: ['completed', 'failed'],
      candidates: ['define', 'knn', 'lr 0.01', 'mlp'],
    });
    assert.equal(describeFilter(NO_FILTER), '');
    assert.equal(
      describeFilter({ steps: ['evaluate'], statuses: ['failed'], candidates: [] }),
      'evaluate · failed',
    );
  });
});
