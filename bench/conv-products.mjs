// The SIMD products (src/core/models/loop/gemm-simd.ts, kernels.wat's `product`) at the shapes of the
// two-block Fashion CNN (cnn2-fashion: conv 32 → pool → conv 64 → pool → dense 128 → 10, batch 128): each
// layer's forward product, kernel gradient and input gradient, in G multiply-adds per CPU second of this
// process. Seeded data, one warm-up call, then repeats until the time budget is spent.
// Usage: node --import tsx bench/conv-products.mjs [--seconds 1] [--only conv2-forward,...]
import * as os from 'node:os';
import { parseArgs } from 'node:util';
// From trainer.ts, not gemm-simd.ts: tsx loads a .ts file imported from an ES module apart from the same file
// required by the others, and workspace.ts must see the prepared kernels.
import { prepareLoopKernels } from '../src/core/models/loop/trainer.ts';
import { workspace } from '../src/core/models/loop/workspace.ts';
import { createRng } from '../src/core/random.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '1' }, only: { type: 'string' } },
});
const seconds = Number(values.seconds);
const only = values.only?.split(',').filter(Boolean);

// [name, product, m, k, n]: matmul and affine are out[m×n] = a[m×k]·b[k×n]; matmulTransposeA is
// out[k×n] = a[m×k]ᵀ·b[m×n] (a kernel gradient over m pixels).
const cases = [
  ['conv1-forward', 'affine', 128 * 784, 9, 32],
  ['conv1-kernel-gradient', 'matmulTransposeA', 128 * 784, 9, 32],
  ['conv2-forward', 'affine', 128 * 196, 288, 64],
  ['conv2-kernel-gradient', 'matmulTransposeA', 128 * 196, 288, 64],
  ['conv2-input-gradient', 'matmul', 128 * 196, 64, 288],
  ['dense-forward', 'affine', 128, 3136, 128],
  ['dense-kernel-gradient', 'matmulTransposeA', 128, 3136, 128],
  ['dense-input-gradient', 'matmul', 128, 128, 3136],
];

const random = createRng(7);

await prepareLoopKernels();
for (const [name, product, m, k, n] of cases) {
  if (only?.length && !only.includes(name)) continue;
  const transposeA = product === 'matmulTransposeA';
  const { arrays, kernels } = workspace({
    a: m * k,
    b: (transposeA ? m : k) * n,
    bias: n,
    out: (transposeA ? k : m) * n,
  });
  for (const array of [arrays.a, arrays.b, arrays.bias])
    for (let i = 0; i < array.length; i++) array[i] = random();
  const run = () =>
    product === 'affine'
      ? kernels.affine(arrays.a, arrays.b, arrays.bias, arrays.out, m, k, n, true)
      : kernels[product](arrays.a, arrays.b, arrays.out, m, k, n);
  run();
  let repeats = 0;
  const started = process.cpuUsage();
  let cpu = 0;
  while (cpu < seconds) {
    run();
    repeats++;
    const used = process.cpuUsage(started);
    cpu = (used.user + used.system) / 1e6;
  }
  const rate = (repeats * m * k * n) / cpu / 1e9;
  console.log(
    `${name.padEnd(22)} ${`${m}x${k}x${n}`.padEnd(14)} ${rate.toFixed(2)} G multiply-adds per CPU second`,
  );
}
console.log(`load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
