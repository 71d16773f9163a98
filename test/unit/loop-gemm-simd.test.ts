import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { matmul, matmulTransposeA, matmulTransposeB } from '../../src/core/models/loop/gemm';
import { scalarKernels } from '../../src/core/models/loop/kernels';
import { prepareLoopKernels, SimdKernels, simdAvailable } from '../../src/core/models/loop/gemm-simd';
import { BatchWorkspaces } from '../../src/core/models/loop/scratch';
import { workspace } from '../../src/core/models/loop/workspace';
import { createRng } from '../../src/core/random';

/** Fills `array` with seeded values in [-1, 1), every third one zero (the JS kernels skip zero blocks). */
function fill(array: Float32Array, seed: number): Float32Array {
  const random = createRng(seed);
  for (let index = 0; index < array.length; index++) array[index] = index % 3 === 0 ? 0 : random() * 2 - 1;
  return array;
}

/**
 * Equal within float32 rounding of an `inner`-term sum of products of values in [-1, 1]: the SIMD kernels add
 * in float32, gemm.ts in float64 within its blocks.
 */
function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  inner: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length);
  for (let index = 0; index < expected.length; index++) {
    const tolerance = 4e-7 * (inner + 2) * Math.max(1, Math.abs(expected[index]));
    assert.ok(
      Math.abs(actual[index] - expected[index]) <= tolerance,
      `${what} [${index}]: ${actual[index]} ≠ ${expected[index]}`,
    );
  }
}

/**
 * Shapes with every remainder of the kernels' blocks (4 rows, 8 and 4 columns, 2 rows, lengths not a multiple of
 * 4, inner dimensions in chunks), and the LSTM's and the Fashion-MNIST CNNs' (conv 3×3 on 1 and 32 channels,
 * dense 3136 → 128).
 */
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 13];
const SHAPES: Array<[number, number, number]> = [
  ...SIZES.flatMap((m) => SIZES.map((k, index): [number, number, number] => [m, k, SIZES[(index + m) % 9]])),
  [32, 50, 200],
  [352, 50, 200],
  [32, 200, 50],
  [33, 1, 200],
  [100, 9, 16],
  [37, 288, 64],
  [9, 100, 16],
  [8, 3136, 128],
  [13, 17, 21],
  // Inner dimensions above 512 (k for matmul, m for matmulTransposeA), which the product sums in chunks of at
  // most 256: equal chunks, with block remainders in rows and columns.
  [6, 600, 13],
  [1030, 7, 9],
  [513, 5, 12],
];

describe('SIMD matrix products (gemm-simd.ts)', () => {
  before(prepareLoopKernels);

  it('are assembled from kernels.wat and run in this runtime', () => {
    assert.ok(simdAvailable());
  });

  it('are assembled too when an ES module imports the sources through tsx (the bench scripts)', () => {
    // tsx then runs gemm-simd.ts with __dirname 'data:text'; the script path must come from __filename.
    const folder = mkdtempSync(join(tmpdir(), 'topdown-simd-'));
    try {
      const script = join(folder, 'probe.mjs');
      const source = pathToFileURL(
        join(__dirname, '..', '..', 'src', 'core', 'models', 'loop', 'gemm-simd.ts'),
      );
      writeFileSync(
        script,
        `import { prepareLoopKernels, simdAvailable } from '${source.href}';\n` +
          'await prepareLoopKernels();\nprocess.stdout.write(String(simdAvailable()));\n',
      );
      const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
      assert.equal(output, 'true');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  for (const [m, k, n] of SHAPES) {
    it(`equal gemm.ts's for m=${m} k=${k} n=${n}, overwriting and accumulating, at offsets`, () => {
      const [aOffset, bOffset, outOffset] = [3, 5, 1];
      const size = Math.max(m * k, k * n, m * n);
      const space = workspace({ a: aOffset + size, b: bOffset + size, out: outOffset + size });
      assert.ok(space.kernels instanceof SimdKernels);
      const { a, b, out } = space.arrays;
      fill(a, m * 100 + k);
      fill(b, n * 100 + k + 1);
      const [plainA, plainB] = [Float32Array.from(a), Float32Array.from(b)];
      const start = fill(new Float32Array(out.length), 7);
      const expected = new Float32Array(out.length);
      for (const accumulate of [false, true]) {
        out.set(start);
        expected.set(start);
        space.kernels.matmul(a, b, out, m, k, n, accumulate, aOffset, outOffset);
        matmul(plainA, plainB, expected, m, k, n, accumulate, aOffset, outOffset);
        assertClose(out, expected, k, `matmul accumulate=${accumulate}`);

        // aᵀ[k×m]·b[m×n]: a read as m × k from aOffset, b as m × n from bOffset; out from 0.
        out.set(start);
        expected.set(start);
        space.kernels.matmulTransposeA(a, b, out, m, k, n, accumulate, aOffset, bOffset);
        matmulTransposeA(plainA, plainB, expected, m, k, n, accumulate, aOffset, bOffset);
        assertClose(out, expected, m, `matmulTransposeA accumulate=${accumulate}`);

        // a[m×n]·b[k×n]ᵀ: a from aOffset, b from 0, out from outOffset.
        out.set(start);
        expected.set(start);
        space.kernels.matmulTransposeB(a, b, out, m, n, k, accumulate, aOffset, outOffset);
        matmulTransposeB(plainA, plainB, expected, m, n, k, accumulate, aOffset, outOffset);
        assertClose(out, expected, n, `matmulTransposeB accumulate=${accumulate}`);
      }
    });
  }

  it('fall back to gemm.ts for operands outside their memory', () => {
    const { kernels: products, arrays } = workspace({ b: 12 });
    fill(arrays.b, 2);
    const a = fill(new Float32Array(6), 1);
    const out = new Float32Array(8);
    const expected = new Float32Array(8);
    products.matmul(a, arrays.b, out, 2, 3, 4);
    matmul(a, Float32Array.from(arrays.b), expected, 2, 3, 4);
    assert.deepEqual(out, expected);
  });
});

describe('workspace', () => {
  before(prepareLoopKernels);

  it('places every array in one memory, 16-byte aligned, zero-filled, when SIMD is available', () => {
    const { arrays } = workspace({ first: 3, second: 5, third: 1 });
    const { first, second, third } = arrays;
    assert.deepEqual([first.length, second.length, third.length], [3, 5, 1]);
    assert.ok(third.every((value) => value === 0));
    if (!simdAvailable()) return;
    assert.equal(first.buffer, second.buffer);
    assert.equal(second.buffer, third.buffer);
    for (const array of [first, second, third]) assert.equal(array.byteOffset % 16, 0);
    assert.ok(second.byteOffset >= first.byteOffset + 12 && third.byteOffset >= second.byteOffset + 20);
  });

  it('gives plain arrays and the JavaScript products without SIMD', () => {
    const { arrays, kernels } = workspace({ values: 4 }, false);
    assert.equal(kernels, scalarKernels);
    assert.equal(arrays.values.buffer.byteLength, 16);
  });

  it('shares one workspace between batch sizes: smaller batches get views, a larger one a new memory', () => {
    const made: number[] = [];
    const spaces = new BatchWorkspaces((batch) => {
      made.push(batch);
      return { weights: 6, rows: batch * 3 };
    });
    const large = spaces.get(4);
    const small = spaces.get(2);
    assert.deepEqual([small.arrays.weights.length, small.arrays.rows.length], [6, 6]);
    assert.equal(small.arrays.rows.buffer, large.arrays.rows.buffer, 'the same memory');
    assert.equal(small.arrays.rows.byteOffset, large.arrays.rows.byteOffset, 'a view of its first values');
    assert.equal(small.kernels, large.kernels);
    assert.equal(spaces.get(2), small, 'a view is kept per batch size');
    const larger = spaces.get(8);
    assert.equal(larger.arrays.rows.length, 24);
    if (simdAvailable()) assert.notEqual(larger.arrays.rows.buffer, large.arrays.rows.buffer, 'a new memory');
    assert.equal(spaces.get(4).arrays.rows.buffer, larger.arrays.rows.buffer, 'then views of the larger one');
  });
});
