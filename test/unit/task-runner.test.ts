/**
 * The task runner every training step shares, over a scripted TaskPool (the seam a remote queue plugs into):
 * groups that stand or fall together, epoch events, the abort signal, and the one FoldTaskResult → FoldRecord
 * conversion.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TopdownError } from '../../src/core/errors';
import type { RunStore } from '../../src/core/runs/store';
import type { ErrorInfo } from '../../src/protocol/errors';
import type { JobEvent } from '../../src/protocol/host';
import type { RunEvent } from '../../src/protocol/records';
import type { FinalTask, FoldTask, FoldTaskResult } from '../../src/protocol/runner';
import { foldRecordOf } from '../../src/runner/jobs/candidates';
import { finishRecord, type JobOptions } from '../../src/runner/jobs/common';
import { withTaskRunner } from '../../src/runner/jobs/task-runner';
import type {
  EpochListener,
  FinalOutcome,
  PoolOptions,
  TaskOutcome,
  TaskPool,
} from '../../src/runner/task-pool';
import { makeRecord } from '../fixtures/project/run-records';

/** A pool whose tasks end when the test says so; it remembers what was submitted and cancelled. */
class ScriptedPool implements TaskPool {
  backend = undefined;
  readonly submitted: string[] = [];
  readonly cancelled: string[] = [];
  readonly listeners = new Map<string, EpochListener | undefined>();
  closed = false;
  private readonly waiting = new Map<string, (outcome: TaskOutcome) => void>();

  constructor(readonly options: PoolOptions) {}

  run(task: FoldTask, onEpoch?: EpochListener): Promise<TaskOutcome> {
    this.submitted.push(task.taskId);
    this.listeners.set(task.taskId, onEpoch);
    return new Promise((resolve) => this.waiting.set(task.taskId, resolve));
  }
  runFinal(task: FinalTask, onEpoch?: EpochListener): Promise<FinalOutcome> {
    return this.run(task, onEpoch) as Promise<FinalOutcome>;
  }
  /** Ends a task as the test says. */
  end(taskId: string, outcome: TaskOutcome): void {
    const resolve = this.waiting.get(taskId)!;
    this.waiting.delete(taskId);
    resolve(outcome);
  }
  cancelAll(): void {
    this.cancelWhere(() => true);
  }
  cancelWhere(predicate: (task: FoldTask) => boolean): void {
    for (const taskId of [...this.waiting.keys()]) {
      if (!predicate({ taskId } as FoldTask)) continue;
      this.cancelled.push(taskId);
      this.end(taskId, { status: 'cancelled' });
    }
  }
  close(): Promise<void> {
    this.closed = true;
    this.cancelAll();
    return Promise.resolve();
  }
}

function task(taskId: string): FoldTask {
  return {
    taskId,
    projectDir: '/p',
    candidate: { name: 'c', model: 'baseline' },
    foldIndex: 0,
    trainRows: [],
    validationRows: [],
    seed: 1,
  };
}

function harness(signal?: AbortSignal) {
  const events: JobEvent[] = [];
  const appended: Array<{ runId: string; events: RunEvent[] }> = [];
  const store = {
    appendEvents: (runId: string, batch: RunEvent[]) => appended.push({ runId, events: [...batch] }),
  };
  let pool: ScriptedPool | undefined;
  const options: JobOptions = {
    backend: 'cpu',
    reporter: { emit: (event) => events.push(event) },
    signal,
    createPool: (poolOptions) => (pool = new ScriptedPool(poolOptions)),
  };
  const setup = { store: store as unknown as RunStore, projectDir: '/p', backend: 'cpu' as const, size: 2 };
  return { events, appended, options, setup, pool: () => pool! };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TaskRunner', () => {
  it('runs on the pool JobOptions.createPool makes, sized as the job says, and closes it at the end', async () => {
    const { options, setup, pool } = harness();
    await withTaskRunner({ ...setup, size: 3 }, options, async () => undefined);
    assert.equal(pool().options.size, 3);
    assert.equal(pool().closed, true);
  });

  it('cancels the rest of a group when one task fails, and leaves other groups running', async () => {
    const { options, setup, pool } = harness();
    await withTaskRunner(setup, options, async (runner) => {
      const groupA = runner.group([task('a/0'), task('a/1'), task('a/2')], (t) => runner.pool.run(t));
      const groupB = runner.group([task('b/0')], (t) => runner.pool.run(t));
      await settle();
      pool().end('a/1', { status: 'failed', error: { code: 'INTERNAL', message: 'boom' } });
      const outcomes = await groupA;
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ['cancelled', 'failed', 'cancelled'],
      );
      assert.deepEqual(pool().cancelled.sort(), ['a/0', 'a/2']);
      pool().end('b/0', { status: 'cancelled' });
      assert.deepEqual(
        (await groupB).map((outcome) => outcome.status),
        ['cancelled'],
      );
    });
  });

  it('cancels every task when the job is aborted, and stops listening afterwards', async () => {
    const controller = new AbortController();
    const { options, setup, pool } = harness(controller.signal);
    const outcomes = await withTaskRunner(setup, options, async (runner) => {
      const group = runner.group([task('a/0'), task('b/0')], (t) => runner.pool.run(t));
      await settle();
      controller.abort();
      return group;
    });
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['cancelled', 'cancelled'],
    );
    assert.deepEqual(pool().cancelled, ['a/0', 'b/0']);
  });

  it("records each epoch in the run's events and reports it, under the target's fold when it names one", async () => {
    const { options, setup, events, appended, pool } = harness();
    const heard: number[] = [];
    await withTaskRunner(setup, options, async (runner) => {
      const listener = runner.epochListener({
        runId: 'run-1',
        candidate: 'mlp',
        epochs: 5,
        fold: 2,
        onLogs: (fold) => heard.push(fold),
      });
      const pending = runner.pool.run(task('run-1/final/2'), listener);
      pool().listeners.get('run-1/final/2')!('run-1/final/2', 0, 3, { loss: 0.5 });
      pool().end('run-1/final/2', { status: 'cancelled' });
      await pending;
    });
    assert.deepEqual(heard, [2]);
    const epoch = events.find((event) => event.type === 'run/epoch');
    assert.deepEqual(epoch, {
      type: 'run/epoch',
      runId: 'run-1',
      candidate: 'mlp',
      fold: 2,
      epoch: 3,
      epochs: 5,
      logs: { loss: 0.5 },
    });
    // Buffered, then written once when the runner ends.
    assert.equal(appended.length, 1);
    assert.equal(appended[0].runId, 'run-1');
    assert.deepEqual(
      appended[0].events.map((event) => (event.type === 'epoch' ? [event.fold, event.epoch] : event.type)),
      [[2, 3]],
    );
  });

  it('reports the backend the first worker loaded as the job describes it', async () => {
    const { options, setup, events, pool } = harness();
    const backend = await withTaskRunner(
      { ...setup, describeBackend: (info) => ({ ...info, reasons: [...info.reasons, 'probed'] }) },
      options,
      async (runner) => {
        pool().options.onBackend!({ name: 'wasm', reasons: ['fast'] });
        pool().options.onLog!(`Couldn't load Vulkan: libvulkan.so.1`);
        return runner.backend;
      },
    );
    assert.deepEqual(backend, { name: 'wasm', reasons: ['fast', 'probed'] });
    assert.deepEqual(events, [
      { type: 'job/backend', backend: { name: 'wasm', reasons: ['fast', 'probed'] } },
      // Worker stderr (drivers' notes such as Dawn's) is shown with --verbose only, not as a warning.
      { type: 'log', level: 'info', message: `worker: Couldn't load Vulkan: libvulkan.so.1` },
    ]);
  });
});

describe('TaskRunner on a full disk', () => {
  it('ends the job with DISK_FULL when the flush timer cannot write events, and cancels its tasks', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const { options, setup, pool } = harness();
    const full = new TopdownError('DISK_FULL', 'Could not write runs/run-1/events.jsonl: the disk is full.');
    const store = {
      appendEvents: () => {
        throw full;
      },
    } as unknown as RunStore;
    const outcomes: string[] = [];
    await assert.rejects(
      withTaskRunner({ ...setup, store }, options, async (runner) => {
        const listener = runner.epochListener({ runId: 'run-1', candidate: 'mlp', epochs: 5 });
        const pending = runner.pool.run(task('run-1/0'), listener);
        pool().listeners.get('run-1/0')!('run-1/0', 0, 0, { loss: 0.5 });
        t.mock.timers.tick(500); // the flush timer fires: its write fails without throwing from the timer
        outcomes.push((await pending).status);
      }),
      (error) => error === full,
    );
    assert.deepEqual(outcomes, ['cancelled']);
    assert.deepEqual(pool().cancelled, ['run-1/0']);
  });
});

describe('foldRecordOf', () => {
  it("is the worker's fold result under its fold index, without what only the orchestrator reads", () => {
    const fields = {
      score: 0.9,
      metrics: { accuracy: 0.9 },
      confusion: [[1]],
      trainSize: 10,
      validationSize: 4,
      epochs: 2,
      durationMs: 7,
      lastLogs: { loss: 0.1 },
    };
    const result: FoldTaskResult = {
      taskId: 'run-1/3',
      foldIndex: 3,
      ...fields,
      predictions: [1, 0],
      truth: [1, 1],
    };
    assert.deepEqual(foldRecordOf(result), { index: 3, ...fields });
    const bare = foldRecordOf({ ...result, confusion: undefined, lastLogs: undefined });
    assert.deepEqual(Object.keys(bare).sort(), [
      'durationMs',
      'epochs',
      'index',
      'metrics',
      'score',
      'trainSize',
      'validationSize',
    ]);
  });
});

describe('finishRecord', () => {
  it('gives a failed run no summary score, even when some of its folds finished', () => {
    const folds = [0.8, 0.9].map((score, index) => ({
      index,
      score,
      metrics: { accuracy: score },
      trainSize: 10,
      validationSize: 5,
      epochs: 1,
      durationMs: 1,
    }));
    const crashed: ErrorInfo = { code: 'RUNNER_CRASHED', message: 'The training process stopped (SIGKILL).' };
    const failed = finishRecord(makeRecord({ id: 'run-f', status: 'running', folds }), 'failed', crashed);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.summary, undefined);
    assert.deepEqual(failed.error, crashed);
    const completed = finishRecord(makeRecord({ id: 'run-c', status: 'running', folds }), 'completed');
    assert.ok(Math.abs(completed.summary!.mean - 0.85) < 1e-12);
  });
});
