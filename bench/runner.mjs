// The runner's cost and its parallel speed-up, on the Sonar data with the wasm backend.
// Usage: npm run build && node --import tsx bench/runner.mjs [--epochs 50]
//   1. Overhead: a bare tfjs model.fit (same architecture, optimizer, data, epochs, batch size, backend) against
//      the same model trained by `topdown evaluate` (one fold: the fold's time inside the worker, and the whole
//      command's wall time including process start, tfjs import, CSV read and preparation).
//   2. Pool: 10-fold evaluation wall time with 1 worker and with 2.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBackend } from '../src/runner/backend.ts';
import { readCsv } from '../src/core/data/csv.ts';

const epochsIndex = process.argv.indexOf('--epochs');
const epochs = epochsIndex > 0 ? Number(process.argv[epochsIndex + 1]) : 50;
const batchSize = 5;
const cli = resolve('dist/cli.js');
const sonar = resolve('templates/sonar/data/sonar.csv');

function project(validation, workersNote) {
  const dir = mkdtempSync(join(tmpdir(), `topdown-bench-runner-${workersNote}-`));
  mkdirSync(join(dir, 'data'));
  copyFileSync(sonar, join(dir, 'data', 'sonar.csv'));
  const config = {
    problem: {
      data: 'data/sonar.csv',
      target: 'Class',
      task: 'binary',
      metric: 'accuracy',
      positiveClass: 'M',
    },
    prepare: [{ op: 'standardize' }],
    evaluate: {
      validation,
      seed: 7,
      candidates: [{ name: 'mlp', model: 'mlp', layers: [30], epochs, batchSize, learningRate: 0.001 }],
    },
  };
  writeFileSync(join(dir, 'topdown.json'), JSON.stringify(config, null, 2));
  return dir;
}

function evaluate(dir, workers) {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [cli, 'evaluate', dir, '--json', '--backend', 'wasm', '--workers', String(workers)],
    {
      encoding: 'utf8',
    },
  );
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(run.stderr);
  const result = JSON.parse(run.stdout);
  const record = JSON.parse(readFileSync(join(dir, 'runs', result.candidates[0].runId, 'run.json'), 'utf8'));
  return { wallMs, result, record };
}

async function bareFit() {
  const { tf } = await loadBackend('wasm');
  const table = await readCsv(sonar);
  const features = table.columns.filter((column) => column.type === 'numeric');
  const target = table.columns.find((column) => column.name === 'Class');
  // The same split as the one-fold evaluation is not needed for timing: train on 80% of the rows, as it does.
  const rows = Math.round(table.rowCount * 0.8);
  const x = new Float32Array(rows * features.length);
  features.forEach((column, j) => {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += column.values[i] / rows;
    let variance = 0;
    for (let i = 0; i < rows; i++) variance += (column.values[i] - mean) ** 2 / (rows - 1);
    for (let i = 0; i < rows; i++)
      x[i * features.length + j] = (column.values[i] - mean) / Math.sqrt(variance || 1);
  });
  const y = Float32Array.from({ length: rows }, (_, i) => (target.values[i] === 'M' ? 1 : 0));
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 30, activation: 'relu', inputShape: [features.length] }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor2d(x, [rows, features.length]);
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 2).toFloat();
  const started = performance.now();
  await model.fit(xs, ys, { epochs, batchSize, shuffle: true, verbose: 0 });
  return performance.now() - started;
}

const load = () => loadavg()[0].toFixed(1);
console.log(`Runner benchmark: Sonar, MLP 60→30→2, ${epochs} epochs, batch ${batchSize}, wasm backend`);

const bareMs = await bareFit();
const single = evaluate(project({ scheme: 'split', testFraction: 0.2 }, 'split'), 1);
const foldMs = single.record.folds[0].durationMs;
console.log('');
console.log('| measurement | ms | vs bare fit | load |');
console.log('|---|---:|---:|---:|');
console.log(`| bare tfjs model.fit | ${bareMs.toFixed(0)} | 1.00x | ${load()} |`);
console.log(
  `| topdown fold inside the worker (prepare + fit + predict + score) | ${foldMs} | ${(foldMs / bareMs).toFixed(2)}x | ${load()} |`,
);
console.log(
  `| topdown evaluate, whole command (process start, tfjs import, CSV, 1 fold) | ${single.wallMs.toFixed(0)} | ${(single.wallMs / bareMs).toFixed(2)}x | ${load()} |`,
);

const tenFold = { scheme: 'stratified-kfold', folds: 10 };
const one = evaluate(project(tenFold, 'pool1'), 1);
const two = evaluate(project(tenFold, 'pool2'), 2);
console.log('');
console.log('| 10-fold evaluation | wall s | accuracy | speed-up | load |');
console.log('|---|---:|---:|---:|---:|');
console.log(
  `| 1 worker | ${(one.wallMs / 1000).toFixed(1)} | ${one.result.candidates[0].mean} | 1.00x | ${load()} |`,
);
console.log(
  `| 2 workers | ${(two.wallMs / 1000).toFixed(1)} | ${two.result.candidates[0].mean} | ${(one.wallMs / two.wallMs).toFixed(2)}x | ${load()} |`,
);
