/** The `topdown.queue` setting turned into CLI flags for the steps that train. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { queueFlags } from '../../src/extension/jobs/queueFlags';

describe('queueFlags', () => {
  it('sends evaluate, improve, present and all to the queue, with the shared folder when set', () => {
    for (const step of ['evaluate', 'improve', 'present', 'all'] as const)
      assert.deepEqual(queueFlags(step, ' redis://h:6379 ', '/mnt/shared'), [
        '--queue',
        'redis://h:6379',
        '--queue-data',
        '/mnt/shared',
      ]);
    assert.deepEqual(queueFlags('evaluate', 'redis://h:6379', ''), ['--queue', 'redis://h:6379']);
  });

  it('adds nothing when the setting is empty or the step trains nothing', () => {
    assert.deepEqual(queueFlags('evaluate', '  ', '/mnt/shared'), []);
    assert.deepEqual(queueFlags('define', 'redis://h:6379', ''), []);
    assert.deepEqual(queueFlags('prepare', 'redis://h:6379', ''), []);
  });
});
