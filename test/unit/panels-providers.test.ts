import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EditProposal } from '../../src/extension/panels/provider';
import { comparePanel } from '../../src/extension/panels/compare';
import { evaluatePanel } from '../../src/extension/panels/evaluate';
import { finalPanel } from '../../src/extension/panels/final';
import { improvePanel, tuningRunOf, type ImproveState } from '../../src/extension/panels/improve';
import { preparePanel } from '../../src/extension/panels/prepare';
import { profilePanel } from '../../src/extension/panels/profile';
import { panelTitle, type PanelProvider, type ProviderPanel } from '../../src/extension/panels/provider';
import { panelProviders } from '../../src/extension/panels/providers';
import { trainingPanel } from '../../src/extension/panels/training';
import type { RunStore } from '../../src/extension/runStore';
import { formatWhen } from '../../src/shared/format';
import type { JobEvent } from '../../src/protocol/host';
import {
  PANEL_KINDS,
  type ImproveResults,
  type PanelContext,
  type PanelKind,
  type ToPanel,
} from '../../src/protocol/panels';
import type { RunEvent, RunRecord } from '../../src/protocol/records';

import { fold, record } from '../helpers/records';

/** A run store over records in memory: what the providers read (list, get, readEvents). */
function memoryStore(records: RunRecord[], events: Record<string, RunEvent[]> = {}): RunStore {
  return {
    list: (filter: { status?: string; session?: string; step?: string } = {}) =>
      records
        .filter((item) => !filter.status || item.status === filter.status)
        .filter((item) => !filter.session || item.session === filter.session)
        .filter((item) => !filter.step || item.step === filter.step)
        .map((item) => ({
          id: item.id,
          model: item.model,
          session: item.session,
          createdAt: item.createdAt,
        })),
    get: (runId: string) => {
      const found = records.find((item) => item.id === runId);
      if (!found) throw new Error(`no run ${runId}`);
      return found;
    },
    readEvents: (runId: string) => events[runId] ?? [],
  } as unknown as RunStore;
}

interface Recorded<State> extends ProviderPanel<State> {
  posted: ToPanel[];
  refreshed: number;
  opened: Array<{ path: string; how: string }>;
  logged: string[];
  /** Diffs shown; the answer is `accept` (true: "Apply", which writes `after` as the editor would). */
  proposals: EditProposal[];
  accept: boolean;
  /** Steps asked for (the answer is `accept`, as for proposals). */
  steps: Array<{ step: string; question: string }>;
  /** Bundles Predict was asked to run with. */
  predicted: string[];
}

/** A provider's view of one panel, recording what it posts, refreshes and opens. */
function panelOf<Kind extends PanelKind, State>(
  provider: PanelProvider<Kind, State>,
  context: Omit<PanelContext, 'kind'>,
  store: RunStore = memoryStore([]),
): Recorded<State> {
  const posted: ToPanel[] = [];
  const post = (message: ToPanel): void => void posted.push(message);
  const logged: string[] = [];
  const panel: Recorded<State> = {
    context: { kind: provider.kind, ...context },
    state: provider.createState(post),
    post,
    posted,
    refreshed: 0,
    opened: [],
    logged,
    refresh: () => void (panel.refreshed += 1),
    read: (use) => use(store),
    log: {
      info: (text) => logged.push(text),
      warn: (text) => logged.push(text),
      error: (text) => logged.push(text),
    },
    openFile: async (path, how) => void panel.opened.push({ path, how }),
    proposals: [],
    accept: true,
    steps: [],
    runStep: async (step, question) => {
      panel.steps.push({ step, question });
      return panel.accept;
    },
    predicted: [],
    predict: async (bundle) => void panel.predicted.push(bundle),
    readText: (path) => readFileSync(path, 'utf8'),
    proposeEdit: async (proposal) => {
      panel.proposals.push(proposal);
      if (panel.accept) writeFileSync(proposal.path, proposal.after);
      return panel.accept;
    },
  };
  return panel;
}

function projectWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-providers-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const epoch = (runId: string, fold: number, epochIndex: number): JobEvent => ({
  type: 'run/epoch',
  runId,
  candidate: 'mlp',
  fold,
  epoch: epochIndex,
  epochs: 5,
  folds: 3,
  logs: { loss: 0.5 },
});

describe('panelProviders', () => {
  it('has one provider per panel kind, filed under its own kind, with a title in words', () => {
    assert.deepEqual(Object.keys(panelProviders).sort(), [...PANEL_KINDS].sort());
    for (const kind of PANEL_KINDS) {
      assert.equal(panelProviders[kind].kind, kind);
      assert.match(panelProviders[kind].title, /^[A-Z][a-z]+( [a-z]+)?$/);
    }
  });
});

describe('trainingPanel', () => {
  it('with no run named, shows every running run but the baseline', () => {
    const store = memoryStore([
      record({ id: 'mlp', status: 'running', model: 'mlp', config: { epochs: 5 } }),
      record({ id: 'base', status: 'running', model: 'baseline' }),
      record({ id: 'old', status: 'completed', model: 'mlp' }),
    ]);
    const panel = panelOf(trainingPanel, { projectDir: '/p', runIds: [] }, store);
    const snapshot = trainingPanel.snapshot(store, panel);
    assert.equal(snapshot?.type, 'training/snapshot');
    assert.deepEqual(panel.context.runIds, ['mlp']);
    if (snapshot?.type !== 'training/snapshot') return;
    assert.deepEqual(
      snapshot.runs.map((run) => [run.runId, run.epochs]),
      [['mlp', 5]],
    );
    assert.equal(snapshot.live, true);
  });

  it('batches the epochs of its runs and sends what is queued before a status change', () => {
    const panel = panelOf(trainingPanel, { projectDir: '/p', runIds: ['a'] });
    trainingPanel.onJobEvent?.(epoch('a', 0, 0), panel);
    trainingPanel.onJobEvent?.(epoch('a', 0, 1), panel);
    trainingPanel.onJobEvent?.(epoch('other', 0, 0), panel);
    trainingPanel.onJobEvent?.(
      {
        type: 'run/updated',
        run: record({
          id: 'a',
          status: 'completed',
          durationMs: 1200,
          folds: [{ index: 1, score: 0.8 } as RunRecord['folds'][number]],
        }),
      },
      panel,
    );
    trainingPanel.disposeState?.(panel.state);
    const appended = panel.posted.filter((message) => message.type === 'training/append');
    const points = appended.flatMap((message) => (message.type === 'training/append' ? message.points : []));
    assert.deepEqual(
      points.map((point) => [point.runId, point.epoch, point.folds]),
      [
        ['a', 0, 3],
        ['a', 1, 3],
      ],
    );
    assert.deepEqual(panel.posted.at(-1), {
      type: 'training/status',
      runId: 'a',
      status: 'completed',
      elapsedMs: 1200,
      // The folds that ended: the panel's progress counts the others as training.
      foldsEnded: [1],
    });
  });

  it('a panel following the job takes the runs it starts, not baselines, ended runs or another panel’s', () => {
    const following = panelOf(trainingPanel, { projectDir: '/p', runIds: [] });
    const fixed = panelOf(trainingPanel, { projectDir: '/p', runIds: ['a'] });
    for (const run of [
      record({ id: 'b', status: 'running', model: 'mlp', session: 's2' }),
      record({ id: 'base', status: 'running', model: 'baseline', session: 's2' }),
      record({ id: 'c', status: 'completed', model: 'mlp', session: 's2' }),
    ]) {
      trainingPanel.onJobEvent?.({ type: 'run/updated', run }, following);
      trainingPanel.onJobEvent?.({ type: 'run/updated', run }, fixed);
    }
    assert.deepEqual(following.context.runIds, ['b']);
    assert.equal(following.context.session, 's2');
    assert.deepEqual(
      following.posted.map((message) => message.type),
      ['training/runAdded'],
    );
    assert.deepEqual(fixed.context.runIds, ['a']);
    assert.deepEqual(fixed.posted, []);
  });
});

describe('evaluatePanel', () => {
  const runs = [
    record({ id: 'base', model: 'baseline', summary: { mean: 0.5, std: 0.1 } as RunRecord['summary'] }),
    record({ id: 'mlp', candidate: 'mlp', model: 'mlp', folds: [fold(0, 0.8), fold(1, 0.9)] }),
    record({ id: 'other', session: 's9', candidate: 'knn', model: 'knn' }),
  ];

  it('shows the candidates of its session with the baseline apart', () => {
    const store = memoryStore(runs);
    const panel = panelOf(evaluatePanel, { projectDir: '/p', runIds: [], session: 's1' }, store);
    const snapshot = evaluatePanel.snapshot(store, panel);
    assert.equal(snapshot?.type, 'evaluate/snapshot');
    if (snapshot?.type !== 'evaluate/snapshot') return;
    assert.deepEqual(
      snapshot.snapshot.candidates.map((candidate) => [candidate.candidate, candidate.scores]),
      [['mlp', [0.8, 0.9]]],
    );
    assert.equal(snapshot.snapshot.baseline?.mean, 0.5);
  });

  it('runs step 4 for "Next: Improve" when topdown.json gives the candidate a search space, after asking', async () => {
    const dir = projectWith({
      'topdown.json':
        '{ "improve": { "space": { "mlp": { "learningRate": { "logUniform": [0.001, 0.1] } } } } }',
    });
    const panel = panelOf(evaluatePanel, { projectDir: dir, runIds: [], session: 's1' });
    await evaluatePanel.handle?.({ type: 'evaluate/improve', candidate: 'mlp' }, panel);
    assert.equal(panel.steps.length, 1);
    assert.equal(panel.steps[0].step, 'improve');
    assert.match(panel.steps[0].question, /Run step 4 \(Improve\) now\? It tunes mlp on the same folds/);
  });

  it('opens topdown.json and says what to add when the best candidate has no search space', async () => {
    const dir = projectWith({ 'topdown.json': '{ "improve": { "space": { "knn": { "k": [1, 3] } } } }' });
    const panel = panelOf(evaluatePanel, { projectDir: dir, runIds: [], session: 's1' });
    await evaluatePanel.handle?.({ type: 'evaluate/improve', candidate: 'mlp' }, panel);
    assert.deepEqual(panel.steps, [], 'step 4 would not tune mlp: not run');
    assert.deepEqual(panel.opened, [{ path: join(dir, 'topdown.json'), how: 'editor' }]);
    const notice = panel.posted.at(-1);
    assert.ok(
      notice?.type === 'panel/notice' && /mlp has no search space yet: add "improve"/.test(notice.message),
    );
  });

  it('sends a changed candidate alone, the whole session again for the baseline, nothing for another session', () => {
    const panel = panelOf(evaluatePanel, { projectDir: '/p', runIds: [], session: 's1' });
    evaluatePanel.onJobEvent?.({ type: 'run/updated', run: runs[1] }, panel);
    evaluatePanel.onJobEvent?.({ type: 'run/updated', run: runs[2] }, panel);
    assert.equal(panel.refreshed, 0);
    evaluatePanel.onJobEvent?.({ type: 'run/updated', run: runs[0] }, panel);
    assert.equal(panel.refreshed, 1);
    assert.deepEqual(
      panel.posted.map((message) =>
        message.type === 'evaluate/candidate' ? message.candidate.runId : message.type,
      ),
      ['mlp'],
    );
  });
});

describe('improvePanel', () => {
  const results: ImproveResults = {
    runId: 'tune',
    candidate: 'mlp',
    metric: 'accuracy',
    higherIsBetter: true,
    tuned: ['learningRate'],
    trials: [
      { index: 0, params: { learningRate: 0.001 }, mean: 0.7, std: 0.1, status: 'completed', untuned: true },
      { index: 1, name: 'mlp#1', params: { learningRate: 0.01 }, mean: 0.8, std: 0.1, status: 'completed' },
    ],
    bestIndex: 1,
  };
  const project = (): string =>
    projectWith({
      'topdown.json':
        '{ "evaluate": { "candidates": [{ "name": "mlp", "model": "mlp", "learningRate": 0.001 }] } }',
      'runs/tune/improve.json': results,
    });
  // An improve.json written before it carried the decision: the best trial's run record has it.
  const tune = record({
    id: 'tune',
    step: 'improve',
    outputs: { improve: 'runs/tune/improve.json' },
    tuning: {
      of: 'mlp',
      keep: 'tuned',
      chosen: 'mlp#1',
      untunedRunId: 'u',
      pValue: 0.01,
      message: 'mlp#1 beats the untuned mlp: keeping the tuned configuration.',
      method: 'grid',
      trials: 1,
    },
  });

  it('shows the tuning results with the decision the best trial recorded, and what "Use this" would change', () => {
    const dir = project();
    const store = memoryStore([tune]);
    const panel = panelOf<'improve', ImproveState>(
      improvePanel,
      { projectDir: dir, runIds: ['tune'] },
      store,
    );
    assert.deepEqual(improvePanel.snapshot(store, panel), {
      type: 'improve/snapshot',
      results: {
        ...results,
        decision: {
          keep: 'tuned',
          chosenIndex: 1,
          message: 'mlp#1 beats the untuned mlp: keeping the tuned configuration.',
          pValue: 0.01,
          changes: [{ parameter: 'learningRate', current: 0.001, kept: 0.01 }],
        },
      },
    });
  });

  it('writes only the kept trial, after the diff was accepted, from its own copy', async () => {
    const dir = project();
    const store = memoryStore([tune]);
    const panel = panelOf<'improve', ImproveState>(
      improvePanel,
      { projectDir: dir, runIds: ['tune'] },
      store,
    );
    improvePanel.snapshot(store, panel);
    await assert.rejects(
      improvePanel.handle?.({ type: 'improve/useTrial', trialIndex: 0 }, panel) ?? Promise.resolve(),
      /Step 4 kept mlp#1: only the kept configuration can be used/,
    );
    assert.equal(panel.proposals.length, 0, 'no diff for a trial step 4 did not keep');
    panel.accept = false;
    await improvePanel.handle?.({ type: 'improve/useTrial', trialIndex: 1 }, panel);
    assert.match(panel.proposals[0].question, /Write learningRate of mlp#1 into mlp in topdown\.json\?/);
    assert.doesNotMatch(readFileSync(join(dir, 'topdown.json'), 'utf8'), /0\.01/, 'declined: unchanged');
    panel.accept = true;
    await improvePanel.handle?.({ type: 'improve/useTrial', trialIndex: 1 }, panel);
    assert.match(readFileSync(join(dir, 'topdown.json'), 'utf8'), /"learningRate": 0.01/);
    assert.deepEqual(panel.posted.at(-1), { type: 'improve/applied', trialIndex: 1, file: 'topdown.json' });
    assert.equal(panel.refreshed, 2, 'the panel is refreshed after each answer');
    const again = improvePanel.snapshot(store, panel) as { results: ImproveResults };
    assert.deepEqual(again.results.decision?.changes, [], 'now topdown.json has it: nothing to use');
  });

  const versusBestSingle = {
    name: 'mlp',
    mean: 0.8,
    std: 0.1,
    meanDifference: 0.02,
    pValue: 0.41,
    verdict: 'not better than the best single model' as const,
    explanation:
      'blend (0.820 ± 0.050) is not better than the best single model, mlp (0.800 ± 0.100) (p = 0.410, corrected t-test over 3 folds): the single model is as good and simpler.',
  };
  const blend = record({
    id: 'blend',
    step: 'improve',
    session: 's1',
    candidate: 'blend',
    model: 'ensemble',
    createdAt: '2025-03-01T10:05:00.000Z',
    config: { name: 'blend', model: 'ensemble', members: ['mlp', 'knn'], method: 'vote' },
    summary: { mean: 0.82, std: 0.05, min: 0.78, max: 0.86 },
    verdict: {
      rank: 'best',
      baseline: 'better than baseline',
      pBest: null,
      pBaseline: 0.01,
      explanation: '0.820 ± 0.050 vs baseline 0.500: better than baseline (p = 0.010); best.',
      versusBestSingle,
    },
  });
  const failedBlend = record({
    id: 'blend-2',
    step: 'improve',
    session: 's1',
    candidate: 'blend-2',
    model: 'ensemble',
    status: 'failed',
    createdAt: '2025-03-01T10:06:00.000Z',
    config: { name: 'blend-2', model: 'ensemble', members: ['mlp', 'svm'] },
    error: {
      code: 'MODEL_INVALID',
      message: 'Ensemble "blend-2" cannot be scored: its member "svm" failed.',
    },
  });

  // How the panel lists `blend`.
  const blendRow = {
    name: 'blend',
    runId: 'blend',
    method: 'vote',
    members: ['mlp', 'knn'],
    status: 'completed' as const,
    mean: 0.82,
    std: 0.05,
    verdict: blend.verdict,
  };

  it("lists the session's ensembles with the verdict their runs recorded, beside the trials", () => {
    const store = memoryStore([
      tune,
      failedBlend,
      blend,
      record({ id: 'other', step: 'improve', model: 'mlp' }),
    ]);
    const panel = panelOf(improvePanel, { projectDir: project(), runIds: ['tune'] }, store);
    const snapshot = improvePanel.snapshot(store, panel) as { results: ImproveResults };
    assert.equal(snapshot.results.trials.length, 2, 'the trials stay');
    assert.deepEqual(snapshot.results.ensembles, [
      blendRow,
      {
        name: 'blend-2',
        runId: 'blend-2',
        method: 'average',
        members: ['mlp', 'svm'],
        status: 'failed',
        error: 'Ensemble "blend-2" cannot be scored: its member "svm" failed.',
      },
    ]);
  });

  it('shows the ensembles of a session that tuned nothing, with no trials and no decision', () => {
    const store = memoryStore([blend]);
    const panel = panelOf(improvePanel, { projectDir: project(), runIds: ['blend'] }, store);
    const snapshot = improvePanel.snapshot(store, panel) as { results: ImproveResults };
    assert.deepEqual(snapshot.results, {
      runId: 'blend',
      candidate: '',
      metric: 'accuracy',
      higherIsBetter: true,
      tuned: [],
      trials: [],
      ensembles: [blendRow],
    });
    assert.equal(tuningRunOf(store, 'blend'), 'blend', 'step 4 opens the Improve panel, not an empty curve');
  });

  it('says so when the run has no results yet', () => {
    const store = memoryStore([record({ id: 'tune', step: 'improve' })]);
    const panel = panelOf(improvePanel, { projectDir: project(), runIds: ['tune'] }, store);
    assert.equal(improvePanel.snapshot(store, panel), undefined);
    assert.deepEqual(panel.posted, [
      { type: 'panel/notice', level: 'warn', message: 'This run has no tuning results yet.' },
    ]);
  });
});

describe('tuningRunOf (which run shows step 4)', () => {
  const trial = (id: string, keep?: 'tuned' | 'untuned') =>
    record({
      id,
      step: 'improve',
      session: 'tune-session',
      outputs: { improve: `runs/${id}/improve.json` },
      tuning: keep
        ? {
            of: 'mlp',
            keep,
            chosen: 'mlp',
            untunedRunId: 'u',
            pValue: 0.5,
            message: 'm',
            method: 'random',
            trials: 2,
          }
        : undefined,
    });
  const store = memoryStore([
    trial('mlp-1'),
    trial('mlp-2', 'untuned'),
    record({ id: 'ensemble', step: 'improve', session: 'tune-session' }),
    record({ id: 'knn-repeat', step: 'improve', session: 'other-session' }),
  ]);

  it('opens a run with tuning results as itself', () => {
    assert.equal(tuningRunOf(store, 'mlp-1'), 'mlp-1');
  });
  it("opens an ensemble's session at the trial that recorded the decision, not an empty panel", () => {
    assert.equal(tuningRunOf(store, 'ensemble'), 'mlp-2');
  });
  it('has no tuning run for a session that tuned nothing', () => {
    assert.equal(tuningRunOf(store, 'knn-repeat'), null);
  });
});

describe('profilePanel', () => {
  it('shows the profile a define run wrote, with its baseline under the project metric', () => {
    const dir = projectWith({ 'runs/d/profile.json': { rows: 3, columns: [] } });
    const define = record({
      id: 'd',
      step: 'define',
      outputs: { profile: 'runs/d/profile.json' },
      baseline: { mean: 0.5, std: 0.1 },
    });
    const store = memoryStore([define]);
    const panel = panelOf(profilePanel, { projectDir: dir, runIds: ['d'] }, store);
    assert.deepEqual(profilePanel.snapshot(store, panel), {
      type: 'profile/snapshot',
      runId: 'd',
      profile: { rows: 3, columns: [] },
      baseline: { mean: 0.5, std: 0.1, metric: 'accuracy' },
    });
  });

  it('refuses an output path that leaves the project', () => {
    const define = record({ id: 'd', step: 'define', outputs: { profile: '../../etc/passwd' } });
    const store = memoryStore([define]);
    const panel = panelOf(profilePanel, { projectDir: projectWith({}), runIds: ['d'] }, store);
    assert.equal(profilePanel.snapshot(store, panel), undefined);
    assert.equal(panel.posted[0]?.type, 'panel/notice');
  });
});

describe('preparePanel', () => {
  const preview = {
    task: 'binary',
    target: 'label',
    fold: 0,
    shapes: { train: { x: [120, 2], y: [120, 1] }, validation: { x: [30, 2], y: [30, 1] } },
    classes: ['M', 'R'],
    before: [{ name: 'x1', type: 'numeric', role: 'feature', missing: 1, mean: 5, std: 2, min: 1, max: 9 }],
    after: [{ name: 'x1', mean: 0, std: 1, min: -2, max: 2 }],
    describe: ['standardize: x1'],
    pipeline: { inputs: [], steps: ['the fitted state, which the panel does not need'] },
  };

  it("shows the preview a prepare run wrote, without the fitted pipeline's state", () => {
    const dir = projectWith({ 'runs/p/preview.json': preview });
    const prepare = record({ id: 'p', step: 'prepare', outputs: { preview: 'runs/p/preview.json' } });
    const store = memoryStore([prepare]);
    const panel = panelOf(preparePanel, { projectDir: dir, runIds: ['p'] }, store);
    const { pipeline: _pipeline, ...shown } = preview;
    assert.deepEqual(preparePanel.snapshot(store, panel), {
      type: 'prepare/snapshot',
      runId: 'p',
      preview: shown,
    });
    assert.equal(
      panelTitle(preparePanel, store, panel.context),
      `Preparation · ${formatWhen(prepare.createdAt)}`,
    );
  });

  it('says so when the run wrote no preview', () => {
    const store = memoryStore([record({ id: 'p', step: 'prepare', status: 'failed' })]);
    const panel = panelOf(preparePanel, { projectDir: projectWith({}), runIds: ['p'] }, store);
    assert.equal(preparePanel.snapshot(store, panel), undefined);
    assert.deepEqual(panel.posted, [
      { type: 'panel/notice', level: 'warn', message: 'This run has no preparation preview yet.' },
    ]);
  });
});

describe('comparePanel', () => {
  it('shows the runs in the order asked, and only the settings that differ', () => {
    const store = memoryStore([
      record({ id: 'a', candidate: 'small', config: { layers: [8], epochs: 5 } }),
      record({ id: 'b', candidate: 'large', config: { layers: [64], epochs: 5 }, metric: 'rmse' }),
    ]);
    const panel = panelOf(comparePanel, { projectDir: '/p', runIds: ['b', 'a'] }, store);
    const snapshot = comparePanel.snapshot(store, panel);
    assert.equal(snapshot?.type, 'compare/snapshot');
    if (snapshot?.type !== 'compare/snapshot') return;
    assert.deepEqual(
      snapshot.runs.map((run) => run.name),
      ['large', 'small'],
    );
    assert.equal(snapshot.higherIsBetter, false);
    assert.deepEqual(
      snapshot.differences.map((difference) => difference.path),
      ['config.layers', 'metric'],
    );
  });
});

describe('finalPanel', () => {
  const final = { runId: 'p', candidate: 'knn', metric: 'accuracy', holdout: { accuracy: 0.8 } };
  const present = record({
    id: 'p',
    step: 'present',
    // As `topdown present` records it: the model folder is `outputs.bundle` (and `bundle`).
    outputs: { final: 'runs/p/final.json', report: 'report/REPORT.md', bundle: 'models/knn' },
    bundle: 'models/knn',
  });

  it('shows the final results the run wrote', () => {
    const dir = projectWith({ 'runs/p/final.json': final });
    const store = memoryStore([present]);
    const panel = panelOf(finalPanel, { projectDir: dir, runIds: ['p'] }, store);
    assert.deepEqual(finalPanel.snapshot(store, panel), { type: 'final/snapshot', results: final });
  });

  it('adds the confused pairs of an image classifier that the run wrote', () => {
    const pairs = { rows: 1, cols: 1, channels: 1, pairs: [{ actual: 'a', predicted: 'b', count: 2 }] };
    const dir = projectWith({ 'runs/p/final.json': final, 'runs/p/confused-pairs.json': pairs });
    const withPairs = {
      ...present,
      outputs: { ...present.outputs, confusedPairs: 'runs/p/confused-pairs.json' },
    };
    const store = memoryStore([withPairs]);
    const panel = panelOf(finalPanel, { projectDir: dir, runIds: ['p'] }, store);
    assert.deepEqual(finalPanel.snapshot(store, panel), {
      type: 'final/snapshot',
      results: { ...final, confusedPairs: pairs },
    });
  });

  it('adds the misclassified documents and class words of a text classifier that the run wrote', () => {
    const text = { column: 'text', holdout: 4, misclassified: 0, documents: [], classWords: [] };
    const dir = projectWith({ 'runs/p/final.json': final, 'runs/p/text-results.json': text });
    const withText = { ...present, outputs: { ...present.outputs, textResults: 'runs/p/text-results.json' } };
    const store = memoryStore([withText]);
    const panel = panelOf(finalPanel, { projectDir: dir, runIds: ['p'] }, store);
    assert.deepEqual(finalPanel.snapshot(store, panel), {
      type: 'final/snapshot',
      results: { ...final, textResults: text },
    });
  });

  it('opens the report in its preview and reveals the model folder; a run without them is an error', async () => {
    const dir = projectWith({});
    const panel = panelOf(finalPanel, { projectDir: dir, runIds: ['p'] }, memoryStore([present]));
    await finalPanel.handle?.({ type: 'final/open', target: 'report' }, panel);
    await finalPanel.handle?.({ type: 'final/open', target: 'model' }, panel);
    assert.deepEqual(panel.opened, [
      { path: join(dir, 'report', 'REPORT.md'), how: 'preview' },
      { path: join(dir, 'models', 'knn'), how: 'reveal' },
    ]);
    const bare = panelOf(finalPanel, { projectDir: dir, runIds: ['q'] }, memoryStore([record({ id: 'q' })]));
    await assert.rejects(
      finalPanel.handle?.({ type: 'final/open', target: 'report' }, bare) ?? Promise.resolve(),
      /This run has no report to open/,
    );
  });

  it('predicts with the model the run saved; a run without one is an error', async () => {
    const dir = projectWith({});
    const panel = panelOf(finalPanel, { projectDir: dir, runIds: ['p'] }, memoryStore([present]));
    await finalPanel.handle?.({ type: 'final/predict' }, panel);
    assert.deepEqual(panel.predicted, ['knn']);
    const bare = panelOf(finalPanel, { projectDir: dir, runIds: ['q'] }, memoryStore([record({ id: 'q' })]));
    await assert.rejects(
      finalPanel.handle?.({ type: 'final/predict' }, bare) ?? Promise.resolve(),
      /This run saved no model to predict with/,
    );
    const outside = record({ id: 'o', step: 'present', bundle: 'models/../../elsewhere' });
    const escaping = panelOf(finalPanel, { projectDir: dir, runIds: ['o'] }, memoryStore([outside]));
    await assert.rejects(finalPanel.handle?.({ type: 'final/predict' }, escaping) ?? Promise.resolve());
    assert.deepEqual(escaping.predicted, []);
  });
});

describe('panel titles', () => {
  process.env.TZ = 'UTC';
  const store = memoryStore([
    record({
      id: 'evaluate-20251206-0409-mlp',
      createdAt: '2026-12-06T04:09:30.000Z',
      candidate: 'mlp-large',
    }),
    record({
      id: 'evaluate-20251206-0409-knn',
      createdAt: '2026-12-06T04:10:00.000Z',
      candidate: 'knn',
      label: 'k=5',
    }),
    record({ id: 'define-1', step: 'define', createdAt: '2025-03-01T10:00:00.000Z' }),
  ]);
  const title = (kind: PanelKind, runIds: string[], session?: string): string =>
    panelTitle(panelProviders[kind], store, { kind, projectDir: '/p', runIds, session });

  it('names what a panel shows in words, never by a raw run id', () => {
    const now = new Date('2026-12-06T12:00:00.000Z');
    assert.equal(formatWhen('2026-12-06T04:09:30.000Z', now), '6 Dec 04:09');
    assert.equal(formatWhen('2025-03-01T10:00:00.000Z', now), '1 Mar 2025 10:00');
    assert.equal(formatWhen('not a date', now), 'not a date');
    assert.equal(title('training', ['evaluate-20251206-0409-mlp']), 'Training · mlp-large');
    assert.equal(title('training', []), 'Training · live');
    assert.equal(title('final', ['evaluate-20251206-0409-knn']), 'Final results · k=5');
    assert.equal(title('improve', ['evaluate-20251206-0409-mlp']), 'Improve · mlp-large');
    assert.equal(title('evaluate', [], 's1'), `Evaluate · ${formatWhen('2026-12-06T04:09:30.000Z')}`);
    assert.equal(title('profile', ['define-1']), 'Data profile · 1 Mar 2025 10:00');
    assert.equal(
      title('compare', ['evaluate-20251206-0409-mlp', 'evaluate-20251206-0409-knn']),
      'Compare runs · mlp-large vs k=5',
    );
  });

  it('keeps the kind alone when the run is gone', () => {
    assert.equal(title('training', ['deleted-run']), 'Training');
  });
});
