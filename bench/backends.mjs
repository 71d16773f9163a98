// Training throughput (samples/s) per TensorFlow.js backend: wasm, cpu, and tensorflow when tfjs-node loads.
// Usage: node --import tsx bench/backends.mjs [--seconds 3]
// Each workload trains a plain tf.LayersModel with model.fit (the same call the zoo makes), one warm-up
// epoch, then whole epochs until the time budget is spent. Architectures match the PyTorch comparison:
//   mlp   60 → 60 (relu) → 30 (relu) → 1 (sigmoid), 200 rows, batch 5
//   cnn   8×8×1 → conv 16 3×3 (relu) → max-pool 2×2 → dense 10 (softmax), 1500 rows, batch 32
//   lstm  look-back 12 × 1 → LSTM(50) → dense 1, 1000 windows, batch 32
import { createRequire } from 'node:module';
import { loadBackend } from '../src/runner/backend.ts';

const secondsIndex = process.argv.indexOf('--seconds');
const budgetMs = 1000 * (secondsIndex > 0 ? Number(process.argv[secondsIndex + 1]) : 3);

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

const workloads = {
  mlp: (tf) => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [60], units: 60, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 30, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d(randomArray(200 * 60, 1), [200, 60]);
    const y = tf.tensor2d(
      Float32Array.from(randomArray(200, 2), (value) => (value > 0 ? 1 : 0)),
      [200, 1],
    );
    return { model, x, y, batchSize: 5 };
  },
  cnn: (tf) => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 16, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(randomArray(1500 * 64, 3), [1500, 8, 8, 1]);
    const labels = tf.tensor1d(
      Int32Array.from(randomArray(1500, 4), (value) => Math.floor((value + 1) * 5) % 10),
      'int32',
    );
    // Cast after oneHot: oneHot(..., 'float32') is wrong on wasm 4.22.
    const y = tf.oneHot(labels, 10).toFloat();
    labels.dispose();
    return { model, x, y, batchSize: 32 };
  },
  lstm: (tf) => {
    const model = tf.sequential();
    model.add(tf.layers.lstm({ inputShape: [12, 1], units: 50, recurrentInitializer: 'glorotUniform' }));
    model.add(tf.layers.dense({ units: 1 }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
    const x = tf.tensor3d(randomArray(1000 * 12, 5), [1000, 12, 1]);
    const y = tf.tensor2d(randomArray(1000, 6), [1000, 1]);
    return { model, x, y, batchSize: 32 };
  },
};

async function measure(tf, build) {
  const { model, x, y, batchSize } = build(tf);
  const rows = x.shape[0];
  await model.fit(x, y, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
  let epochs = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    await model.fit(x, y, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
    epochs++;
  }
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return (rows * epochs) / seconds;
}

const backends = ['wasm', 'cpu'];
try {
  createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
  backends.unshift('tensorflow');
} catch {
  // Not installed: nothing to measure.
}

const results = {};
for (const name of backends) {
  let tf;
  try {
    ({ tf } = await loadBackend(name));
  } catch (error) {
    console.log(`${name}: not available (${error.message})`);
    continue;
  }
  results[name] = {};
  for (const [workload, build] of Object.entries(workloads)) {
    results[name][workload] = await measure(tf, build);
  }
}

const names = Object.keys(results);
const header = [
  'workload',
  ...names.map((name) => `${name} samples/s`),
  ...(names.includes('cpu') ? names.filter((name) => name !== 'cpu').map((name) => `${name}/cpu`) : []),
];
console.log(header.join('\t'));
for (const workload of Object.keys(workloads)) {
  const row = [workload, ...names.map((name) => results[name][workload].toFixed(0))];
  if (names.includes('cpu')) {
    for (const name of names.filter((other) => other !== 'cpu'))
      row.push(`${(results[name][workload] / results.cpu[workload]).toFixed(1)}x`);
  }
  console.log(row.join('\t'));
}
