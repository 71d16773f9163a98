/**
 * A pool of worker child processes (`dist/worker.js`), each a real Node.js running one fold task at a time.
 * Tasks queue here; the pool keeps `size` workers busy, replaces a worker that dies, and cancels on request.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertNever } from '../core/assert';
import { TopdownError, toErrorInfo } from '../core/errors';
import type { BackendInfo, BackendName } from '../protocol/records';
import type { ErrorInfo } from '../protocol/errors';
import {
  RUNNER_PROTOCOL_VERSION,
  type FinalTask,
  type FoldTask,
  type FromWorker,
  type ToWorker,
  type WorkerOptions,
} from '../protocol/runner';
import type { EpochListener, FinalOutcome, PoolOptions, TaskOutcome, TaskPool } from './task-pool';

export type { EpochListener, FinalOutcome, PoolOptions, TaskOutcome } from './task-pool';

interface QueuedTask {
  task: FoldTask;
  /** A final fit: sent as final/run, answered by final/done. */
  final?: boolean;
  onEpoch?: EpochListener;
  resolve: (outcome: TaskOutcome | FinalOutcome) => void;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<BackendInfo>;
  current?: QueuedTask;
  exited: boolean;
  /** Said hello: a later exit is a crash mid-task, not a failure to start. */
  started: boolean;
}

/** How many of a worker's last stderr lines a crash report quotes. */
const STDERR_TAIL_LINES = 5;

/**
 * Where the worker entry is: beside the bundled CLI, or the TypeScript source under tsx (tests). A worker under
 * tsx spends about 2 s of CPU compiling its sources at start, so the test runner (scripts/run-tests.mjs) sets
 * TOPDOWN_BUILT_WORKER=1 when dist/worker.js is newer than every source file, and tests then fork that.
 */
function workerEntry(): { script: string; execArgv: string[] } {
  const bundled = join(__dirname, 'worker.js');
  if (__filename.endsWith('.js') && existsSync(bundled)) return { script: bundled, execArgv: [] };
  const source = join(__dirname, 'worker.ts');
  const built = join(__dirname, '..', '..', 'dist', 'worker.js');
  if (existsSync(source) && !(process.env.TOPDOWN_BUILT_WORKER === '1' && existsSync(built)))
    return { script: source, execArgv: ['--require', 'tsx/cjs'] };
  return { script: built, execArgv: [] };
}

/** The default pool size: one per core for wasm/cpu, one for tfjs-node (it is multithreaded itself). */
export function defaultPoolSize(backend: BackendName | 'auto', cores: number): number {
  if (backend === 'tensorflow' || backend === 'webgpu') return 1;
  return Math.max(1, cores);
}

/**
 * Which queued task a free worker takes next: the oldest run's task with the most training rows. Runs keep the
 * order they were queued in (the first candidate's folds first), and within a run the longest task starts
 * first, so that unequal folds (walk-forward training sets grow fold by fold) end close together instead of the
 * largest one starting last. Task ids are `<run id>/<fold>`.
 */
export function nextTaskIndex(
  queue: ReadonlyArray<{ task: { taskId: string; trainRows: unknown[] } }>,
): number {
  if (queue.length === 0) return -1;
  const runOf = (taskId: string): string => taskId.slice(0, taskId.lastIndexOf('/') + 1) || taskId;
  const run = runOf(queue[0].task.taskId);
  let chosen = 0;
  for (let index = 1; index < queue.length; index++) {
    const { task } = queue[index];
    if (runOf(task.taskId) === run && task.trainRows.length > queue[chosen].task.trainRows.length)
      chosen = index;
  }
  return chosen;
}

/** Runs fold tasks on local child processes: the default TaskPool. Dispose with close(). */
export class WorkerPool implements TaskPool {
  private readonly queue: QueuedTask[] = [];
  private readonly slots: Slot[] = [];
  private backendInfo?: BackendInfo;
  private closed = false;
  private pumpScheduled = false;
  /** Set when a worker could not start: every task fails with it instead of respawning forever. */
  private startError?: ErrorInfo;

  constructor(private readonly options: PoolOptions) {}

  /** The backend the workers loaded, once known. */
  get backend(): BackendInfo | undefined {
    return this.backendInfo;
  }

  /** Queues a task; resolves when it is done, failed or cancelled (never rejects). */
  run(task: FoldTask, onEpoch?: EpochListener): Promise<TaskOutcome> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ status: 'cancelled' });
        return;
      }
      // A fold task is answered by task/done only, so its outcome is always a TaskOutcome.
      this.queue.push({ task, onEpoch, resolve: resolve as QueuedTask['resolve'] });
      this.schedule();
    });
  }

  /** Queues step 5's final fit; resolves when it is done, failed or cancelled (never rejects). */
  runFinal(task: FinalTask, onEpoch?: EpochListener): Promise<FinalOutcome> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ status: 'cancelled' });
        return;
      }
      this.queue.push({ task, final: true, onEpoch, resolve: resolve as QueuedTask['resolve'] });
      this.schedule();
    });
  }

  /** Cancels queued tasks and asks running ones to stop at the next batch. */
  cancelAll(): void {
    for (const queued of this.queue.splice(0)) queued.resolve({ status: 'cancelled' });
    for (const slot of this.slots) {
      if (slot.current && !slot.exited)
        this.send(slot, { type: 'task/cancel', taskId: slot.current.task.taskId });
    }
  }

  /** Cancels the queued and running tasks whose id matches. */
  cancelWhere(predicate: (task: FoldTask) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (predicate(this.queue[i].task)) this.queue.splice(i, 1)[0].resolve({ status: 'cancelled' });
    }
    for (const slot of this.slots) {
      if (slot.current && !slot.exited && predicate(slot.current.task)) {
        this.send(slot, { type: 'task/cancel', taskId: slot.current.task.taskId });
      }
    }
  }

  /** Stops every worker: asks politely, then kills after `graceMs`. */
  async close(graceMs = 3000): Promise<void> {
    this.closed = true;
    this.cancelAll();
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.exited) return resolve();
            const timer = setTimeout(() => {
              slot.child.kill('SIGKILL');
            }, graceMs);
            slot.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (!slot.current) this.send(slot, { type: 'shutdown' });
          }),
      ),
    );
  }

  /**
   * Dispatches after the current tick: a job queues all its folds in one go, and nextTaskIndex chooses among
   * all of them rather than among the first few.
   */
  private schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.startError) {
      for (const queued of this.queue.splice(0)) queued.resolve({ status: 'failed', error: this.startError });
      return;
    }
    while (this.queue.length > 0) {
      let slot = this.slots.find((candidate) => !candidate.exited && !candidate.current);
      if (!slot) {
        const live = this.slots.filter((candidate) => !candidate.exited).length;
        if (live >= this.options.size) return;
        slot = this.spawn();
      }
      const next = this.queue.splice(nextTaskIndex(this.queue), 1)[0];
      slot.current = next;
      const chosen = slot;
      chosen.ready.then(
        () => {
          if (chosen.current === next && !chosen.exited)
            this.send(
              chosen,
              next.final
                ? { type: 'final/run', task: next.task as FinalTask }
                : { type: 'task/run', task: next.task },
            );
        },
        (error: unknown) => {
          this.startError ??= toErrorInfo(error);
          if (chosen.current === next) {
            chosen.current = undefined;
            next.resolve({ status: 'failed', error: this.startError });
          }
          this.pump();
        },
      );
    }
  }

  private spawn(): Slot {
    const { script, execArgv } = workerEntry();
    const workerOptions: WorkerOptions = {
      backend: this.options.backend,
      projectDir: this.options.projectDir,
    };
    const child = fork(script, [JSON.stringify(workerOptions)], {
      execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let resolveReady!: (info: BackendInfo) => void;
    let rejectReady!: (error: unknown) => void;
    const ready = new Promise<BackendInfo>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => undefined);
    const slot: Slot = { child, ready, exited: false, started: false };
    this.slots.push(slot);

    let stderrBuffer = '';
    // Worker output is verbose-only (drivers log there, e.g. Dawn's Vulkan notes); a crash quotes its last lines.
    const stderrTail: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderrBuffer += chunk;
      const lines = stderrBuffer.split('\n');
      stderrBuffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        this.options.onLog?.(line);
      }
    });

    child.on('message', (message: FromWorker) => this.onMessage(slot, message, resolveReady, rejectReady));
    // Without a listener, a failed IPC write would be an uncaught 'error' and take the whole job down.
    child.on('error', (error) => this.options.onLog?.(`worker ${child.pid}: ${error.message}`));
    child.on('exit', (code, signal) => {
      slot.exited = true;
      const crash = new TopdownError(
        'RUNNER_CRASHED',
        `The training process ${child.pid} stopped unexpectedly (${signal ?? `exit code ${code}`}).`,
        {
          hint: `${stderrTail.length > 0 ? `Its last output: ${stderrTail.join(' | ')}. ` : ''}If memory ran out, lower batchSize or the number of workers.`,
        },
      );
      rejectReady(crash);
      if (!slot.started) return; // the ready handler reports a failure to start
      const current = slot.current;
      slot.current = undefined;
      if (current) current.resolve({ status: 'failed', error: crash.toJSON() });
      if (!this.closed) this.pump();
    });
    return slot;
  }

  private onMessage(
    slot: Slot,
    message: FromWorker,
    resolveReady: (info: BackendInfo) => void,
    rejectReady: (error: unknown) => void,
  ): void {
    switch (message.type) {
      case 'hello':
        if (message.protocolVersion !== RUNNER_PROTOCOL_VERSION) {
          rejectReady(
            new TopdownError(
              'PROTOCOL_MISMATCH',
              `The training process speaks protocol ${message.protocolVersion}, this Topdown expects ${RUNNER_PROTOCOL_VERSION}.`,
              { hint: 'Rebuild Topdown (`npm run build`) so the CLI and worker come from the same version.' },
            ),
          );
          slot.child.kill();
          return;
        }
        if (!this.backendInfo) {
          this.backendInfo = message.backend;
          this.options.onBackend?.(message.backend);
        }
        slot.started = true;
        resolveReady(message.backend);
        return;
      case 'fatal':
        rejectReady(new TopdownError(message.error.code, message.error.message, message.error));
        return;
      case 'task/epoch':
        slot.current?.onEpoch?.(message.taskId, message.foldIndex, message.epoch, message.logs);
        return;
      case 'task/done':
        this.finish(slot, { status: 'done', result: message.result });
        return;
      case 'final/done':
        this.finish(slot, { status: 'done', result: message.result });
        return;
      case 'task/failed':
        this.finish(slot, { status: 'failed', error: message.error });
        return;
      case 'task/cancelled':
        this.finish(slot, { status: 'cancelled' });
        return;
      default:
        assertNever(message);
    }
  }

  private finish(slot: Slot, outcome: TaskOutcome | FinalOutcome): void {
    const current = slot.current;
    slot.current = undefined;
    current?.resolve(outcome);
    if (this.closed && !slot.exited) this.send(slot, { type: 'shutdown' });
    else this.pump();
  }

  private send(slot: Slot, message: ToWorker): void {
    if (slot.exited || !slot.child.connected) return;
    // A worker can die between the check and the write (EPIPE); its exit handler reports that, so the write
    // error itself is only swallowed here.
    slot.child.send(message, (error) => {
      if (error) this.options.onLog?.(`worker ${slot.child.pid}: ${error.message}`);
    });
  }
}
