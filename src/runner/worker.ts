/**
 * A training worker: a child process that loads one tfjs backend, then runs fold tasks (and step 5's final
 * fits) sent by the pool, one at a time, streaming Keras-style epoch logs. It never writes the run store; the
 * orchestrator does.
 * Started by src/runner/pool.ts with its options as argv[2] (JSON).
 */
import { toErrorInfo } from '../core/errors';
import { loadProject, type Project } from '../core/project';
import type { Table } from '../core/data/table';
import { checkDataHash, readProjectTable } from '../core/steps/data';
import { dataFingerprint } from '../core/data/source';
import { runFold, type FoldRunOptions } from '../core/steps/fold';
import { runFinalFit } from '../core/present/final';
import type { TF } from '../core/models/types';
import { assertNever } from '../core/assert';
import {
  RUNNER_PROTOCOL_VERSION,
  type FinalTask,
  type FoldTask,
  type FromWorker,
  type ToWorker,
  type WorkerOptions,
} from '../protocol/runner';
import { loadBackend, setTrainingSeed } from './backend';
import { resolve } from 'node:path';

const options: WorkerOptions = JSON.parse(process.argv[2] ?? '{"backend":"auto"}') as WorkerOptions;

let tf: TF | undefined;
let cancelledTask: string | undefined;
let busy = Promise.resolve();

/**
 * Data cached per project file and data-source fingerprint (paths, sizes, modification times), so the folds of
 * one job load the CSV, image folder or IDX files once per worker.
 */
const cache = new Map<string, { project: Project; table: Table; dataHash: string }>();

function send(message: FromWorker): void {
  process.send?.(message);
}

/** The task's project and data, loaded once per data fingerprint; DATA_CHANGED when it is not the job's data. */
async function loadData(task: FoldTask): Promise<{ project: Project; table: Table }> {
  const project = await loadProject(task.projectDir, { validatedHash: task.projectHash });
  const dataFile = resolve(project.dir, project.config.problem.data);
  const key = `${project.hash}:${dataFile}:${await dataFingerprint(dataFile)}`;
  let entry = cache.get(key);
  if (!entry) {
    const { table, source } = await readProjectTable(project);
    entry = { project, table, dataHash: await source.hash() };
    cache.clear();
    cache.set(key, entry);
  }
  checkDataHash(dataFile, task.dataHash, entry.dataHash);
  return entry;
}

/**
 * Runs one task (a fold, or step 5's final fit) with the shared plumbing: cached data, the seed, epochs streamed
 * as task/epoch, cancellation at a batch boundary, and failures as task/failed with a person-readable error.
 */
async function runWork<Result>(
  task: FoldTask | FinalTask,
  work: (project: Project, table: Table, hooks: FoldRunOptions) => Promise<Result | undefined>,
  done: (result: Result) => FromWorker,
): Promise<void> {
  try {
    const { project, table } = await loadData(task);
    setTrainingSeed(task.seed);
    const result = await work(project, table, {
      tf,
      shouldStop: () => cancelledTask === task.taskId,
      onEpoch: (epoch, logs) =>
        send({ type: 'task/epoch', taskId: task.taskId, foldIndex: task.foldIndex, epoch, logs }),
    });
    if (result === undefined || cancelledTask === task.taskId) {
      send({ type: 'task/cancelled', taskId: task.taskId, foldIndex: task.foldIndex });
    } else {
      send(done(result));
    }
  } catch (error) {
    send({ type: 'task/failed', taskId: task.taskId, foldIndex: task.foldIndex, error: toErrorInfo(error) });
  }
}

/** Step 3/4: one candidate on one fold. */
function runTask(task: FoldTask): Promise<void> {
  return runWork(
    task,
    (project, table, hooks) => runFold(project, table, task, hooks),
    (result) => ({ type: 'task/done', result }),
  );
}

/** Step 5: the final fit; its epochs, failure and cancellation reuse the task/* messages. */
function runFinal(task: FinalTask): Promise<void> {
  return runWork(
    task,
    (project, table, hooks) => runFinalFit(project, table, task, hooks),
    (result) => ({ type: 'final/done', result }),
  );
}

function onMessage(message: ToWorker): void {
  switch (message.type) {
    // A cancel can arrive before its task starts here (a pool that was just started sends the run once this
    // process says hello, a cancel at once): it still applies; only another task's cancel is forgotten.
    case 'task/run':
      if (cancelledTask !== message.task.taskId) cancelledTask = undefined;
      busy = busy.then(() => runTask(message.task));
      return;
    case 'final/run':
      if (cancelledTask !== message.task.taskId) cancelledTask = undefined;
      busy = busy.then(() => runFinal(message.task));
      return;
    case 'task/cancel':
      cancelledTask = message.taskId;
      return;
    case 'shutdown':
      void busy.then(() => process.exit(0));
      return;
    default:
      assertNever(message);
  }
}

async function main(): Promise<void> {
  process.on('message', onMessage);
  // The orchestrator died or closed the channel: nothing left to report to.
  process.on('disconnect', () => process.exit(0));
  try {
    const loaded = await loadBackend(options.backend, { projectDir: options.projectDir });
    tf = loaded.tf;
    send({ type: 'hello', protocolVersion: RUNNER_PROTOCOL_VERSION, backend: loaded.info, pid: process.pid });
  } catch (error) {
    send({ type: 'fatal', error: toErrorInfo(error) });
    process.exitCode = 3;
    process.disconnect?.();
  }
}

void main();
