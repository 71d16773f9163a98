import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatActivity,
  percentDone,
  reduceActivity,
  type JobActivity,
} from '../../src/extension/jobs/activity';
import type { JobEvent } from '../../src/protocol/host';

describe('job activity', () => {
  it('follows a job through its events into the status-bar line', () => {
    const events: JobEvent[] = [
      { type: 'hello', protocolVersion: 1, step: 'evaluate', projectDir: '/p', pid: 1 },
      { type: 'job/backend', backend: { name: 'wasm', reasons: [] } },
      {
        type: 'run/epoch',
        runId: 'r1',
        candidate: 'mlp-small',
        fold: 2,
        epoch: 11,
        epochs: 100,
        folds: 5,
        logs: { loss: 0.3 },
      },
      { type: 'job/progress', done: 5, total: 20, message: 'mlp-small fold 3' },
      { type: 'log', level: 'info', message: 'ignored' },
    ];
    const activity = events.reduce<JobActivity>(reduceActivity, { step: 'all' });
    assert.equal(formatActivity(activity), 'evaluate · mlp-small · fold 3/5 · epoch 12/100');
    assert.equal(activity.backend, 'wasm');
    assert.equal(percentDone(activity), 25);
  });

  it('says "final fit", not "fold 1", while step 5 trains, also under Run All Steps', () => {
    const epoch: JobEvent = {
      type: 'run/epoch',
      runId: 'r5',
      candidate: 'mlp-large',
      fold: 0,
      epoch: 3,
      epochs: 40,
      logs: { loss: 0.2 },
    };
    assert.equal(
      formatActivity(reduceActivity({ step: 'present' }, epoch)),
      'present · mlp-large · final fit · epoch 4/40',
    );
    const run = { id: 'r5', step: 'present', status: 'running', candidate: 'mlp-large' };
    const started = reduceActivity({ step: 'all' }, { type: 'run/updated', run } as unknown as JobEvent);
    assert.equal(formatActivity(reduceActivity(started, epoch)), 'all · mlp-large · final fit · epoch 4/40');
    const evaluating = reduceActivity({ step: 'all' }, {
      type: 'run/updated',
      run: { ...run, step: 'evaluate' },
    } as unknown as JobEvent);
    assert.match(formatActivity(reduceActivity(evaluating, epoch)), /· fold 1 ·/);
  });

  it("speaks the Training panel's unit: all epochs while folds train at once, a fold gone once it ended", () => {
    const epoch = (fold: number, epochIndex: number): JobEvent => ({
      type: 'run/epoch',
      runId: 'r1',
      candidate: 'mlp',
      fold,
      epoch: epochIndex,
      epochs: 100,
      folds: 5,
      logs: { loss: 0.3 },
    });
    const parallel = [epoch(0, 19), epoch(1, 13), epoch(2, 14)].reduce<JobActivity>(reduceActivity, {
      step: 'evaluate',
    });
    assert.equal(formatActivity(parallel), 'evaluate · mlp · epochs 49/500 (3 folds at once)');
    const run = {
      id: 'r1',
      step: 'evaluate',
      status: 'running',
      candidate: 'mlp',
      folds: [0, 1].map((index) => ({ index })),
    };
    const ended = reduceActivity(parallel, { type: 'run/updated', run } as unknown as JobEvent);
    assert.equal(formatActivity(ended), 'evaluate · mlp · fold 3/5 · epoch 15/100');
    const done = reduceActivity(ended, {
      type: 'run/updated',
      run: { ...run, status: 'completed' },
    } as unknown as JobEvent);
    assert.equal(formatActivity(done), 'evaluate · mlp');
    assert.equal(done.training?.r1, undefined, 'an ended run leaves the map');
  });

  it('shows only the step before any fold starts, and no percentage without a total', () => {
    assert.equal(formatActivity({ step: 'define' }), 'define');
    assert.equal(percentDone({ step: 'define' }), undefined);
  });
});
