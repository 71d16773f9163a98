/**
 * The orchestrator's side of the queue: a session (one connection per command) and, per job, a TaskPool whose
 * tasks run on `topdown worker` processes anywhere, through BullMQ on Redis. The project travels by content (manifest.ts);
 * epochs come back as BullMQ progress events, results as return values. The orchestrator keeps a heartbeat
 * key alive while it runs: workers drop the tasks of a job whose heartbeat expired, so a killed orchestrator
 * leaves nothing to train for nobody. Job ids are unique per session, so a rerun never sees stale results.
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { TopdownError, toErrorInfo } from '../../core/errors';
import type { ErrorInfo } from '../../protocol/errors';
import {
  QUEUE_NAME,
  QUEUE_PREFIX,
  QUEUE_PROTOCOL_VERSION,
  queueKeys,
  type ProjectManifest,
  type QueueProgress,
  type QueueTaskAnswer,
  type QueueTaskData,
} from '../../protocol/queue';
import type { BackendInfo } from '../../protocol/records';
import type { FinalTask, FoldTask, FoldTaskResult } from '../../protocol/runner';
import { assertNever } from '../../core/assert';
import { loadProject, type Project } from '../../core/project';
import { nextTaskIndex } from '../pool';
import type { EpochListener, FinalOutcome, PoolOptions, TaskOutcome, TaskPool } from '../task-pool';
import { connectRedis, redisOptions, unreachable, type QueueTarget, type RedisClient } from './connection';
import { ContentStore, writeReturnedFiles } from './content';
import { buildManifest } from './manifest';

/** Options of a queue session: where Redis is, and how a job learns that it is gone. */
export interface QueueSessionOptions extends QueueTarget {
  /** Largest file kept in Redis (bytes). */
  inlineLimit?: number;
  /** Heartbeat period; the key lives five periods. */
  heartbeatMs?: number;
  /** Redis unanswered this long mid-job: the job stops with QUEUE_LOST. */
  lossMs?: number;
  /** Session-level lines (no worker connected yet). */
  onLog?: (line: string) => void;
}

/**
 * One orchestrator's connection to the queue, opened once per command before any run is recorded (so an
 * unreachable Redis fails the command cleanly) and shared by the pools of its steps. Routes BullMQ's events to
 * the pool whose task they concern.
 */
export class QueueSession {
  /** Pools by their job id (the prefix of their tasks' BullMQ ids). */
  private readonly pools = new Map<string, RemotePool>();

  private constructor(
    readonly options: QueueSessionOptions,
    readonly redis: RedisClient,
    readonly queue: Queue<QueueTaskData, QueueTaskAnswer>,
    private readonly events: QueueEvents,
    readonly store: ContentStore,
  ) {}

  /** Connects; QUEUE_UNREACHABLE naming the URL (password hidden) when Redis cannot be reached. */
  static async open(options: QueueSessionOptions): Promise<QueueSession> {
    const redis = await connectRedis(options.connection);
    const connection = redisOptions(options.connection);
    const queue = new Queue<QueueTaskData, QueueTaskAnswer>(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    const store = new ContentStore(redis, { sharedDir: options.sharedDir, inlineLimit: options.inlineLimit });
    const session = new QueueSession(options, redis, queue, events, store);
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (error) {
      await session.close();
      throw unreachable(options.connection, error);
    }
    session.listen();
    const workers = await queue.getWorkersCount().catch(() => 1);
    if (workers === 0)
      options.onLog?.(
        `No worker is connected to ${options.connection.display} yet: tasks wait until one starts (topdown worker --queue <url>).`,
      );
    return session;
  }

  /** A pool for one job (the TaskPool factory of `JobOptions.createPool`). */
  createPool(options: PoolOptions): RemotePool {
    const pool = new RemotePool(this, options, (id) => this.pools.delete(id));
    this.pools.set(pool.jobId, pool);
    return pool;
  }

  /** Closes every pool and the connections. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    const lost = this.redis.status !== 'ready';
    // With Redis gone, BullMQ's close would wait for a reconnect that may never come.
    const closing = Promise.all([this.events.close(), this.queue.close()]).catch(() => undefined);
    // The bound must not keep the process alive once closing is done (it used to hold every queued command's exit 5 s).
    await Promise.race([closing, sleep(lost ? 500 : 5000, { unref: true })]);
    if (lost) this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private route(bullId: string): RemotePool | undefined {
    return this.pools.get(bullId.slice(0, bullId.lastIndexOf('-')));
  }

  private listen(): void {
    this.events.on('progress', ({ jobId, data }) =>
      this.route(jobId)?.onProgress(jobId, data as QueueProgress),
    );
    this.events.on('completed', ({ jobId, returnvalue }) =>
      this.route(jobId)?.onCompleted(jobId, returnvalue as QueueTaskAnswer),
    );
    this.events.on('failed', ({ jobId, failedReason }) => this.route(jobId)?.onFailed(jobId, failedReason));
  }
}

interface Pending {
  task: FoldTask;
  final: boolean;
  bullId: string;
  onEpoch?: EpochListener;
  resolve: (outcome: TaskOutcome | FinalOutcome) => void;
  /** Highest attempt seen (1 = first). */
  attempt: number;
  queued: boolean;
}

/**
 * The TaskPool of one job on queue workers (made by QueueSession.createPool). Its job id is unique per session,
 * so no answer of an earlier run can reach it; its heartbeat key tells workers that someone still waits.
 */
export class RemotePool implements TaskPool {
  /** The job: every task's BullMQ id starts with it, its heartbeat and cancel keys are named after it. */
  readonly jobId = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  private readonly pending = new Map<string, Pending>();
  private readonly manifests = new Map<string, Promise<ProjectManifest>>();
  private project?: Promise<Project>;
  private toAdd: Pending[] = [];
  private sequence = 0;
  private backendInfo?: BackendInfo;
  private lost?: ErrorInfo;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private lastBeat = Date.now();

  constructor(
    private readonly session: QueueSession,
    private readonly options: PoolOptions,
    private readonly onClosed: (jobId: string) => void,
  ) {
    void this.beat().catch(() => undefined);
    const period = session.options.heartbeatMs ?? 1000;
    const lossMs = session.options.lossMs ?? 10_000;
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastBeat > lossMs) return this.lose();
      this.beat().catch(() => undefined);
    }, period);
    this.heartbeat.unref();
  }

  /** The backend of the first worker that answered, once known. */
  get backend(): BackendInfo | undefined {
    return this.backendInfo;
  }

  /** Set when Redis was lost mid-job (QUEUE_LOST, naming the URL). */
  get failure(): ErrorInfo | undefined {
    return this.lost;
  }

  /** Queues a fold task; resolves when it is done, failed or cancelled (never rejects). */
  run(task: FoldTask, onEpoch?: EpochListener): Promise<TaskOutcome> {
    return this.enqueue(task, false, onEpoch) as Promise<TaskOutcome>;
  }

  /** Queues step 5's final fit; its files are written to the task's outputDir here. */
  runFinal(task: FinalTask, onEpoch?: EpochListener): Promise<FinalOutcome> {
    return this.enqueue(task, true, onEpoch) as Promise<FinalOutcome>;
  }

  /** Removes the queued tasks and asks every worker to stop the running ones at the next batch. */
  cancelAll(): void {
    this.cancel(() => true, true);
  }

  /** Cancels the queued and running tasks that match. */
  cancelWhere(predicate: (task: FoldTask) => boolean): void {
    this.cancel(predicate, false);
  }

  /** Cancels what is left, waits up to `graceMs` for running tasks to stop, then ends the heartbeat. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelAll();
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline && !this.lost) await sleep(50);
    for (const entry of [...this.pending.values()]) this.settle(entry, { status: 'cancelled' });
    clearInterval(this.heartbeat);
    if (!this.lost) await this.session.redis.del(queueKeys.alive(this.jobId)).catch(() => undefined);
    this.onClosed(this.jobId);
  }

  private cancel(predicate: (task: FoldTask) => boolean, all: boolean): void {
    for (const entry of this.toAdd.filter((candidate) => predicate(candidate.task)))
      this.settle(entry, { status: 'cancelled' });
    this.toAdd = this.toAdd.filter((entry) => this.pending.has(entry.bullId));
    const chosen = [...this.pending.values()].filter((entry) => predicate(entry.task));
    if (chosen.length === 0) return;
    const { redis, queue } = this.session;
    const key = queueKeys.cancel(this.jobId);
    const members = all ? ['*'] : chosen.map((entry) => entry.task.taskId);
    void redis
      .sadd(key, ...members)
      .then(() => redis.expire(key, 24 * 3600))
      .catch(() => undefined);
    for (const entry of chosen) {
      if (!entry.queued) continue;
      // A waiting task is removed (1); an active one is locked (0) and stops at its worker's next batch.
      void queue
        .remove(entry.bullId)
        .then((removed) => {
          if (removed === 1) this.settle(entry, { status: 'cancelled' });
        })
        .catch(() => undefined);
    }
  }

  private enqueue(
    task: FoldTask,
    final: boolean,
    onEpoch?: EpochListener,
  ): Promise<TaskOutcome | FinalOutcome> {
    return new Promise((resolve) => {
      if (this.lost) return resolve({ status: 'failed', error: this.lost });
      if (this.closed) return resolve({ status: 'cancelled' });
      const bullId = `${this.jobId}-${++this.sequence}`;
      const entry: Pending = { task, final, bullId, onEpoch, resolve, attempt: 1, queued: false };
      this.pending.set(bullId, entry);
      this.toAdd.push(entry);
      // A job queues all its tasks in one tick: add them in one round trip, in the local pool's order.
      if (this.toAdd.length === 1) queueMicrotask(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.toAdd.splice(0);
    const ordered: Pending[] = [];
    while (batch.length > 0) ordered.push(batch.splice(nextTaskIndex(batch), 1)[0]);
    try {
      const jobs = [];
      for (const entry of ordered) {
        const data: QueueTaskData = {
          protocolVersion: QUEUE_PROTOCOL_VERSION,
          jobId: this.jobId,
          kind: entry.final ? 'final' : 'fold',
          task: { ...entry.task, projectDir: '' },
          manifest: await this.manifestFor(entry.task),
        };
        const opts = { jobId: entry.bullId, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } };
        if (this.pending.has(entry.bullId)) jobs.push({ name: entry.task.taskId, data, opts });
      }
      await this.session.queue.addBulk(jobs);
      for (const entry of ordered) entry.queued = true;
    } catch (error) {
      const info =
        error instanceof TopdownError
          ? error.toJSON()
          : unreachable(this.session.options.connection, error).toJSON();
      for (const entry of ordered) this.settle(entry, { status: 'failed', error: info });
    }
  }

  /** The manifest of the project with the task's custom module, stored once per module set. */
  private manifestFor(task: FoldTask): Promise<ProjectManifest> {
    const candidate = task.candidate as { model: string; module?: unknown };
    const modules =
      candidate.model === 'custom' && typeof candidate.module === 'string' ? [candidate.module] : [];
    const key = modules.join('\n');
    let manifest = this.manifests.get(key);
    if (!manifest) {
      this.project ??= loadProject(this.options.projectDir, { validatedHash: task.projectHash });
      const { store, options } = this.session;
      manifest = this.project.then((project) => buildManifest(project, modules, store, options.sharedDir));
      this.manifests.set(key, manifest);
    }
    return manifest;
  }

  /** A task's epoch (from the session's event stream). */
  onProgress(bullId: string, progress: QueueProgress): void {
    const entry = this.pending.get(bullId);
    if (!entry || progress?.type !== 'epoch') return;
    this.noteAttempt(entry, progress.attempt);
    entry.onEpoch?.(entry.task.taskId, progress.foldIndex, progress.epoch, progress.logs);
  }

  /** A task's answer. */
  onCompleted(bullId: string, answer: QueueTaskAnswer): void {
    const entry = this.pending.get(bullId);
    if (entry) void this.complete(entry, answer);
  }

  /** BullMQ gave a task up (its workers died on it more often than allowed). */
  onFailed(bullId: string, reason: string): void {
    const entry = this.pending.get(bullId);
    if (!entry) return;
    const error = new TopdownError(
      'RUNNER_CRASHED',
      `The task ${entry.task.taskId} failed on the queue: ${reason}`,
      { hint: 'Its workers stopped while running it more than once; see their logs (memory?).' },
    );
    this.settle(entry, { status: 'failed', error: error.toJSON() });
  }

  private noteAttempt(entry: Pending, attempt: number | undefined): void {
    if (attempt === undefined || attempt <= entry.attempt) return;
    entry.attempt = attempt;
    this.options.onLog?.(
      `${entry.task.taskId}: its worker stopped or died mid-task; started again on another worker (attempt ${attempt}).`,
    );
  }

  private async complete(entry: Pending, answer: QueueTaskAnswer): Promise<void> {
    if (answer.kind === 'done' || answer.kind === 'final') {
      this.noteAttempt(entry, answer.attempt);
      if (answer.backend && !this.backendInfo) {
        this.backendInfo = answer.backend;
        this.options.onBackend?.(answer.backend);
      }
    }
    switch (answer.kind) {
      case 'done': {
        const result: FoldTaskResult = { ...answer.result, taskId: entry.task.taskId };
        if (entry.attempt > 1) result.attempts = entry.attempt;
        return this.settle(entry, { status: 'done', result });
      }
      case 'final':
        try {
          await writeReturnedFiles(this.session.store, answer.files, (entry.task as FinalTask).outputDir);
          return this.settle(entry, {
            status: 'done',
            result: { ...answer.result, taskId: entry.task.taskId },
          });
        } catch (error) {
          return this.settle(entry, { status: 'failed', error: toErrorInfo(error) });
        }
      case 'failed':
        return this.settle(entry, { status: 'failed', error: answer.error });
      case 'cancelled':
      case 'dropped':
        return this.settle(entry, { status: 'cancelled' });
      default:
        assertNever(answer);
    }
  }

  private settle(entry: Pending, outcome: TaskOutcome | FinalOutcome): void {
    if (!this.pending.delete(entry.bullId)) return;
    entry.resolve(outcome);
  }

  /** Refreshes the heartbeat key; workers drop this job's tasks once it expires. */
  private async beat(): Promise<void> {
    const ttl = 5 * (this.session.options.heartbeatMs ?? 1000);
    await this.session.redis.set(queueKeys.alive(this.jobId), '1', 'PX', ttl);
    this.lastBeat = Date.now();
  }

  /** Redis went away mid-job: every task fails with QUEUE_LOST, naming the URL. */
  private lose(): void {
    if (this.lost) return;
    const error = new TopdownError(
      'QUEUE_LOST',
      `Lost the connection to Redis at ${this.session.options.connection.display} mid-job.`,
      { hint: 'Check that Redis is running there, then run the step again; its runs read interrupted.' },
    );
    this.lost = error.toJSON();
    clearInterval(this.heartbeat);
    for (const entry of [...this.pending.values()])
      this.settle(entry, { status: 'failed', error: this.lost });
  }
}

function sleep(ms: number, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (options.unref) timer.unref();
  });
}
