// The queue's cost against the local pool, and its scaling with workers, on this machine (loopback Redis).
// Usage: npm run build && node --import tsx bench/queue.mjs [--cnn-epochs 5] [--overhead-only] [--rounds 5]
//   1. Overhead per task: 50 near-empty fold tasks (Sonar, 10 folds × 5 `linear` candidates, 1 epoch each),
//      run by `topdown evaluate` on a local pool of 1 worker and on a queue served by 1 `topdown worker`
//      (concurrency 1). Both wall times count everything (process start, CSV, folds, records); their difference
//      divided by the task count is what the queue adds per task.
//   2. Scaling: digits CNN, 10 folds, on 1, 2 and 3 queue workers (concurrency 1 each) against the local pool of
//      2. This machine has 2 cores, so more than 2× cannot show; the table says where the time goes: the sum of
//      the folds' training time inside the workers, the wall time, and the rest.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startRedis, startWorker } from '../test/helpers/redis.ts';

const flag = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const cnnEpochs = flag('--cnn-epochs', 5);
const overheadOnly = process.argv.includes('--overhead-only');
const rounds = flag('--rounds', 5);
const cli = resolve('dist/cli.js');
const load = () => loadavg()[0].toFixed(1);

function project(name, source, problem, prepare, candidates) {
  const dir = mkdtempSync(join(tmpdir(), `topdown-bench-queue-${name}-`));
  mkdirSync(join(dir, 'data'));
  copyFileSync(source, join(dir, 'data', 'data.csv'));
  const evaluate = { validation: { scheme: 'stratified-kfold', folds: 10 }, seed: 7, candidates };
  writeFileSync(join(dir, 'topdown.json'), JSON.stringify({ name, problem, prepare, evaluate }, null, 2));
  return dir;
}

const sonar = project(
  'overhead',
  resolve('templates/sonar/data/sonar.csv'),
  { data: 'data/data.csv', target: 'Class', task: 'binary', metric: 'accuracy', positiveClass: 'M' },
  [{ op: 'standardize' }],
  [1, 2, 3, 4, 5].map((index) => ({ name: `linear-${index}`, model: 'linear', epochs: 1, batchSize: 16 })),
);
const digits = project(
  'scaling',
  resolve('templates/digits/data/digits.csv'),
  { data: 'data/data.csv', target: 'label', task: 'image', metric: 'accuracy' },
  [{ op: 'image', rows: 8, cols: 8, channels: 1, scale: 16 }],
  [
    {
      name: 'cnn',
      model: 'cnn',
      filters: [16],
      kernelSize: 3,
      epochs: cnnEpochs,
      batchSize: 32,
      learningRate: 0.003,
    },
  ],
);

/** CPU ms (user + system) of one process from /proc: its own, plus its reaped children's when `reaped`. */
function processCpuMs(pid, reaped = false) {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks =
      Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0; // gone
  }
}

/** CPU ms of a process and every live descendant (a queue worker and its training processes), plus Redis. */
function serviceCpuMs() {
  const parents = new Map();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      parents.set(
        Number(name),
        Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]),
      );
    } catch {
      // exited meanwhile
    }
  }
  const roots = [...workers.map((worker) => worker.process.pid), redis.process.pid].filter(Boolean);
  const tree = new Set(roots);
  for (let grown = true; grown;) {
    grown = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grown = true;
      }
    }
  }
  return [...tree].reduce((sum, pid) => sum + processCpuMs(pid, true), 0);
}

/**
 * Runs `topdown evaluate` and returns its wall time, its CPU time (the command and the processes it waited for,
 * plus what the queue workers and Redis spent meanwhile), its result and the folds' in-worker training time.
 */
function evaluate(dir, flags) {
  const cpuBefore = processCpuMs(process.pid, true) + serviceCpuMs();
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, 'evaluate', dir, '--json', '--backend', 'wasm', ...flags], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wallMs = performance.now() - started;
  const cpuMs = processCpuMs(process.pid, true) + serviceCpuMs() - cpuBefore;
  if (run.status !== 0) throw new Error(`evaluate ${flags.join(' ')} failed:\n${run.stderr}`);
  const result = JSON.parse(run.stdout);
  let trainMs = 0;
  let tasks = 0;
  for (const candidate of result.candidates) {
    const record = JSON.parse(readFileSync(join(dir, 'runs', candidate.runId, 'run.json'), 'utf8'));
    for (const fold of record.folds) {
      trainMs += fold.durationMs;
      tasks += 1;
    }
  }
  return { wallMs, cpuMs, trainMs, tasks, mean: result.candidates[0].mean };
}

const redis = await startRedis('bench');
const workers = [];
const addWorker = async () =>
  workers.push(await startWorker(redis.url, ['--backend', 'wasm', '--lock-ms', '30000']));
const rows = [];
try {
  await addWorker();
  // A first job warms both sides (worker processes start, wasm compiles) so neither pays it in the numbers.
  evaluate(sonar, ['--workers', '1']);
  evaluate(sonar, ['--queue', redis.url]);
  // Alternating rounds; the medians hold against the other work of a shared machine better than one pair.
  const pairs = [];
  for (let round = 0; round < rounds; round++)
    pairs.push([evaluate(sonar, ['--workers', '1']), evaluate(sonar, ['--queue', redis.url])]);
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const middle = (side, field) => median(pairs.map((pair) => pair[side][field]));
  const [local, queued] = [0, 1].map((side) => ({
    wallMs: middle(side, 'wallMs'),
    cpuMs: middle(side, 'cpuMs'),
    trainMs: middle(side, 'trainMs'),
    tasks: pairs[0][side].tasks,
  }));
  const perTask = median(pairs.map(([a, b]) => (b.wallMs - a.wallMs) / b.tasks));
  const cpuPerTask = median(pairs.map(([a, b]) => (b.cpuMs - a.cpuMs) / b.tasks));
  console.log(
    `\nOverhead per task (${queued.tasks} tasks of Sonar linear, 1 epoch; medians of ${rounds} alternating rounds; load ${load()}):`,
  );
  console.log(
    '| | wall ms | CPU ms (all processes, Redis included) | in-worker training ms (sum) | wall per task ms |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, row] of [
    ['local pool, 1 worker', local],
    ['queue, 1 worker', queued],
  ]) {
    console.log(
      `| ${name} | ${row.wallMs.toFixed(0)} | ${row.cpuMs.toFixed(0)} | ${row.trainMs} | ${(row.wallMs / row.tasks).toFixed(1)} |`,
    );
  }
  console.log(
    `\nThe queue adds **${perTask.toFixed(1)} ms per task** of wall time on loopback (median of the rounds' differences; target: under 50 ms)`,
  );
  console.log(
    `and ${cpuPerTask.toFixed(1)} ms of CPU per task (the measure to trust on a busy machine; the local pool starts its worker processes in each job, the queue worker is warm).`,
  );

  if (!overheadOnly) {
    const localTwo = evaluate(digits, ['--workers', '2']);
    rows.push(['local pool, 2 workers', 2, localTwo]);
    for (const count of [1, 2, 3]) {
      while (workers.length < count) await addWorker();
      evaluate(digits, ['--queue', redis.url, '--quick']); // warms the new worker
      rows.push([
        `queue, ${count} worker${count > 1 ? 's' : ''}`,
        count,
        evaluate(digits, ['--queue', redis.url]),
      ]);
    }
    console.log(`\nScaling: digits CNN, ${cnnEpochs} epochs, 10 folds, wasm, 2 cores (load ${load()}):`);
    console.log(
      '| | wall s | training s (sum in workers) | speed-up vs 1 queue worker | rest s (wall − training ÷ workers) | score |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    const single = rows[1][2].wallMs;
    for (const [name, count, row] of rows) {
      const rest = row.wallMs - row.trainMs / count;
      console.log(
        `| ${name} | ${(row.wallMs / 1000).toFixed(1)} | ${(row.trainMs / 1000).toFixed(1)} | ${(single / row.wallMs).toFixed(2)}× | ${(rest / 1000).toFixed(1)} | ${row.mean} |`,
      );
    }
  }
} finally {
  for (const worker of workers) await worker.stop();
  await redis.stop();
  const leftovers = readdirSync(tmpdir()).filter((name) => name.startsWith('topdown-bench-queue-')).length;
  if (leftovers > 50) console.error(`note: ${leftovers} bench folders in ${tmpdir()}`);
}
