/**
 * The orchestrator's side of the queue: a pool with the local WorkerPool's interface whose tasks run on
 * `topdown worker` processes anywhere, through BullMQ on Redis. The project travels by content (manifest.ts);
 * epochs come back as BullMQ progress events, results as return values. The orchestrator keeps a heartbeat
 * key alive while it runs: workers drop the tasks of a job whose heartbeat expired, so a killed orchestrator
 * leaves nothing to train for nobody. Job ids are unique per session, so a rerun never sees stale results.
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { TopdownError, toErrorInfo } from '../../core/errors';
import type { Project } from '../../core/project';
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
import type { FinalTask, FinalTaskResult, FoldTask, FoldTaskResult } from '../../protocol/runner';
import { nextTaskIndex, type EpochListener, type FinalOutcome, type TaskOutcome } from '../pool';
import {
  connectRedis,
  redisOptions,
  unreachable,
  type QueueConnection,
  type RedisClient,
} from './connection';
import { ContentStore, writeReturnedFiles } from './content';
import { buildManifest } from './manifest';

/** Options of a remote pool. */
export interface RemotePoolOptions {
  connection: QueueConnection;
  project: Project;
  /** The shared folder for files larger than Redis takes (as this machine mounts it). */
  sharedDir?: string;
  /** Largest file kept in Redis (bytes). */
  inlineLimit?: number;
  /** Called once, with the backend of the first worker that answered. */
  onBackend?: (info: BackendInfo) => void;
  onLog?: (line: string) => void;
  /** A task was started again after its worker stopped answering (attempt 2, 3…). */
  onRetry?: (taskId: string, attempt: number) => void;
  /** Heartbeat period; the key lives five periods. */
  heartbeatMs?: number;
  /** Redis unanswered this long mid-job: the job stops with QUEUE_LOST. */
  lossMs?: number;
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

/** A pool whose tasks run on queue workers. Open with RemotePool.open(); dispose with close(). */
export class RemotePool {
  /** The orchestrator job: every task's BullMQ id starts with it. */
  readonly jobId = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  private readonly pending = new Map<string, Pending>();
  private readonly manifests = new Map<string, Promise<ProjectManifest>>();
  private toAdd: Pending[] = [];
  private sequence = 0;
  private backendInfo?: BackendInfo;
  private lost?: ErrorInfo;
  private closed = false;
  private heartbeat?: NodeJS.Timeout;
  private lastBeat = Date.now();

  private constructor(
    private readonly options: RemotePoolOptions,
    private readonly redis: RedisClient,
    private readonly queue: Queue<QueueTaskData, QueueTaskAnswer>,
    private readonly events: QueueEvents,
    private readonly store: ContentStore,
  ) {}

  /** Connects (QUEUE_UNREACHABLE naming the URL when Redis cannot be reached) and starts the heartbeat. */
  static async open(options: RemotePoolOptions): Promise<RemotePool> {
    const redis = await connectRedis(options.connection);
    const connection = redisOptions(options.connection);
    const queue = new Queue<QueueTaskData, QueueTaskAnswer>(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    const store = new ContentStore(redis, { sharedDir: options.sharedDir, inlineLimit: options.inlineLimit });
    const pool = new RemotePool(options, redis, queue, events, store);
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      await pool.beat();
    } catch (error) {
      await pool.shutdown();
      throw unreachable(options.connection, error);
    }
    pool.listen();
    pool.startHeartbeat();
    const workers = await queue.getWorkersCount().catch(() => 1);
    if (workers === 0)
      options.onLog?.(
        `No worker is connected to ${options.connection.display} yet: tasks wait until one starts (topdown worker --queue <url>).`,
      );
    return pool;
  }

  /** The backend of the first worker that answered, once known. */
  get backend(): BackendInfo | undefined {
    return this.backendInfo;
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
    this.cancelWhere(() => true, true);
  }

  /** Cancels the queued and running tasks that match. */
  cancelWhere(predicate: (task: FoldTask) => boolean, all = false): void {
    const chosen = [...this.pending.values()].filter((entry) => predicate(entry.task));
    for (const entry of this.toAdd.filter((candidate) => predicate(candidate.task)))
      this.settle(entry, { status: 'cancelled' });
    this.toAdd = this.toAdd.filter((entry) => this.pending.has(entry.bullId));
    if (chosen.length === 0) return;
    const members = all ? ['*'] : chosen.map((entry) => entry.task.taskId);
    const key = queueKeys.cancel(this.jobId);
    void this.redis
      .sadd(key, ...members)
      .then(() => this.redis.expire(key, 24 * 3600))
      .catch(() => undefined);
    for (const entry of chosen) {
      if (!entry.queued) continue;
      // A waiting task is removed (1); an active one is locked (0) and stops at its worker's next batch.
      void this.queue
        .remove(entry.bullId)
        .then((removed) => {
          if (removed === 1) this.settle(entry, { status: 'cancelled' });
        })
        .catch(() => undefined);
    }
  }

  /** Cancels what is left, waits up to `graceMs` for running tasks to stop, then disconnects. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelAll();
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline && !this.lost) await sleep(50);
    for (const entry of [...this.pending.values()]) this.settle(entry, { status: 'cancelled' });
    await this.shutdown();
  }

  private async shutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (!this.lost) await this.redis.del(queueKeys.alive(this.jobId)).catch(() => undefined);
    // With Redis gone, BullMQ's close would wait for a reconnect that may never come.
    const closing = Promise.all([this.events.close(), this.queue.close()]).catch(() => undefined);
    await Promise.race([closing, sleep(this.lost ? 500 : 5000)]);
    if (this.lost) this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
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
        jobs.push({
          name: entry.task.taskId,
          data,
          opts: { jobId: entry.bullId, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
        });
      }
      const live = ordered.filter((entry) => this.pending.has(entry.bullId));
      await this.queue.addBulk(jobs.filter((job) => this.pending.has(job.opts.jobId)));
      for (const entry of live) entry.queued = true;
    } catch (error) {
      const info =
        error instanceof TopdownError ? error.toJSON() : unreachable(this.options.connection, error).toJSON();
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
      manifest = buildManifest(this.options.project, modules, this.store, this.options.sharedDir);
      this.manifests.set(key, manifest);
    }
    return manifest;
  }

  private listen(): void {
    this.events.on('progress', ({ jobId, data }) => {
      const entry = this.pending.get(jobId);
      const progress = data as unknown as QueueProgress;
      if (!entry || progress?.type !== 'epoch') return;
      this.noteAttempt(entry, progress.attempt);
      entry.onEpoch?.(entry.task.taskId, progress.foldIndex, progress.epoch, progress.logs);
    });
    this.events.on('completed', ({ jobId, returnvalue }) => {
      const entry = this.pending.get(jobId);
      if (entry) void this.complete(entry, returnvalue as unknown as QueueTaskAnswer);
    });
    this.events.on('failed', ({ jobId, failedReason }) => {
      const entry = this.pending.get(jobId);
      if (!entry) return;
      const error = new TopdownError(
        'RUNNER_CRASHED',
        `The task ${entry.task.taskId} failed on the queue: ${failedReason}`,
        {
          hint: 'Its workers stopped while running it more than once; see their logs (memory?).',
        },
      );
      this.settle(entry, { status: 'failed', error: error.toJSON() });
    });
  }

  private noteAttempt(entry: Pending, attempt: number | undefined): void {
    if (attempt === undefined || attempt <= entry.attempt) return;
    entry.attempt = attempt;
    this.options.onLog?.(
      `${entry.task.taskId}: its worker stopped answering; retried on another worker (attempt ${attempt}).`,
    );
    this.options.onRetry?.(entry.task.taskId, attempt);
  }

  private async complete(entry: Pending, answer: QueueTaskAnswer): Promise<void> {
    switch (answer.kind) {
      case 'done':
      case 'final': {
        this.noteAttempt(entry, answer.attempt);
        if (answer.backend && !this.backendInfo) {
          this.backendInfo = answer.backend;
          this.options.onBackend?.(answer.backend);
        }
        if (answer.kind === 'done') {
          const result: FoldTaskResult = { ...answer.result, taskId: entry.task.taskId };
          if (entry.attempt > 1) result.attempts = entry.attempt;
          return this.settle(entry, { status: 'done', result });
        }
        try {
          await writeReturnedFiles(this.store, answer.files, (entry.task as FinalTask).outputDir);
          const result: FinalTaskResult = { ...answer.result, taskId: entry.task.taskId };
          return this.settle(entry, { status: 'done', result });
        } catch (error) {
          return this.settle(entry, { status: 'failed', error: toErrorInfo(error) });
        }
      }
      case 'failed':
        return this.settle(entry, { status: 'failed', error: answer.error });
      case 'cancelled':
      case 'dropped':
        return this.settle(entry, { status: 'cancelled' });
      default:
        return this.settle(entry, { status: 'failed', error: toErrorInfo(new Error('unknown answer')) });
    }
  }

  private settle(entry: Pending, outcome: TaskOutcome | FinalOutcome): void {
    if (!this.pending.delete(entry.bullId)) return;
    entry.resolve(outcome);
  }

  /** Refreshes the heartbeat key; workers drop this job's tasks once it expires. */
  private async beat(): Promise<void> {
    const ttl = 5 * (this.options.heartbeatMs ?? 1000);
    await this.redis.set(queueKeys.alive(this.jobId), '1', 'PX', ttl);
    this.lastBeat = Date.now();
  }

  private startHeartbeat(): void {
    const period = this.options.heartbeatMs ?? 1000;
    const lossMs = this.options.lossMs ?? 10_000;
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastBeat > lossMs) return this.lose();
      this.beat().catch(() => undefined);
    }, period);
    this.heartbeat.unref();
  }

  /** Redis went away mid-job: every task fails with QUEUE_LOST, naming the URL. */
  private lose(): void {
    if (this.lost) return;
    const error = new TopdownError(
      'QUEUE_LOST',
      `Lost the connection to Redis at ${this.options.connection.display} mid-job.`,
      { hint: 'Check that Redis is running there, then run the step again; nothing of this job was kept.' },
    );
    this.lost = error.toJSON();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const entry of [...this.pending.values()])
      this.settle(entry, { status: 'failed', error: this.lost });
  }

  /** Set when Redis was lost mid-job. */
  get lostError(): ErrorInfo | undefined {
    return this.lost;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
