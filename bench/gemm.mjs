// The JavaScript products of the typed-array loop (src/core/models/loop/gemm.ts), the fallback of the SIMD
// kernels: multiply-adds per CPU second of matmul, matmulTransposeA and matmulTransposeB at the loop's shapes
// (GRU(50) and LSTM(50) steps at batch 32, a dense layer's gradient). Seeded data, a warm-up, then repeats
// until the time budget is spent.
// Usage: node --import tsx bench/gemm.mjs [--seconds 2] [--products matmul,matmulTransposeA,matmulTransposeB]
import * as os from 'node:os';
import { scalarProducts } from '../src/core/models/loop/gemm.ts';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const seconds = Number(option('seconds', '2'));
const products = option('products', 'matmul,matmulTransposeA,matmulTransposeB').split(',');
// [m, n, k]: a GRU(50) step's [dz, dr]·U₁ᵀ, an LSTM(50) step's gate product, a dense 128 → 64 gradient.
const shapes = [
  [32, 100, 50],
  [32, 200, 50],
  [128, 64, 128],
];

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296 - 0.5;
};
const filled = (length) => Float32Array.from({ length }, random);

for (const name of products) {
  for (const [m, n, k] of shapes) {
    const product = scalarProducts[name];
    // Sizes so that every product's operands fit whichever layout it reads.
    const a = filled(Math.max(m, n) * Math.max(n, k));
    const b = filled(Math.max(m, n, k) * Math.max(n, k));
    const out = new Float32Array(Math.max(m, n) * Math.max(n, k, m));
    for (let warm = 0; warm < 200; warm++) product(a, b, out, m, n, k);
    let repeats = 0;
    const started = process.cpuUsage();
    let cpu = 0;
    while (cpu < seconds) {
      for (let index = 0; index < 100; index++) product(a, b, out, m, n, k);
      repeats += 100;
      const used = process.cpuUsage(started);
      cpu = (used.user + used.system) / 1e6;
    }
    const rate = (repeats * m * n * k) / cpu / 1e9;
    console.log(
      `${name.padEnd(17)} ${`${m}x${n}x${k}`.padEnd(11)} ${rate.toFixed(2)} G multiply-adds per CPU second`,
    );
  }
}
console.log(`load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
