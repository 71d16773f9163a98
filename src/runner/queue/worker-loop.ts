/**
 * `topdown worker --queue redis://…`: takes fold tasks and final fits from the BullMQ queue until stopped and
 * runs them on a local pool of training processes (the same pool a local job uses), so a task trains exactly as
 * it would on the orchestrator's machine. Each task's project is rebuilt from its manifest in a cache folder;
 * epochs go back as BullMQ job progress, results as the job's return value. A task whose orchestrator is gone
 * (heartbeat expired) is dropped untrained; a cancelled one stops at the next batch.
 */
import { hostname } from 'node:os';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker, WaitingError, type Job } from 'bullmq';
import { TopdownError, toErrorInfo } from '../../core/errors';
import type { BackendName } from '../../protocol/records';
import type { FinalTask, FinalTaskResult, FoldTask, FoldTaskResult } from '../../protocol/runner';
import {
  QUEUE_NAME,
  QUEUE_PREFIX,
  QUEUE_PROTOCOL_VERSION,
  queueKeys,
  type QueueProgress,
  type QueueTaskAnswer,
  type QueueTaskData,
  type ReturnedFile,
} from '../../protocol/queue';
import { WorkerPool, type FinalOutcome, type TaskOutcome } from '../pool';
import {
  connectRedis,
  loadRedisClass,
  redisOptions,
  type QueueConnection,
  type RedisClient,
} from './connection';
import { ContentStore } from './content';
import { materialize } from './manifest';

/** Options of `topdown worker`. */
export interface QueueWorkerOptions {
  connection: QueueConnection;
  /** Tasks at once (training processes). */
  concurrency: number;
  backend: BackendName | 'auto';
  /** This machine's mount of the shared folder for large files. */
  sharedDir?: string;
  /** Where projects are rebuilt. */
  cacheDir: string;
  /** BullMQ lock of a running task: a worker silent this long is taken for dead and its task retried. */
  lockMs?: number;
  /** How often BullMQ looks for such stalled tasks. */
  stalledMs?: number;
  /** How often running tasks look for a cancel or a dead orchestrator. */
  pollMs?: number;
  log: (line: string) => void;
  /** Called once the worker takes tasks (tests wait for it). */
  onReady?: () => void;
}

/** Default lock of a running task (BullMQ's default), in ms. */
export const DEFAULT_LOCK_MS = 30_000;

/** Tasks running here, per orchestrator job, for the cancel/heartbeat poll. */
type Running = Map<string, Set<string>>;

/** A worker's whole life: returns after stop() was called and every task finished or was handed back. */
export class QueueWorker {
  private readonly pool: WorkerPool;
  private readonly running: Running = new Map();
  private readonly name = `${hostname()}:${process.pid}`;
  private worker?: Worker<QueueTaskData, QueueTaskAnswer>;
  private redis?: RedisClient;
  private store?: ContentStore;
  private pollTimer?: NodeJS.Timeout;
  private releasing = false;
  private stopping?: Promise<void>;

  constructor(private readonly options: QueueWorkerOptions) {
    this.pool = new WorkerPool({
      size: options.concurrency,
      backend: options.backend,
      projectDir: options.cacheDir,
      onLog: options.log,
    });
  }

  /** Connects and starts taking tasks; QUEUE_UNREACHABLE when Redis cannot be reached. */
  async start(): Promise<void> {
    loadRedisClass();
    mkdirSync(this.options.cacheDir, { recursive: true });
    this.redis = await connectRedis(this.options.connection);
    this.store = new ContentStore(this.redis, { sharedDir: this.options.sharedDir });
    const lockDuration = this.options.lockMs ?? DEFAULT_LOCK_MS;
    this.worker = new Worker<QueueTaskData, QueueTaskAnswer>(
      QUEUE_NAME,
      (job, token) => this.process(job, token),
      {
        connection: redisOptions(this.options.connection),
        prefix: QUEUE_PREFIX,
        concurrency: this.options.concurrency,
        lockDuration,
        stalledInterval: this.options.stalledMs ?? Math.max(1000, Math.round(lockDuration / 2)),
        // A worker that dies mid-task twice in a row is more likely the task's fault (memory) than bad luck.
        maxStalledCount: 2,
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 24 * 3600 },
      },
    );
    this.worker.on('error', (error) => this.options.log(`queue: ${error.message}`));
    await this.worker.waitUntilReady();
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollMs ?? 250);
    this.options.log(
      `worker ${this.name}: taking tasks from ${this.options.connection.display} (${this.options.concurrency} at a time)`,
    );
    this.options.onReady?.();
  }

  /**
   * Stops taking tasks. `release: false` lets running tasks finish; `release: true` stops them at the next
   * batch and hands them back to the queue, where another worker takes them.
   */
  stop(release: boolean): Promise<void> {
    if (release && !this.releasing) {
      this.releasing = true;
      this.pool.cancelAll();
    }
    this.stopping ??= (async () => {
      await this.worker?.close();
      if (this.pollTimer) clearInterval(this.pollTimer);
      await this.pool.close();
      await this.redis?.quit().catch(() => undefined);
    })();
    return this.stopping;
  }

  /** Cancels the tasks of jobs that were cancelled or whose orchestrator is gone. */
  private async poll(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status !== 'ready') return;
    for (const [jobId, taskIds] of this.running) {
      try {
        const [alive, cancelled] = await Promise.all([
          redis.exists(queueKeys.alive(jobId)),
          redis.smembers(queueKeys.cancel(jobId)),
        ]);
        const all = alive === 0 || cancelled.includes('*');
        const stop = new Set(all ? taskIds : cancelled.filter((id) => taskIds.has(id)));
        if (stop.size > 0) this.pool.cancelWhere((task) => stop.has(task.taskId));
      } catch {
        // Redis is away for a moment: the next poll asks again.
      }
    }
  }

  private track(jobId: string, taskId: string, add: boolean): void {
    const tasks = this.running.get(jobId) ?? new Set<string>();
    if (add) tasks.add(taskId);
    else tasks.delete(taskId);
    if (tasks.size > 0) this.running.set(jobId, tasks);
    else this.running.delete(jobId);
  }

  private async process(job: Job<QueueTaskData, QueueTaskAnswer>, token?: string): Promise<QueueTaskAnswer> {
    const { data } = job;
    if (data.protocolVersion !== QUEUE_PROTOCOL_VERSION) {
      const error = new TopdownError(
        'PROTOCOL_MISMATCH',
        `The task speaks queue protocol ${data.protocolVersion}, this worker ${QUEUE_PROTOCOL_VERSION}.`,
        { hint: 'Run the same Topdown version on the orchestrator and every worker.' },
      );
      return { kind: 'failed', error: error.toJSON(), worker: this.name };
    }
    const [alive, cancelled] = await Promise.all([
      this.redis!.exists(queueKeys.alive(data.jobId)),
      this.redis!.smembers(queueKeys.cancel(data.jobId)),
    ]);
    if (alive === 0) {
      this.options.log(`${data.task.taskId}: dropped untrained (its orchestrator is gone)`);
      return { kind: 'dropped', worker: this.name };
    }
    if (cancelled.includes('*') || cancelled.includes(data.task.taskId))
      return { kind: 'cancelled', worker: this.name };
    this.track(data.jobId, data.task.taskId, true);
    const started = Date.now();
    this.options.log(`${data.task.taskId}: started (attempt ${job.attemptsStarted})`);
    let outputDir: string | undefined;
    try {
      const projectDir = await materialize(data.manifest, this.storeFor(data), this.options.cacheDir);
      const onEpoch = (
        _taskId: string,
        foldIndex: number,
        epoch: number,
        logs: Record<string, number>,
      ): void => {
        const progress: QueueProgress = {
          type: 'epoch',
          foldIndex,
          epoch,
          logs,
          attempt: job.attemptsStarted,
        };
        job.updateProgress(progress).catch(() => undefined);
      };
      if (this.releasing) {
        // Released while the project was rebuilt, before training: hand it back untrained.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      let outcome: TaskOutcome | FinalOutcome;
      if (data.kind === 'final') {
        outputDir = mkdtempSync(join(this.options.cacheDir, 'final-'));
        outcome = await this.pool.runFinal({ ...(data.task as FinalTask), projectDir, outputDir }, onEpoch);
      } else {
        outcome = await this.pool.run({ ...(data.task as FoldTask), projectDir }, onEpoch);
      }
      if (this.releasing && outcome.status === 'cancelled') {
        // Handed back whole: another worker runs the task from its start.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      const answer = await this.answer(job, outcome, outputDir);
      this.options.log(`${data.task.taskId}: ${answer.kind} in ${Date.now() - started} ms`);
      return answer;
    } catch (error) {
      if (error instanceof WaitingError) throw error;
      return { kind: 'failed', error: toErrorInfo(error), worker: this.name };
    } finally {
      this.track(data.jobId, data.task.taskId, false);
      if (outputDir) rmSync(outputDir, { recursive: true, force: true });
    }
  }

  /** The content store for a task: this worker's shared folder, else the one the orchestrator named. */
  private storeFor(data: QueueTaskData): ContentStore {
    if (this.options.sharedDir || !data.manifest.sharedDir) return this.store!;
    return new ContentStore(this.redis!, { sharedDir: data.manifest.sharedDir });
  }

  private async answer(
    job: Job<QueueTaskData, QueueTaskAnswer>,
    outcome: TaskOutcome | FinalOutcome,
    outputDir: string | undefined,
  ): Promise<QueueTaskAnswer> {
    const common = { worker: this.name };
    if (outcome.status === 'failed') return { kind: 'failed', error: outcome.error, ...common };
    if (outcome.status === 'cancelled') return { kind: 'cancelled', ...common };
    const backend = this.pool.backend;
    const attempt = job.attemptsStarted;
    if (outputDir === undefined)
      return { kind: 'done', result: outcome.result as FoldTaskResult, backend, attempt, ...common };
    const files: ReturnedFile[] = [];
    const store = this.storeFor(job.data);
    for (const name of readdirSync(outputDir, { recursive: true, withFileTypes: false }) as string[]) {
      const file = join(outputDir, name);
      const bytes = await readFile(file).catch(() => undefined);
      if (!bytes) continue; // a folder
      files.push({ name: name.split('\\').join('/'), ...(await store.put(bytes, name)) });
    }
    return { kind: 'final', result: outcome.result as FinalTaskResult, files, backend, attempt, ...common };
  }
}
