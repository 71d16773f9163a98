/** Builds a project with recorded runs of every step in a temp folder, for the report tests. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../../src/core/runs/store';
import type { DataProfile } from '../../src/protocol/profile';
import type { RunEvent, RunRecord, StepName } from '../../src/protocol/records';

/** The fixture project (topdown.json, data.csv, README.md). */
export const FIXTURE_PROJECT = join(__dirname, '..', 'fixtures', 'report', 'project');

const DATA_HASH = 'a'.repeat(64);
const FOLD_HASH = 'f'.repeat(64);
let clock = Date.parse('2025-03-01T10:00:00.000Z');

/** A copy of the fixture project in a new temp folder. */
export function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-report-'));
  cpSync(FIXTURE_PROJECT, dir, { recursive: true });
  return dir;
}

/** A completed run record with one fold per score (3 rows validated, 13 trained per fold). */
export function record(
  store: RunStore,
  step: StepName,
  session: string,
  fields: Partial<RunRecord> & { scores?: number[] } & Record<string, unknown>,
): RunRecord {
  const { scores = [], ...rest } = fields;
  clock += 1000;
  const mean = scores.reduce((sum, score) => sum + score, 0) / (scores.length || 1);
  const std =
    scores.length > 1
      ? Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / (scores.length - 1))
      : 0;
  const run: RunRecord = {
    schemaVersion: 1,
    id: store.newRunId(step, fields.candidate),
    step,
    session,
    status: 'completed',
    createdAt: new Date(clock).toISOString(),
    durationMs: 1200,
    config: {},
    seed: 7,
    metric: 'accuracy',
    dataHash: DATA_HASH,
    foldHash: FOLD_HASH,
    backend: { name: 'cpu', reasons: [], tfjsVersion: '4.22.0' },
    folds: scores.map((score, index) => ({
      index,
      score,
      metrics: { accuracy: score },
      trainSize: 13,
      validationSize: 6,
      epochs: 3,
      durationMs: 400,
    })),
    summary:
      scores.length > 0 ? { mean, std, min: Math.min(...scores), max: Math.max(...scores) } : undefined,
    topdownVersion: '0.1.0',
    ...rest,
  };
  store.create(run);
  return run;
}

/** Epoch events: loss falls from 0.7 by 0.1 per epoch, validation loss sits 0.05 above it. */
export function epochEvents(folds: number, epochs: number): RunEvent[] {
  const events: RunEvent[] = [];
  for (let fold = 0; fold < folds; fold++) {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const loss = 0.7 - 0.1 * epoch + 0.01 * fold;
      events.push({ type: 'epoch', time: '', fold, epoch, logs: { loss, val_loss: loss + 0.05 } });
    }
  }
  return events;
}

const PROFILE: DataProfile = {
  file: 'data.csv',
  rows: 18,
  columns: [
    { name: 'x1', type: 'numeric', role: 'feature', missing: 1, distinct: 18, targetCorrelation: 0.62 },
    { name: 'x2', type: 'numeric', role: 'feature', missing: 0, distinct: 18, targetCorrelation: -0.71 },
    { name: 'x3', type: 'numeric', role: 'feature', missing: 0, distinct: 18, targetCorrelation: 0.05 },
    { name: 'label', type: 'categorical', role: 'target', missing: 0, distinct: 2 },
  ],
  target: {
    name: 'label',
    task: 'binary',
    classes: [
      { value: 'no', count: 9 },
      { value: 'yes', count: 9 },
    ],
  },
  warnings: [{ code: 'FEW_ROWS', message: 'Only 18 rows: fold scores will vary a lot.' }],
};

/** Steps 1 and 3: a define run with its profile, and an evaluate session (one failed candidate). */
export function recordStepsOneToThree(dir: string): RunStore {
  const store = new RunStore(dir);
  const define = record(store, 'define', 'session-define', {
    config: { model: 'baseline' },
    model: 'baseline',
    scores: [0.5, 0.5, 0.6],
  });
  const profilePath = join(store.runDir(define.id), 'profile.json');
  writeFileSync(profilePath, JSON.stringify(PROFILE));
  define.outputs = { profile: profilePath };
  define.baseline = { mean: define.summary!.mean, std: define.summary!.std };
  store.save(define);

  const session = 'session-evaluate';
  record(store, 'evaluate', session, { candidate: 'baseline', model: 'baseline', scores: [0.5, 0.5, 0.6] });
  const logistic = record(store, 'evaluate', session, {
    candidate: 'logistic',
    model: 'linear',
    config: { name: 'logistic', model: 'linear', epochs: 3, learningRate: 0.01 },
    scores: [0.8, 0.9, 0.85],
    advice: {
      diagnosis: 'still-improving',
      message: 'Validation loss was still falling at the last epoch (0.560).',
      nextStep: 'raise epochs to 6',
      evidence: {},
    },
  });
  store.appendEvents(logistic.id, epochEvents(3, 3));
  record(store, 'evaluate', session, { candidate: 'knn', model: 'knn', scores: [0.7, 0.75, 0.8] });
  record(store, 'evaluate', session, {
    candidate: 'forest',
    model: 'random-forest',
    status: 'failed',
    error: { code: 'INTERNAL', message: 'the forest fell over' },
  });
  return store;
}

/** Steps 4 and 5 on top: two tuning trials, an ensemble, a present run and its bundle. */
export function recordStepsFourAndFive(dir: string, store: RunStore): void {
  const session = 'session-improve';
  const trialConfig = (learningRate: number, index: number): Record<string, unknown> => ({
    name: `logistic#${index}`,
    model: 'linear',
    epochs: 3,
    learningRate,
  });
  record(store, 'improve', session, {
    candidate: 'logistic#1',
    model: 'linear',
    config: trialConfig(0.002, 1),
    params: { learningRate: 0.002 },
    scores: [0.7, 0.8, 0.75],
  });
  const untunedRunId = store.list({ step: 'evaluate', candidate: 'logistic' })[0].id;
  record(store, 'improve', session, {
    candidate: 'logistic#2',
    model: 'linear',
    config: trialConfig(0.05, 2),
    params: { learningRate: 0.05 },
    scores: [0.85, 0.9, 0.85],
    tuning: {
      of: 'logistic',
      keep: 'untuned',
      chosen: 'logistic',
      untunedRunId,
      pValue: 0.62,
      message: 'Tuning did not beat the untuned logistic: keeping the untuned configuration.',
      method: 'random',
      trials: 2,
    },
  });
  record(store, 'improve', session, {
    candidate: 'avg',
    model: 'ensemble',
    config: { name: 'avg', model: 'ensemble', members: ['logistic', 'knn'], method: 'average' },
    scores: [0.8, 0.85, 0.9],
    verdict: {
      rank: 'indistinguishable from the best',
      baseline: 'better than baseline',
      pBest: 0.9,
      pBaseline: 0.01,
      explanation:
        '0.850 ± 0.050 vs baseline 0.533: better than baseline; 3 folds cannot separate it from the best.',
      versusBestSingle: {
        name: 'logistic',
        mean: 0.85,
        std: 0.05,
        meanDifference: 0,
        pValue: 1,
        verdict: 'not better than the best single model',
        explanation:
          'avg (0.850 ± 0.050) is not better than the best single model, logistic (0.850 ± 0.050) (p = 1.000, corrected t-test over 3 folds): the single model is as good and simpler.',
      },
    },
  });
  const bundle = join(dir, 'models', 'logistic');
  mkdirSync(bundle, { recursive: true });
  writeFileSync(
    join(bundle, 'bundle.json'),
    JSON.stringify({ schemaVersion: 1, candidate: 'logistic', cv: { mean: 0.85, std: 0.05 } }),
  );
  record(store, 'present', 'session-present', {
    candidate: 'logistic',
    model: 'linear',
    holdout: { score: 0.875, metrics: { accuracy: 0.875, f1: 0.8 }, size: 6 },
    bundle,
  });
}
