// Training throughput (samples/s) per TensorFlow.js backend: webgpu when a GPU adapter is found, tensorflow
// when tfjs-node loads, then wasm and cpu.
// Usage: node --import tsx bench/backends.mjs [--seconds 3] [--backends webgpu,wasm,cpu]
//        [--workloads mlp,cnn,lstm,cnn28] [--scale 1] [--json file] [--loop] [--cpu]
// Each workload trains a plain tf.LayersModel with model.fit (the same call the zoo makes), one warm-up
// epoch, then whole epochs until the time budget is spent (at least one). Architectures match the PyTorch comparison:
//   mlp    60 → 60 (relu) → 30 (relu) → 1 (sigmoid), 200 rows, batch 5
//   cnn    8×8×1 → conv 16 3×3 (relu) → max-pool 2×2 → dense 10 (softmax), 1500 rows, batch 32 (digits)
//   lstm   look-back 12 × 1 → LSTM(50) → dense 1, 1000 windows, batch 32
//   gru    look-back 12 × 1 → GRU(50) → dense 1, 1000 windows, batch 32 (not in the default set)
//   cnn28  28×28×1 → conv 32 3×3 → pool → conv 64 3×3 → pool → dense 128 → dense 10, 2000 rows, batch 200 (MNIST-style)
//   fashion   28×28×1 → conv 16 3×3 same (relu) → pool → dense 10, 2000 rows, batch 128 (the zoo's small CNN)
//   fashion2  28×28×1 → conv 32 same → pool → conv 64 same → pool → dense 128 → dense 10, 1000 rows, batch 128
// --loop trains on wasm and cpu through Topdown's typed-array loop (src/core/models/loop/trainer.ts) where it
// takes the model (softmax classifiers: cnn, cnn28 under its cost cap), as the zoo does; model.fit otherwise.
// --cpu reports samples per CPU-second of this process instead of per second (load-proof on a busy machine).
// --scale multiplies the rows (0.05 for a quick check on a software renderer). Also bundled for a GPU machine
// without node_modules by bench/gpu/build.mjs (so: no top-level await, no import.meta).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadBackend } from '../src/runner/backend.ts';
import { findGpu } from '../src/runner/backend-webgpu.ts';
import { loopTrainerFor, prepareLoopKernels } from '../src/core/models/loop/trainer.ts';
import { createRng } from '../src/core/random.ts';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}

const budgetMs = 1000 * Number(option('seconds', '3'));
const scale = Number(option('scale', '1'));
const jsonFile = option('json', undefined);
const useLoop = process.argv.includes('--loop');
const perCpuSecond = process.argv.includes('--cpu');

/** mulberry32, so every backend trains on the same data. */
function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function randomArray(length, seed) {
  const random = rng(seed);
  return Float32Array.from({ length }, () => random() * 2 - 1);
}

function rows(count) {
  return Math.max(1, Math.round(count * scale));
}

/** One-hot labels for `count` rows of `classes` classes. Cast after oneHot: oneHot(..., 'float32') is wrong on wasm 4.22. */
function labels(tf, count, classes, seed) {
  const indices = tf.tensor1d(
    Int32Array.from(randomArray(count, seed), (value) => Math.floor((value + 1) * classes) % classes),
    'int32',
  );
  const y = tf.oneHot(indices, classes).toFloat();
  indices.dispose();
  return y;
}

const workloads = {
  mlp: (tf) => {
    const count = rows(200);
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [60], units: 60, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 30, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d(randomArray(count * 60, 1), [count, 60]);
    const y = tf.tensor2d(
      Float32Array.from(randomArray(count, 2), (value) => (value > 0 ? 1 : 0)),
      [count, 1],
    );
    return { model, x, y, batchSize: 5 };
  },
  cnn: (tf) => {
    const count = rows(1500);
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 16, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(randomArray(count * 64, 3), [count, 8, 8, 1]);
    return { model, x, y: labels(tf, count, 10, 4), batchSize: 32 };
  },
  lstm: (tf) => {
    const count = rows(1000);
    const model = tf.sequential();
    model.add(tf.layers.lstm({ inputShape: [12, 1], units: 50, recurrentInitializer: 'glorotUniform' }));
    model.add(tf.layers.dense({ units: 1 }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
    const x = tf.tensor3d(randomArray(count * 12, 5), [count, 12, 1]);
    const y = tf.tensor2d(randomArray(count, 6), [count, 1]);
    return { model, x, y, batchSize: 32 };
  },
  gru: (tf) => {
    const count = rows(1000);
    const model = tf.sequential();
    model.add(tf.layers.gru({ inputShape: [12, 1], units: 50, recurrentInitializer: 'glorotUniform' }));
    model.add(tf.layers.dense({ units: 1 }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
    const x = tf.tensor3d(randomArray(count * 12, 5), [count, 12, 1]);
    const y = tf.tensor2d(randomArray(count, 6), [count, 1]);
    return { model, x, y, batchSize: 32 };
  },
  cnn28: (tf) => {
    const count = rows(2000);
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(randomArray(count * 784, 7), [count, 28, 28, 1]);
    return { model, x, y: labels(tf, count, 10, 8), batchSize: 200 };
  },
  fashion: (tf) => fashionCnn(tf, [16], [], rows(2000)),
  fashion2: (tf) => fashionCnn(tf, [32, 64], [128], rows(1000)),
};

/** The zoo's cnn on 28×28 grey images: same-padded 3×3 conv blocks with 2×2 pooling, dense layers, batch 128. */
function fashionCnn(tf, filters, dense, count) {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [28, 28, 1] }));
  for (const size of filters) {
    model.add(tf.layers.conv2d({ filters: size, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  }
  model.add(tf.layers.flatten());
  for (const units of dense) model.add(tf.layers.dense({ units, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(Float32Array.from(randomArray(count * 784, 9), Math.abs), [count, 28, 28, 1]);
  return { model, x, y: labels(tf, count, 10, 10), batchSize: 128 };
}

/** One epoch through the typed-array loop when --loop asks for it and the loop takes the model, else undefined. */
function loopEpoch(tf, model, x, y, batchSize) {
  if (!useLoop || !['wasm', 'cpu'].includes(tf.getBackend())) return undefined;
  // One-hot labels (softmax, cross-entropy) or a single regression target (linear, mean squared error).
  const classification = y.shape[1] >= 2;
  const training = { epochs: 1, batchSize, optimizer: 'adam', learningRate: 0.001, l2: 0 };
  const trainer = loopTrainerFor(model, training, classification);
  if (!trainer) return undefined;
  const xValues = x.dataSync();
  const targets = classification
    ? Float32Array.from(tf.tidy(() => y.argMax(1)).dataSync())
    : Float32Array.from(y.dataSync());
  const rng = createRng(1);
  return () => trainer.trainEpoch(xValues, targets, x.shape[0], rng, async () => false);
}

async function measure(tf, build) {
  const { model, x, y, batchSize } = build(tf);
  const count = x.shape[0];
  const epoch =
    loopEpoch(tf, model, x, y, batchSize) ??
    (() => model.fit(x, y, { epochs: 1, batchSize, shuffle: true, verbose: 0 }));
  await epoch();
  let epochs = 0;
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  while (epochs === 0 || performance.now() - started < budgetMs) {
    await epoch();
    epochs++;
  }
  const cpu = process.cpuUsage(startedCpu);
  const seconds = perCpuSecond ? (cpu.user + cpu.system) / 1e6 : (performance.now() - started) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return (count * epochs) / seconds;
}

async function availableBackends() {
  const names = [];
  const notes = {};
  const gpu = await findGpu(undefined);
  if (gpu.ok) {
    names.push('webgpu');
    notes.webgpu = gpu.adapter.description;
  } else {
    console.log(gpu.reason);
  }
  try {
    createRequire(join(process.cwd(), 'package.json')).resolve('@tensorflow/tfjs-node');
    names.push('tensorflow');
  } catch {
    // Not installed: nothing to measure.
  }
  names.push('wasm', 'cpu');
  return { names, notes };
}

async function main() {
  await prepareLoopKernels();
  const found = await availableBackends();
  const chosen = option('backends', undefined)?.split(',') ?? found.names;
  const workloadNames = option('workloads', 'mlp,cnn,lstm').split(',');
  const results = {};
  const devices = {};
  for (const name of chosen) {
    let loaded;
    try {
      loaded = await loadBackend(name);
    } catch (error) {
      console.log(`${name}: not available (${error.message})`);
      continue;
    }
    if (loaded.info.device) devices[name] = loaded.info.device;
    results[name] = {};
    for (const workload of workloadNames) {
      results[name][workload] = await measure(loaded.tf, workloads[workload]);
      console.error(`${name} ${workload}: ${results[name][workload].toFixed(0)} samples/s`);
    }
  }

  const names = Object.keys(results);
  const header = [
    'workload',
    ...names.map((name) => `${name} samples/s`),
    ...(names.includes('cpu') ? names.filter((name) => name !== 'cpu').map((name) => `${name}/cpu`) : []),
  ];
  console.log(header.join('\t'));
  for (const workload of workloadNames) {
    const row = [workload, ...names.map((name) => results[name][workload].toFixed(0))];
    if (names.includes('cpu')) {
      for (const name of names.filter((other) => other !== 'cpu'))
        row.push(`${(results[name][workload] / results.cpu[workload]).toFixed(1)}x`);
    }
    console.log(row.join('\t'));
  }
  for (const [name, device] of Object.entries(devices)) console.log(`${name}: ${device}`);
  if (jsonFile) {
    const report = { samplesPerSecond: results, devices, scale, budgetMs, node: process.version };
    writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
