import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../../src/core/runs/store';
import {
  buildProjectSteps,
  readProjectHashes,
  STEP_DESCRIPTION_CHARS,
  stepDescription,
  type StepStatus,
} from '../../src/extension/models/projectSteps';
import { buildRunsTree, childrenOf, runTooltip, type RunNode } from '../../src/extension/models/runsTree';
import { describeRun } from '../../src/extension/models/format';
import { stepsRun } from '../../src/extension/models/walkthrough';
import type { RunIndexEntry, RunRecord } from '../../src/protocol/records';

const PROJECT_TEXT = '{ "problem": { "data": "data/tiny.csv", "target": "y", "task": "binary" } }\n';
const DATA_TEXT = 'x,y\n1,a\n2,b\n';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DEAD_PID = 999_999;

let projectDir: string;
let store: RunStore;

function record(id: string, overrides: Partial<RunRecord>): RunRecord {
  return {
    schemaVersion: 1,
    id,
    step: 'evaluate',
    session: 'session-b',
    status: 'completed',
    createdAt: '2025-05-01T10:00:00.000Z',
    config: { name: 'x' },
    seed: 7,
    metric: 'accuracy',
    dataHash: sha256(DATA_TEXT),
    projectHash: sha256(PROJECT_TEXT),
    backend: { name: 'wasm', reasons: [] },
    folds: [],
    topdownVersion: '0.1.0',
    ...overrides,
  };
}

function writeProject(): void {
  writeFileSync(join(projectDir, 'topdown.json'), PROJECT_TEXT);
  writeFileSync(join(projectDir, 'data', 'tiny.csv'), DATA_TEXT);
}

function steps() {
  return buildProjectSteps({
    entries: store.list(),
    getRecord: (runId) => store.get(runId),
    // The data file hashed here, synchronously (the view's DataHashCache is tested in extension-data-hash).
    ...readProjectHashes(projectDir, (path) => sha256(readFileSync(path, 'utf8'))),
  });
}

describe('tree models from a runs folder', () => {
  before(() => {
    projectDir = mkdtempSync(join(tmpdir(), 'topdown-tree-'));
    mkdirSync(join(projectDir, 'data'));
    writeProject();
    store = new RunStore(projectDir, { isAlive: (pid) => pid !== DEAD_PID });
    const summary = (mean: number, std: number) => ({ mean, std, min: mean - std, max: mean + std });
    store.create(
      record('r01-define', { step: 'define', session: 'session-0', createdAt: '2025-05-01T08:00:00.000Z' }),
    );
    store.create(
      record('r02-prepare', {
        step: 'prepare',
        session: 'session-p',
        createdAt: '2025-05-01T08:30:00.000Z',
        projectHash: sha256('an older topdown.json'),
      }),
    );
    const older = { session: 'session-a', createdAt: '2025-05-01T09:00:00.000Z' };
    store.create(
      record('r03-baseline', {
        ...older,
        candidate: 'baseline',
        model: 'baseline',
        summary: summary(0.5, 0.01),
      }),
    );
    store.create(
      record('r04-mlp', { ...older, candidate: 'mlp', model: 'mlp', summary: summary(0.8, 0.05) }),
    );
    const newer = (minute: number) => ({
      session: 'session-b',
      createdAt: `2025-05-01T10:0${minute}:00.000Z`,
    });
    store.create(
      record('r05-baseline', {
        ...newer(0),
        candidate: 'baseline',
        model: 'baseline',
        summary: summary(0.534, 0.02),
      }),
    );
    store.create(
      record('r06-mlp', {
        ...newer(1),
        candidate: 'mlp',
        model: 'mlp',
        summary: summary(0.846, 0.057),
        durationMs: 12_000,
        config: { name: 'mlp', layers: [30], epochs: 100 },
        advice: {
          diagnosis: 'still-improving',
          message: 'Validation loss still fell over the last 10 epochs.',
          nextStep: 'raise epochs to 200',
          evidence: {},
        },
      }),
    );
    store.create(record('r07-knn', { ...newer(2), candidate: 'knn', model: 'knn', status: 'failed' }));
    store.create(
      record('r08-lstm', { ...newer(3), candidate: 'lstm', model: 'lstm', status: 'running', pid: DEAD_PID }),
    );
    store.create(record('r09-gone', { ...newer(4), candidate: 'gone', model: 'knn' }));
    store.delete('r09-gone');
  });
  after(() => rmSync(projectDir, { recursive: true, force: true }));

  it('groups runs by step in step order, then by session, newest first, without deleted runs', () => {
    const roots = buildRunsTree(store.list());
    assert.deepEqual(
      roots.map((group) => group.step),
      ['define', 'prepare', 'evaluate'],
    );
    const evaluate = roots[2];
    assert.deepEqual(
      evaluate.sessions.map((session) => session.session),
      ['session-b', 'session-a'],
    );
    assert.deepEqual(
      evaluate.sessions[0].runs.map((run) => run.entry.id),
      ['r08-lstm', 'r07-knn', 'r06-mlp', 'r05-baseline'],
    );
    assert.equal(evaluate.description, '6 runs');
    assert.equal(childrenOf(roots, evaluate.sessions[0]).length, 4);
  });

  it('describes a run by mean ± std, duration and backend, and shows a dead running run as interrupted', () => {
    const runs = buildRunsTree(store.list())[2].sessions[0].runs;
    const byId = new Map<string, RunNode>(runs.map((run) => [run.entry.id, run]));
    assert.equal(byId.get('r06-mlp')?.description, '0.846 ± 0.057 · 12 s · wasm');
    assert.equal(byId.get('r08-lstm')?.contextValue, 'run.interrupted');
    assert.equal(byId.get('r07-knn')?.icon, 'error');
    assert.equal(byId.get('r07-knn')?.description, 'failed · wasm');
  });

  it('marks a completed Present Results run as one with a model (its Predict entry), and no other run', () => {
    const entry = (step: RunIndexEntry['step'], status: RunIndexEntry['status']): RunIndexEntry => ({
      id: `${step}-${status}`,
      step,
      session: 's',
      status,
      createdAt: '2025-05-01T10:00:00.000Z',
      metric: 'accuracy',
      backend: 'cpu',
    });
    const runs = buildRunsTree([
      entry('present', 'completed'),
      entry('present', 'failed'),
      entry('evaluate', 'completed'),
    ]).flatMap((group) => group.sessions.flatMap((session) => session.runs));
    assert.deepEqual(Object.fromEntries(runs.map((run) => [run.entry.id, run.contextValue])), {
      'present-completed': 'run.completed.model',
      'present-failed': 'run.failed',
      'evaluate-completed': 'run.completed',
    });
  });

  it('shows the run configuration, score and learning-curve advice in the tooltip', () => {
    const tooltip = runTooltip(store.get('r06-mlp'));
    assert.match(
      tooltip,
      /Learning curves \(still improving\): Validation loss still fell over the last 10 epochs\. {2}\nNext: raise epochs to 200/,
    );
    assert.doesNotMatch(runTooltip(store.get('r07-knn')), /Learning curves/);
    assert.match(tooltip, /accuracy: 0\.846 ± 0\.057/);
    assert.match(tooltip, /```json\n\{\n {2}"name": "mlp",\n {2}"layers": \[\n {4}30\n {2}\],/);
  });

  it('marks steps done, stale when topdown.json changed, or not started, with the number to beat and the best', () => {
    const [define, prepare, evaluate, improve, present] = steps();
    assert.equal(define.status, 'done');
    assert.equal(prepare.status, 'stale');
    assert.equal(prepare.staleReason, 'topdown.json changed since the last run');
    assert.equal(evaluate.status, 'done');
    assert.equal(evaluate.numberToBeat, 0.534);
    assert.deepEqual(evaluate.best, {
      runId: 'r06-mlp',
      name: 'mlp',
      mean: 0.846,
      std: 0.057,
      session: 'session-b',
    });
    assert.equal(evaluate.description, 'best 0.846 · to beat 0.534');
    assert.equal(improve.status, 'not-started');
    assert.equal(present.description, 'not started');
    // Menus read the status and the step (Predict… on a Present Results row that saved a model).
    assert.equal(define.contextValue, 'step.done.define');
    assert.equal(present.contextValue, 'step.not-started.present');
  });

  it('marks every completed step stale once the data file changes', () => {
    writeFileSync(join(projectDir, 'data', 'tiny.csv'), DATA_TEXT + '3,a\n');
    try {
      const [define, , evaluate] = steps();
      assert.equal(define.status, 'stale');
      assert.equal(define.staleReason, 'the data file changed since the last run');
      assert.equal(evaluate.status, 'stale');
    } finally {
      writeProject();
    }
  });

  it('shows a step as running while a live process owns one of its runs', () => {
    store.create(
      record('r10-improve', {
        step: 'improve',
        session: 'session-i',
        status: 'running',
        pid: process.pid,
        createdAt: '2025-05-01T11:00:00.000Z',
      }),
    );
    const improve = steps()[3];
    assert.equal(improve.status, 'running');
    assert.equal(improve.icon, 'sync~spin');
  });
});

describe('best so far', () => {
  it('takes the smallest mean for error metrics like rmse', () => {
    const entry = (id: string, mean: number): RunIndexEntry => ({
      id,
      step: 'evaluate',
      session: 's',
      status: 'completed',
      createdAt: `2025-01-01T00:00:0${id}.000Z`,
      metric: 'rmse',
      model: 'mlp',
      candidate: `c${id}`,
      summary: { mean, std: 0.1, min: mean, max: mean },
      backend: 'cpu',
    });
    const evaluate = buildProjectSteps({
      entries: [entry('1', 3.2), entry('2', 2.9), entry('3', 4.1)],
      getRecord: () => undefined,
    })[2];
    assert.equal(evaluate.best?.name, 'c2');
    assert.equal(describeRun(entry('2', 2.9)), '2.900 ± 0.100 · cpu');
  });
});

describe('best of the latest session', () => {
  const entry = (
    id: string,
    session: string,
    minute: number,
    mean: number,
    model = 'mlp',
  ): RunIndexEntry => ({
    id,
    step: 'evaluate',
    session,
    status: 'completed',
    createdAt: `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`,
    metric: 'accuracy',
    model,
    candidate: id,
    summary: { mean, std: 0.05, min: mean, max: mean },
    backend: 'cpu',
  });
  const recordOf =
    (entries: RunIndexEntry[], hashes: Record<string, { dataHash: string; foldHash: string }>) =>
    (runId: string): RunRecord | undefined => {
      const found = entries.find((item) => item.id === runId);
      return found && ({ ...found, ...hashes[found.session] } as unknown as RunRecord);
    };

  it("ignores an older session's higher score on other rows (a holdout added since)", () => {
    const entries = [
      entry('old-baseline', 'before-holdout', 1, 0.5, 'baseline'),
      entry('old-mlp-large', 'before-holdout', 2, 0.88),
      entry('new-baseline', 'with-holdout', 10, 0.534, 'baseline'),
      entry('new-mlp-large', 'with-holdout', 11, 0.849),
      entry('new-mlp-small', 'with-holdout', 12, 0.82),
    ];
    const getRecord = recordOf(entries, {
      'before-holdout': { dataHash: 'd', foldHash: 'f-all-rows' },
      'with-holdout': { dataHash: 'd', foldHash: 'f-without-holdout' },
    });
    const evaluate = buildProjectSteps({ entries, getRecord, dataHash: 'd' })[2];
    assert.equal(evaluate.best?.runId, 'new-mlp-large');
    assert.equal(evaluate.best?.outdated, undefined);
    assert.equal(evaluate.numberToBeat, 0.534);
    assert.equal(evaluate.description, 'best 0.849 · to beat 0.534');
  });

  it('labels the best as outdated when the data or the folds changed after its session', () => {
    const entries = [entry('baseline', 's1', 1, 0.5, 'baseline'), entry('mlp', 's1', 2, 0.88)];
    const hashes = { s1: { dataHash: 'd', foldHash: 'f1' }, s2: { dataHash: 'd', foldHash: 'f2' } };
    const otherData = buildProjectSteps({ entries, getRecord: recordOf(entries, hashes), dataHash: 'd2' })[2];
    assert.equal(otherData.best?.outdated, 'the data changed since');
    assert.equal(otherData.description, 'stale · best 0.880 (old)');
    // Step 1 run again after a holdout was added: its folds are not the spot-check's any more.
    const define = { ...entry('define', 's2', 5, 0.5, 'baseline'), step: 'define' as const };
    const withDefine = [...entries, define];
    const otherFolds = buildProjectSteps({
      entries: withDefine,
      getRecord: recordOf(withDefine, hashes),
      dataHash: 'd',
    })[2];
    assert.equal(otherFolds.best?.outdated, 'the folds changed since');
    const sameFolds = buildProjectSteps({
      entries: withDefine,
      getRecord: recordOf(withDefine, { ...hashes, s2: { dataHash: 'd', foldHash: 'f1' } }),
      dataHash: 'd',
    })[2];
    assert.equal(sameFolds.best?.outdated, undefined);
  });
});

describe('stepDescription', () => {
  const best = { runId: 'r', name: 'mlp', mean: 0.846, std: 0.05, session: 's' };
  it('keeps the status, the best and the number to beat in the width of the default sidebar, most important first', () => {
    assert.equal(stepDescription('done'), 'done');
    assert.equal(stepDescription('not-started', 0.534), 'not started');
    assert.equal(stepDescription('failed', 0.534), 'failed · to beat 0.534');
    assert.equal(stepDescription('done', undefined, best), 'best 0.846 (mlp)');
    assert.equal(
      stepDescription('done', 0.534, { ...best, name: 'mlp-large-with-dropout' }),
      'best 0.846 · to beat 0.534',
    );
    assert.equal(
      stepDescription('stale', 0.5, { ...best, outdated: 'the data changed since' }),
      'stale · best 0.846 (old)',
    );
    assert.equal(stepDescription('running', 1234.5, { ...best, mean: 1111.25 }), 'running · best 1111 (mlp)');
    // A step with a best has runs, so it is never 'not started'.
    const statuses: StepStatus[] = ['running', 'done', 'stale', 'failed'];
    for (const status of statuses)
      for (const toBeat of [undefined, 0.5, 12345.678])
        for (const mean of [0.9, 98765.4321])
          for (const outdated of [undefined, 'the folds changed since']) {
            const text = stepDescription(status, toBeat, {
              ...best,
              mean,
              name: 'a-very-long-candidate-name',
              outdated,
            });
            assert.ok(text.length <= STEP_DESCRIPTION_CHARS, text);
            assert.match(text, /best /, `the best score is never dropped: ${text}`);
          }
  });
});

describe('stepsRun (the walkthrough completes a step once it has run)', () => {
  it('lists the steps with a completed run, in step order, not failed, running or deleted ones', () => {
    const entries = [
      { step: 'evaluate', status: 'completed' },
      { step: 'define', status: 'completed' },
      { step: 'prepare', status: 'failed' },
      { step: 'improve', status: 'running' },
      { step: 'present', status: 'completed', deleted: true },
    ];
    const store = {
      list: (filter: { step?: string; status?: string }) =>
        entries.filter(
          (entry) =>
            (filter.step === undefined || entry.step === filter.step) &&
            (filter.status === undefined || entry.status === filter.status),
        ),
    } as unknown as Pick<RunStore, 'list'>;
    assert.deepEqual(stepsRun(store), ['define', 'evaluate']);
  });
});
