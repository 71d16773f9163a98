/**
 * Training on queue workers (`--queue`, `topdown worker`) against a real redis-server on a free port with a
 * password, served by up to three worker processes: the same scores as the local pool, the same `--json` shape,
 * and what happens when a worker, the orchestrator or Redis dies, or the job is cancelled. A busy worker burns a
 * core, so each test uses only the workers its point needs (serveWith), and the tests that lose workers come last;
 * the run history is read with the function behind `topdown runs` (cancel.test.ts runs the command itself).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { JobEvent } from '../../src/protocol/host';
import type { RunRecord } from '../../src/protocol/records';
import { OUT_OF_FOLD_FILE } from '../../src/protocol/out-of-fold';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../src/protocol/queue';
import { listRuns } from '../../src/runner/commands/runs';
import { parseQueueUrl } from '../../src/runner/queue/connection';
import { QueueSession } from '../../src/runner/queue/remote-pool';
import {
  binaryCsvProject,
  binaryProject,
  forkCli,
  requireBuild,
  runCli,
  tempDir,
  writeBinaryCsv,
  writeProject,
} from '../helpers/cli';
import {
  freePort,
  startRedis,
  startWorker,
  waitForOutput,
  type RedisServer,
  type WorkerProcess,
} from '../helpers/redis';

let redis: RedisServer;
let workers: WorkerProcess[] = [];

before(async () => {
  requireBuild();
  redis = await startRedis();
  workers = await Promise.all([1, 2, 3].map(() => startWorker(redis.url)));
});

after(async () => {
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
  await redis?.stop();
});

/** A binary project of the given candidates over a generated CSV. */
const project = binaryCsvProject;

/** An MLP whose fold takes seconds: long enough to cancel, kill or lose Redis mid-fold. */
// Slow enough (about 1.5 s a fold on an idle machine: the loop trains this net at ~7,000 epochs a second) that a
// worker is still training when a test signals, kills or cancels it.
const SLOW = { model: 'mlp', layers: [8], epochs: 10_000, batchSize: 2 };

/** Whether a worker's last line says it is training a task now. */
function busy(worker: WorkerProcess): boolean {
  return /: started \(attempt \d\)$/.test(worker.log().trimEnd().split('\n').at(-1) ?? '');
}

/** Keeps `count` workers on the shared Redis: stops the extra ones (idle between tests) or starts more. */
async function serveWith(count: number): Promise<void> {
  const extra = workers.slice(count);
  workers = workers.slice(0, count);
  await Promise.all(extra.map((worker) => worker.stop('SIGKILL')));
  while (workers.length < count) workers.push(await startWorker(redis.url));
}

/** Waits until `condition` holds (checked every 50 ms), failing with `what` after 60 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; !condition();) {
    if (Date.now() > deadline) assert.fail(`not within 60 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Evaluated {
  candidates: Array<{ name: string; status: string; folds: number[]; runId: string }>;
}

/** The shape of a JSON value: its keys, recursively (arrays by their first element). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  return typeof value;
}

/** Every file under a folder, as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

function runRecord(dir: string, runId: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
}

/** Collects a forked CLI's events; resolves on the first matching one. */
function watch(child: ReturnType<typeof forkCli>): {
  events: JobEvent[];
  next: (predicate: (event: JobEvent) => boolean) => Promise<JobEvent>;
} {
  const events: JobEvent[] = [];
  const waiters: Array<{ predicate: (event: JobEvent) => boolean; resolve: (event: JobEvent) => void }> = [];
  child.on('message', (event: JobEvent) => {
    events.push(event);
    for (const waiter of waiters.splice(0)) {
      if (waiter.predicate(event)) waiter.resolve(event);
      else waiters.push(waiter);
    }
  });
  return {
    events,
    next: (predicate) =>
      new Promise((resolve, reject) => {
        const seen = events.find(predicate);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error('no matching event within 60 s')), 60000);
        waiters.push({
          predicate,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        });
      }),
  };
}

/** Waits until no task of the queue waits or runs. */
async function queueDrained(server: RedisServer): Promise<void> {
  const queue = new Queue(QUEUE_NAME, {
    connection: { host: '127.0.0.1', port: server.port, password: server.password },
    prefix: QUEUE_PREFIX,
  });
  try {
    for (let tries = 0; tries < 300; tries++) {
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
      if (counts.wait + counts.active + counts.prioritized === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`the queue still holds tasks: ${JSON.stringify(await queue.getJobCounts())}`);
  } finally {
    await queue.close();
  }
}

describe('evaluate --queue', () => {
  it('gives the fold scores of the local pool, in the same --json shape, and keeps the password out of the runs', async () => {
    const dir = project('queue-same', [
      { name: 'mlp', model: 'mlp', layers: [4], epochs: 3, batchSize: 16 },
      { name: 'linear', model: 'linear', epochs: 3 },
    ]);
    const local = await runCli(['evaluate', dir, '--json', '--backend', 'cpu', '--workers', '1']);
    const queued = await runCli(['evaluate', dir, '--json', '--queue', redis.url], { timeoutMs: 120000 });
    assert.equal(queued.code, 0, queued.stderr);
    const scores = (result: Evaluated): Record<string, number[]> =>
      Object.fromEntries(result.candidates.map((candidate) => [candidate.name, candidate.folds]));
    assert.deepEqual(scores(queued.json as unknown as Evaluated), scores(local.json as unknown as Evaluated));
    assert.deepEqual(shape(queued.json), shape(local.json));
    // The workers return each fold's predictions; the orchestrator writes the same out-of-fold files as local.
    const outOfFold = (result: Evaluated): string[] =>
      result.candidates.map((candidate) =>
        readFileSync(join(dir, 'runs', candidate.runId, OUT_OF_FOLD_FILE), 'utf8'),
      );
    assert.deepEqual(
      outOfFold(queued.json as unknown as Evaluated),
      outOfFold(local.json as unknown as Evaluated),
    );
    assert.equal(allText(join(dir, 'runs')).includes(redis.password), false);
    assert.equal(queued.stderr.includes(redis.password), false);
    assert.equal(
      workers.some((worker) => worker.log().includes(redis.password)),
      false,
    );
  });

  it('runs all five steps with the final fit on a worker: the same holdout score and bundle files as local', async () => {
    const config = binaryProject(
      [
        { name: 'mlp', model: 'mlp', layers: [4], epochs: 3, batchSize: 16 },
        { name: 'linear', model: 'linear', epochs: 3 },
      ],
      { present: { candidate: 'mlp', name: 'final' } },
    );
    (config.problem as Record<string, unknown>).holdout = 0.2;
    const results = [];
    for (const flags of [
      ['--backend', 'cpu', '--workers', '1'],
      ['--queue', redis.url],
    ]) {
      const dir = writeProject(tempDir('queue-all'), config);
      writeBinaryCsv(join(dir, 'data', 'data.csv'), 60);
      const result = await runCli(['all', dir, '--json', ...flags], { timeoutMs: 180000 });
      assert.equal(result.code, 0, result.stderr);
      const files = readdirSync(join(dir, 'models', 'final'), { recursive: true })
        .map(String)
        .sort();
      results.push({ json: result.json as { steps: { present: { holdout: { score: number } } } }, files });
    }
    const [local, queued] = results;
    assert.equal(queued.json.steps.present.holdout.score, local.json.steps.present.holdout.score);
    assert.deepEqual(queued.files, local.files);
    assert.deepEqual(shape(queued.json), shape(local.json));
  });

  it('cancel removes the queued tasks and stops the running ones at a batch on every worker', async () => {
    const dir = project('queue-cancel', [
      { name: 'a', ...SLOW },
      { name: 'b', ...SLOW },
    ]);
    const child = forkCli(['evaluate', dir, '--json', '--queue', redis.url]);
    const watcher = watch(child);
    await watcher.next((event) => event.type === 'run/epoch');
    child.send({ type: 'job/cancel' });
    await watcher.next((event) => event.type === 'job/cancelled');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 130);
    await queueDrained(redis);
    const { runs } = listRuns(dir);
    assert.deepEqual(
      runs.map((run) => run.status),
      ['cancelled', 'cancelled'],
    );
  });

  it('retries a fold whose worker was SIGKILLed on another worker, records it, and scores as an undisturbed run', async () => {
    await serveWith(3);
    const candidates = [{ name: 'slow', ...SLOW, epochs: 300 }];
    const dir = project('queue-kill', candidates);
    const undisturbed = await runCli(['evaluate', dir, '--json', '--backend', 'cpu', '--workers', '1'], {
      timeoutMs: 120000,
    });
    const child = forkCli(['evaluate', dir, '--json', '--queue', redis.url]);
    const exited = once(child, 'exit');
    await watch(child).next((event) => event.type === 'run/epoch');
    const victim = workers.find(busy);
    assert.ok(victim, 'no worker is training');
    await victim.stop('SIGKILL');
    // The other two workers take the fold again: no replacement (the tests below need fewer).
    workers = workers.filter((worker) => worker !== victim);
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    const runId = listRuns(dir, 'evaluate').runs[0].id;
    const record = runRecord(dir, runId);
    assert.equal(record.status, 'completed');
    assert.deepEqual(
      record.folds.map((fold) => fold.score),
      (undisturbed.json as unknown as Evaluated).candidates[0].folds,
    );
    // The victim's fold was started again; on a loaded machine a slow lock renewal may retry another one too.
    const killedFold = Number(/\/(\d+): started \(attempt \d\)\s*$/.exec(victim.log())![1]);
    assert.ok((record.folds.find((fold) => fold.index === killedFold)?.attempts ?? 1) >= 2);
    const events = readFileSync(join(dir, 'runs', runId, 'events.jsonl'), 'utf8');
    assert.match(events, /started again on another worker \(attempt 2\)/);
  });
});

describe('queue session', () => {
  it('leaves no timer that keeps the process alive once closed (a queued command exits when its job ends)', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const session = await QueueSession.open({ connection: parseQueueUrl(redis.url) });
    const pool = session.createPool({ projectDir: tempDir('queue-session'), size: 1, backend: 'cpu' });
    await pool.close();
    await session.close();
    await new Promise((resolve) => setImmediate(resolve));
    // Before the fix, the 5-s bound on closing stayed armed: every `--queue` command exited 5 s after its job.
    assert.equal(timers(), before);
  });
});

describe('topdown worker', () => {
  it('finishes its task on SIGTERM, and on a second signal hands it back to another worker', async () => {
    // Two workers for two folds, each long enough (about 3 s on an idle machine) that the releasing worker is
    // still training when its second signal arrives; a third worker starts once both stopped, for the fold
    // handed back.
    await serveWith(2);
    const config = binaryProject([{ name: 'slow', ...SLOW, epochs: 20_000 }]);
    (config.evaluate as { validation: { folds: number } }).validation.folds = 2;
    const dir = writeProject(tempDir('queue-stop'), config);
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 60);
    const child = forkCli(['evaluate', dir, '--json', '--queue', redis.url]);
    const exited = once(child, 'exit');
    await watch(child).next((event) => event.type === 'run/epoch');
    await until(() => workers.every(busy), 'both workers train a fold');
    const [finishing, releasing] = workers;
    const stopped = [finishing, releasing].map(async (worker) => (await once(worker.process, 'exit'))[0]);
    finishing.process.kill('SIGTERM');
    const warned = waitForOutput(releasing.process, 'Stopping');
    releasing.process.kill('SIGTERM');
    await warned;
    releasing.process.kill('SIGTERM');
    const exits = await Promise.all(stopped);
    assert.deepEqual(exits, [0, 0]);
    workers = [await startWorker(redis.url)];
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    assert.match(finishing.log(), /Stopping[^]*: done in/);
    assert.match(releasing.log(), /Handing the running tasks back/);
    const runId = listRuns(dir).runs[0].id;
    const record = runRecord(dir, runId);
    assert.equal(record.status, 'completed');
    // A fold the releasing worker started and did not finish was handed back and ran again elsewhere (attempt
    // 2); one it had finished before the signals (folds are quick on an idle machine) counts once.
    const handedBack = (index: number): boolean =>
      releasing.log().includes(`${runId}/${index}: started`) &&
      !releasing.log().includes(`${runId}/${index}: done in`);
    assert.deepEqual(
      record.folds.map((fold) => [fold.index, fold.attempts ?? 1]),
      record.folds.map((fold) => [fold.index, handedBack(fold.index) ? 2 : 1]),
    );
    assert.ok(
      record.folds.some((fold) => handedBack(fold.index)),
      `the releasing worker handed no fold back:\n${releasing.log()}`,
    );
  });
});

describe('evaluate --queue when the orchestrator dies', () => {
  it('when the orchestrator dies, its runs read interrupted, its tasks are dropped, and a rerun starts afresh', async () => {
    // One worker: the fold it trains when the orchestrator dies outlasts the orchestrator's heartbeat (5 s) on
    // any machine (about 14 s on an idle one; the worker cancels it once the heartbeat expired), so the queued
    // folds are picked up after that and dropped.
    await serveWith(1);
    const dir = project('queue-orphan', [
      { name: 'a', ...SLOW, epochs: 100_000 },
      { name: 'b', ...SLOW, epochs: 100_000 },
    ]);
    const child = forkCli(['evaluate', dir, '--json', '--queue', redis.url]);
    await watch(child).next((event) => event.type === 'run/epoch');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const { runs } = listRuns(dir);
    assert.deepEqual(
      runs.map((run) => run.status),
      ['interrupted', 'interrupted'],
    );
    await queueDrained(redis);
    assert.match(workers.map((worker) => worker.log()).join('\n'), /dropped untrained/);
    const rerun = await runCli(['evaluate', dir, '--json', '--quick', '--queue', redis.url], {
      timeoutMs: 120000,
    });
    assert.equal(rerun.code, 0, rerun.stderr);
    const result = rerun.json as unknown as Evaluated;
    assert.deepEqual(
      result.candidates.map((candidate) => [candidate.status, candidate.folds.length]),
      [
        ['completed', 3],
        ['completed', 3],
      ],
    );
  });
});

describe('evaluate --queue without Redis', () => {
  it('fails with an error that names the URL, password hidden', async () => {
    const dir = project('queue-down', [{ name: 'linear', model: 'linear', epochs: 2 }]);
    const port = await freePort();
    const result = await runCli(['evaluate', dir, '--json', '--queue', `redis://:hunter2@127.0.0.1:${port}`]);
    assert.equal(result.code, 1);
    const error = (result.json as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'QUEUE_UNREACHABLE');
    assert.match(error.message, new RegExp(`redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
    assert.equal(`${result.stdout}${result.stderr}`.includes('hunter2'), false);
    assert.deepEqual(listRuns(dir).runs, []);
  });

  it('stops with QUEUE_LOST when Redis dies mid-job, its runs interrupted and each fold recorded once', async () => {
    const lonely = await startRedis('other-secret');
    const worker = await startWorker(lonely.url);
    try {
      const dir = project('queue-lost', [{ name: 'slow', ...SLOW }]);
      const child = forkCli(['evaluate', dir, '--json', '--queue', lonely.url]);
      const exited = once(child, 'exit');
      await watch(child).next((event) => event.type === 'run/epoch');
      await lonely.stop(true);
      // The worker would finish its fold for no one: what is under test is the orchestrator, which sees only Redis.
      await worker.stop('SIGKILL');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 1);
      const { runs } = listRuns(dir, 'evaluate');
      assert.deepEqual(
        runs.map((run) => run.status),
        ['interrupted'],
      );
      const record = runRecord(dir, runs[0].id);
      assert.equal(record.error?.code, 'QUEUE_LOST');
      assert.match(record.error?.message ?? '', /redis:\/\/:\*\*\*@127\.0\.0\.1/);
      const indices = record.folds.map((fold) => fold.index);
      assert.equal(new Set(indices).size, indices.length);
    } finally {
      await worker.stop('SIGKILL');
      await lonely.stop(true);
    }
  });
});
