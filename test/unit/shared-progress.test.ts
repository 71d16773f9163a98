import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  foldsTraining,
  formatTrainingProgress,
  runProgress,
  type TrainingProgress,
} from '../../src/shared/progress';
import type { TrainingRun } from '../../src/protocol/panel-training';

function progress(
  done: Array<[number, number]>,
  overrides: Partial<TrainingProgress> = {},
): TrainingProgress {
  return {
    epochs: 100,
    folds: 5,
    epochsDone: new Map(done),
    foldsEnded: new Set(),
    running: true,
    ...overrides,
  };
}

describe('formatTrainingProgress', () => {
  it('names the fold and its epoch while a single fold trains', () => {
    const folds = progress([
      [0, 100],
      [1, 100],
      [2, 12],
    ]);
    assert.deepEqual(foldsTraining(folds), [2]);
    assert.equal(formatTrainingProgress(folds), 'fold 3/5 · epoch 12/100');
  });

  it('counts the epochs of all folds while several train at once', () => {
    const parallel = progress([
      [0, 20],
      [1, 14],
      [2, 14],
    ]);
    assert.equal(formatTrainingProgress(parallel), 'epochs 48/500 (3 folds at once)');
  });

  it('leaves out a fold that ended early: it trains no more', () => {
    const stopped = progress(
      [
        [0, 30],
        [1, 12],
      ],
      { foldsEnded: new Set([0]) },
    );
    assert.equal(formatTrainingProgress(stopped), 'fold 2/5 · epoch 12/100');
  });

  it('counts all epochs once the run ended, and says "final fit" for step 5', () => {
    const ended = progress(
      [
        [0, 20],
        [1, 20],
        [2, 20],
      ],
      { running: false, epochs: 20, folds: 3 },
    );
    assert.equal(formatTrainingProgress(ended), 'epochs 60/60');
    const final = progress([[0, 4]], { finalFit: true, epochs: 40, folds: 0 });
    assert.equal(formatTrainingProgress(final), 'final fit · epoch 4/40');
  });

  it('leaves the total out when it is not known, and says nothing before the first epoch', () => {
    assert.equal(formatTrainingProgress(progress([[2, 12]], { folds: 0 })), 'fold 3 · epoch 12/100');
    assert.equal(formatTrainingProgress(progress([], { running: false })), '');
  });
});

describe('runProgress', () => {
  it("reads a Training panel run's epochs per fold from its longest log, with the folds that ended", () => {
    const run: TrainingRun = {
      runId: 'r1',
      candidate: 'mlp',
      status: 'running',
      metric: 'accuracy',
      epochs: 20,
      folds: 3,
      foldsEnded: [0],
      createdAt: '2025-03-01T10:15:00.000Z',
      elapsedMs: 1000,
      curves: [
        { fold: 0, logs: { loss: new Array(20).fill(0.5), val_loss: new Array(20).fill(0.6) } },
        { fold: 1, logs: { loss: new Array(7).fill(0.5), val_loss: new Array(6).fill(0.6) } },
        { fold: 2, logs: { loss: new Array(5).fill(0.5) } },
      ],
    };
    const read = runProgress(run);
    assert.deepEqual(
      [...read.epochsDone],
      [
        [0, 20],
        [1, 7],
        [2, 5],
      ],
    );
    assert.equal(formatTrainingProgress(read), 'epochs 32/60 (2 folds at once)');
  });
});
