// The runner's cost and its parallel speed-up, with the wasm backend.
// Usage: npm run build && node --import tsx bench/runner.mjs [--epochs 5]
//   1. Overhead: the digits CNN (conv 16 3×3 → pool → dense 10, batch 32) trained by a bare tfjs model.fit —
//      the very model the zoo builds (cnnBuilder), same data, epochs, batch size and backend — against the same
//      candidate trained by `topdown evaluate` on one fold: the fold's time inside the worker (prepare + fit +
//      predict + score), and the whole command's wall time (process start, tfjs import, CSV read, preparation).
//   2. The Sonar MLP the same way: Topdown trains small dense networks in a plain typed-array loop, not model.fit.
//   3. Pool: 10-fold evaluation wall time with 1 worker and with 2 (digits CNN, and Sonar MLP).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBackend } from '../src/runner/backend.ts';
import { readCsv } from '../src/core/data/csv.ts';
import { cnnBuilder, mlpBuilder } from '../src/core/models/architectures.ts';
import { resolveCandidate } from '../src/core/models/resolve.ts';

const epochsIndex = process.argv.indexOf('--epochs');
const cnnEpochs = epochsIndex > 0 ? Number(process.argv[epochsIndex + 1]) : 5;
const cli = resolve('dist/cli.js');
const load = () => loadavg()[0].toFixed(1);

const cases = {
  cnn: {
    title: `digits CNN, ${cnnEpochs} epochs, batch 32`,
    file: resolve('templates/digits/data/digits.csv'),
    problem: { data: 'data/data.csv', target: 'label', task: 'image', metric: 'accuracy' },
    prepare: [{ op: 'image', rows: 8, cols: 8, channels: 1, scale: 16 }],
    candidate: {
      name: 'cnn',
      model: 'cnn',
      filters: [16],
      kernelSize: 3,
      epochs: cnnEpochs,
      batchSize: 32,
      learningRate: 0.003,
    },
    builder: cnnBuilder,
    inputShape: [8, 8, 1],
    scale: 16,
    classes: 10,
  },
  mlp: {
    title: 'Sonar MLP 60→30→2, 50 epochs, batch 5',
    file: resolve('templates/sonar/data/sonar.csv'),
    problem: {
      data: 'data/data.csv',
      target: 'Class',
      task: 'binary',
      metric: 'accuracy',
      positiveClass: 'M',
    },
    prepare: [{ op: 'standardize' }],
    candidate: { name: 'mlp', model: 'mlp', layers: [30], epochs: 50, batchSize: 5, learningRate: 0.001 },
    builder: mlpBuilder,
    inputShape: [60],
    scale: 0,
    classes: 2,
  },
};

function project(spec, validation) {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-bench-runner-'));
  mkdirSync(join(dir, 'data'));
  copyFileSync(spec.file, join(dir, 'data', 'data.csv'));
  const config = {
    problem: spec.problem,
    prepare: spec.prepare,
    evaluate: { validation, seed: 7, candidates: [spec.candidate] },
  };
  writeFileSync(join(dir, 'topdown.json'), JSON.stringify(config, null, 2));
  return dir;
}

function evaluate(dir, workers) {
  const started = performance.now();
  const args = [cli, 'evaluate', dir, '--json', '--backend', 'wasm', '--workers', String(workers)];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(run.stderr);
  const result = JSON.parse(run.stdout);
  const record = JSON.parse(readFileSync(join(dir, 'runs', result.candidates[0].runId, 'run.json'), 'utf8'));
  return { wallMs, result, record };
}

/** A bare model.fit of the zoo's own architecture on 80% of the rows (standardized or scaled like the pipeline). */
async function bareFit(tf, spec) {
  const table = await readCsv(spec.file);
  const target = table.columns.at(-1);
  const features = table.columns.slice(0, -1);
  const rows = Math.round(table.rowCount * 0.8);
  const width = features.length;
  const x = new Float32Array(rows * width);
  features.forEach((column, j) => {
    let mean = 0;
    let deviation = spec.scale;
    if (!spec.scale) {
      for (let i = 0; i < rows; i++) mean += column.values[i] / rows;
      let variance = 0;
      for (let i = 0; i < rows; i++) variance += (column.values[i] - mean) ** 2 / (rows - 1);
      deviation = Math.sqrt(variance) || 1;
    }
    for (let i = 0; i < rows; i++) x[i * width + j] = (column.values[i] - mean) / deviation;
  });
  const labels = [
    ...new Set(Array.from({ length: table.rowCount }, (_, i) => String(target.values[i]))),
  ].sort();
  const y = Int32Array.from({ length: rows }, (_, i) => labels.indexOf(String(target.values[i])));
  const candidate = resolveCandidate(spec.candidate);
  const context = {
    task: spec.problem.task,
    inputShape: spec.inputShape,
    outputUnits: spec.classes,
    seed: 7,
    tf,
    projectDir: tmpdir(),
  };
  const model = spec.builder(candidate)(tf, context);
  model.compile({
    optimizer: tf.train.adam(candidate.learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const xs = tf.tensor(x, [rows, ...spec.inputShape]);
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), spec.classes).toFloat();
  const started = performance.now();
  await model.fit(xs, ys, {
    epochs: candidate.epochs,
    batchSize: candidate.batchSize,
    shuffle: true,
    verbose: 0,
  });
  return performance.now() - started;
}

const { tf } = await loadBackend('wasm');
console.log(
  '| case | bare tfjs model.fit ms | topdown fold in worker ms | ratio | topdown whole command ms | load |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const spec of Object.values(cases)) {
  const bareMs = await bareFit(tf, spec);
  const single = evaluate(project(spec, { scheme: 'split', testFraction: 0.2 }), 1);
  const foldMs = single.record.folds[0].durationMs;
  console.log(
    `| ${spec.title} | ${bareMs.toFixed(0)} | ${foldMs} | ${(foldMs / bareMs).toFixed(2)}x | ${single.wallMs.toFixed(0)} | ${load()} |`,
  );
}

console.log('');
console.log('| 10-fold evaluation | 1 worker s | 2 workers s | speed-up | score | load |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const spec of Object.values(cases)) {
  const validation = { scheme: 'stratified-kfold', folds: 10 };
  const one = evaluate(project(spec, validation), 1);
  const two = evaluate(project(spec, validation), 2);
  console.log(
    `| ${spec.title} | ${(one.wallMs / 1000).toFixed(1)} | ${(two.wallMs / 1000).toFixed(1)} | ${(one.wallMs / two.wallMs).toFixed(2)}x | ${one.result.candidates[0].mean} | ${load()} |`,
  );
}
