import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextTaskIndex } from '../../src/runner/pool';

/** Queued tasks as `<run>/<fold>` with `rows` training rows. */
function queue(...tasks: Array<[string, number]>) {
  return tasks.map(([taskId, rows]) => ({ task: { taskId, trainRows: new Array<number>(rows).fill(0) } }));
}

describe('nextTaskIndex', () => {
  it('starts the largest fold of the oldest run first (walk-forward folds grow)', () => {
    const folds = queue(['run-a/0', 66], ['run-a/1', 82], ['run-a/2', 99], ['run-a/3', 115]);
    const order: string[] = [];
    while (folds.length > 0) order.push(folds.splice(nextTaskIndex(folds), 1)[0].task.taskId);
    assert.deepEqual(order, ['run-a/3', 'run-a/2', 'run-a/1', 'run-a/0']);
  });

  it("keeps runs in queue order: a later run's larger fold waits", () => {
    assert.equal(nextTaskIndex(queue(['run-a/0', 10], ['run-a/1', 12], ['run-b/0', 500])), 1);
  });

  it('keeps queue order among equal folds, and says -1 for an empty queue', () => {
    assert.equal(nextTaskIndex(queue(['run-a/0', 50], ['run-a/1', 50], ['run-a/2', 50])), 0);
    assert.equal(nextTaskIndex([]), -1);
  });
});
