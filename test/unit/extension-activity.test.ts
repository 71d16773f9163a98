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
        logs: { loss: 0.3 },
      },
      { type: 'job/progress', done: 5, total: 20, message: 'mlp-small fold 3' },
      { type: 'log', level: 'info', message: 'ignored' },
    ];
    const activity = events.reduce<JobActivity>(reduceActivity, { step: 'all' });
    assert.equal(formatActivity(activity), 'evaluate · mlp-small · fold 3 · epoch 12/100');
    assert.equal(activity.backend, 'wasm');
    assert.equal(percentDone(activity), 25);
  });

  it('shows only the step before any fold starts, and no percentage without a total', () => {
    assert.equal(formatActivity({ step: 'define' }), 'define');
    assert.equal(percentDone({ step: 'define' }), undefined);
  });
});
