/**
 * `topdown worker --queue redis://host:6379`: takes tasks from the queue until stopped. The first SIGTERM or
 * SIGINT stops taking tasks and lets the running ones finish (what a Kubernetes rollout expects within its
 * grace period); a second one stops them at the next batch and hands them back to the queue for another worker.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendName } from '../../protocol/records';
import type { Reporter } from '../reporter';
import type { QueueConnection } from '../queue/connection';
import { QueueWorker } from '../queue/worker-loop';

/** Options of the worker command. */
export interface WorkerCommandOptions {
  connection: QueueConnection;
  concurrency: number;
  backend: BackendName | 'auto';
  sharedDir?: string;
  lockMs?: number;
  reporter: Reporter;
}

/** What `topdown worker --json` prints when it stops. */
export interface WorkerCommandResult {
  queue: string;
  concurrency: number;
  /** Whether running tasks were handed back (second signal) rather than finished. */
  released: boolean;
}

/** Runs until SIGTERM/SIGINT. */
export async function workerCommand(options: WorkerCommandOptions): Promise<WorkerCommandResult> {
  const log = (message: string): void => options.reporter.emit({ type: 'log', level: 'info', message });
  const worker = new QueueWorker({
    connection: options.connection,
    concurrency: options.concurrency,
    backend: options.backend,
    sharedDir: options.sharedDir,
    cacheDir: join(tmpdir(), `topdown-worker-${process.getuid?.() ?? 'user'}`),
    lockMs: options.lockMs,
    log,
  });
  await worker.start();
  let released = false;
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (): void => {
      signals += 1;
      if (signals === 1) {
        log('Stopping: finishing the running tasks (signal again to hand them back to the queue).');
        void worker.stop(false).then(resolve);
      } else {
        released = true;
        log('Handing the running tasks back to the queue.');
        void worker.stop(true).then(resolve);
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  return { queue: options.connection.display, concurrency: options.concurrency, released };
}
