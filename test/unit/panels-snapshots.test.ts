import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareTest,
  configDifferences,
  curvesFromEvents,
  evaluateSnapshot,
  higherIsBetter,
  meanCurves,
  metricLogKey,
  sessionVerdicts,
  trainingRun,
} from '../../src/extension/panels/snapshots';
import type { RunEvent, RunRecord } from '../../src/protocol/records';

import { fold, record } from '../helpers/records';

const time = '2025-03-01T10:00:01.000Z';
const events: RunEvent[] = [
  { type: 'fold/start', time, fold: 0, trainSize: 9, validationSize: 1 },
  { type: 'epoch', time, fold: 0, epoch: 0, logs: { loss: 0.9, acc: 0.5 } },
  { type: 'epoch', time, fold: 0, epoch: 1, logs: { loss: 0.7, acc: 0.6 } },
  { type: 'fold/start', time, fold: 1, trainSize: 9, validationSize: 1 },
  { type: 'epoch', time, fold: 1, epoch: 0, logs: { loss: 0.5, acc: 0.7 } },
  { type: 'fold/end', time, fold: 0, score: 0.6, metrics: {} },
];

describe('curvesFromEvents', () => {
  it('turns epoch events into one column per log key and fold', () => {
    assert.deepEqual(curvesFromEvents(events), [
      { fold: 0, logs: { loss: [0.9, 0.7], acc: [0.5, 0.6] } },
      { fold: 1, logs: { loss: [0.5], acc: [0.7] } },
    ]);
  });

  it('averages the folds per epoch, over the folds that reached it', () => {
    assert.deepEqual(meanCurves(curvesFromEvents(events)).loss, [0.7, 0.7]);
  });
});

describe('trainingRun', () => {
  it('plans epochs from the config, counts started folds and puts the baseline on the logged metric key', () => {
    const run = trainingRun(
      record({
        id: 'r1',
        candidate: 'mlp',
        status: 'running',
        config: { epochs: 20 },
        baseline: { mean: 0.65, std: 0.01 },
      }),
      events,
      Date.parse('2025-03-01T10:00:30.000Z'),
    );
    assert.equal(run.epochs, 20);
    assert.equal(run.folds, 2);
    assert.equal(run.elapsedMs, 30_000);
    assert.deepEqual(run.baseline, { key: 'acc', value: 0.65 });
    assert.equal(run.advice, undefined, 'no advice before the run ends');
    assert.equal(run.finalFit, undefined);
  });

  it("marks step 5's run as the final fit", () => {
    const final = record({ id: 'r5', candidate: 'mlp', step: 'present', status: 'running' });
    assert.equal(trainingRun(final, events).finalFit, true);
  });

  it("carries the learning-curve advisor's words, without its evidence numbers, to the Training panel and the Evaluate table", () => {
    const advice = {
      diagnosis: 'overfitting' as const,
      message: 'Validation loss rose for the last 12 epochs while training loss fell.',
      nextStep: 'add dropout 0.2 or stop earlier',
      evidence: { gap: 0.3 },
    };
    const ended = record({ id: 'r2', candidate: 'mlp', model: 'mlp', advice, folds: [fold(0, 0.8)] });
    const words = { diagnosis: advice.diagnosis, message: advice.message, nextStep: advice.nextStep };
    assert.deepEqual(trainingRun(ended, events).advice, words);
    assert.deepEqual(evaluateSnapshot('s1', [ended]).candidates[0].advice, words);
  });
});

describe('trainingRun without epochs', () => {
  it('gives the fold scores of an ended run that logged no epoch (k-NN, forest), and none to a network', () => {
    const knn = record({ id: 'k', candidate: 'knn', model: 'knn', folds: [fold(0, 0.8), fold(1, 0.9)] });
    const noEpochs: RunEvent[] = [{ type: 'fold/start', time, fold: 0, trainSize: 9, validationSize: 1 }];
    assert.deepEqual(trainingRun(knn, noEpochs).foldScores, [0.8, 0.9]);
    assert.deepEqual(trainingRun(knn, []).foldScores, [0.8, 0.9]);
    const mlp = record({ id: 'm', candidate: 'mlp', folds: [fold(0, 0.8)] });
    assert.equal(trainingRun(mlp, events).foldScores, undefined, 'a run with curves draws them');
    const running = record({ id: 'k2', candidate: 'knn', status: 'running', folds: [fold(0, 0.8)] });
    assert.equal(trainingRun(running, []).foldScores, undefined, 'a running run may still log epochs');
  });
});

describe('evaluateSnapshot', () => {
  it('draws the baseline run as the line and the other candidates as boxes, including folds still in events', () => {
    const snapshot = evaluateSnapshot(
      's1',
      [
        record({
          id: 'b',
          candidate: 'baseline',
          model: 'baseline',
          summary: { mean: 0.65, std: 0, min: 0.65, max: 0.65 },
        }),
        record({
          id: 'm',
          candidate: 'mlp',
          model: 'mlp',
          status: 'running',
          createdAt: '2025-03-01T10:00:05.000Z',
        }),
        record({
          id: 'k',
          candidate: 'knn',
          model: 'knn',
          folds: [fold(1, 0.8), fold(0, 0.7)],
          createdAt: '2025-03-01T10:00:02.000Z',
        }),
      ],
      (runId) => (runId === 'm' ? events : []),
    );
    assert.deepEqual(snapshot.baseline, { mean: 0.65, std: 0 });
    assert.deepEqual(
      snapshot.candidates.map((candidate) => [candidate.candidate, candidate.scores]),
      [
        ['knn', [0.7, 0.8]],
        ['mlp', [0.6]],
      ],
    );
    assert.equal(snapshot.higherIsBetter, true);
  });
});

describe('configDifferences', () => {
  it('keeps only the settings that differ, with a gap where a run lacks one, and not the name', () => {
    const differences = configDifferences([
      record({ config: { name: 'a', model: 'mlp', layers: [16], epochs: 20 } }),
      record({ config: { name: 'b', model: 'mlp', layers: [64, 32], epochs: 20, dropout: 0.2 }, seed: 8 }),
    ]);
    assert.deepEqual(differences, [
      { path: 'config.dropout', values: [undefined, '0.2'] },
      { path: 'config.layers', values: ['[16]', '[64,32]'] },
      { path: 'seed', values: ['7', '8'] },
    ]);
  });
});

describe('compareTest', () => {
  const scores = (values: number[]) => values.map((value, index) => fold(index, value));
  const run = (id: string, values: number[], overrides: Partial<RunRecord> = {}) =>
    record({ id, foldHash: 'f', folds: scores(values), ...overrides });

  it('tests the second run against the first over the folds they share', () => {
    const test = compareTest([
      run('a', [0.7, 0.72, 0.71, 0.69, 0.7]),
      run('b', [0.8, 0.83, 0.82, 0.79, 0.81]),
    ]);
    assert.equal(test?.test, 'corrected resampled t-test');
    assert.equal(test?.folds, 5);
    assert.ok(Math.abs((test?.meanDifference ?? 0) - 0.106) < 1e-9);
    assert.ok((test?.pValue ?? 1) < 0.05);
  });

  it('gives no test for runs on other folds, of unequal fold counts, unfinished, or more than two', () => {
    const a = run('a', [0.7, 0.72, 0.71]);
    assert.equal(compareTest([a, run('b', [0.8, 0.8, 0.8], { foldHash: 'other' })]), undefined);
    assert.equal(compareTest([a, run('b', [0.8, 0.8])]), undefined);
    assert.equal(compareTest([a, run('b', [0.8, 0.8, 0.8], { status: 'failed' })]), undefined);
    assert.equal(compareTest([a, run('b', [0.8, 0.8, 0.8]), run('c', [0.8, 0.8, 0.8])]), undefined);
  });
});

describe('metric direction and log keys', () => {
  it('ranks errors and losses lower-is-better and finds accuracy logged as acc', () => {
    assert.equal(higherIsBetter('rmse'), false);
    assert.equal(higherIsBetter('log-loss'), false);
    assert.equal(higherIsBetter('r2'), true);
    assert.equal(metricLogKey('accuracy', ['loss', 'acc', 'val_acc']), 'acc');
    assert.equal(metricLogKey('f1', ['loss']), undefined);
  });
});

describe('sessionVerdicts', () => {
  const scores = (values: number[]) => values.map((value, index) => fold(index, value));
  const session = [
    record({
      id: 'b',
      candidate: 'baseline',
      model: 'baseline',
      folds: scores([0.5, 0.52, 0.48, 0.5, 0.51]),
    }),
    record({ id: 'm', candidate: 'mlp', model: 'mlp', folds: scores([0.86, 0.84, 0.88, 0.85, 0.87]) }),
    record({ id: 'k', candidate: 'knn', model: 'knn', folds: scores([0.85, 0.86, 0.86, 0.84, 0.88]) }),
    record({ id: 'l', candidate: 'linear', model: 'linear', folds: scores([0.6, 0.58, 0.62, 0.61, 0.59]) }),
  ];

  it('names the best, separates real gaps from noise, and tests everyone against the baseline', () => {
    const verdicts = sessionVerdicts(session)!;
    assert.equal(verdicts.test, 'corrected resampled t-test');
    assert.equal(verdicts.best, 'mlp');
    const byName = new Map(verdicts.verdicts.map((verdict) => [verdict.candidate, verdict]));
    assert.equal(byName.get('knn')!.indistinguishableFromBest, true);
    assert.ok(byName.get('knn')!.pBest > 0.05);
    assert.equal(byName.get('linear')!.indistinguishableFromBest, false);
    assert.ok(byName.get('linear')!.pBest < 0.05);
    for (const verdict of verdicts.verdicts) assert.equal(verdict.betterThanBaseline, true);
  });

  it('waits for a completed baseline before judging', () => {
    assert.equal(sessionVerdicts(session.slice(1)), undefined);
    assert.equal(evaluateSnapshot('s1', session).verdicts?.best, 'mlp');
  });
});
