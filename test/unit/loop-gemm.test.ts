import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matmul, matmulTransposeA, matmulTransposeB } from '../../src/core/models/loop/gemm';
import { createRng } from '../../src/core/random';

/** Seeded values in [-1, 1), with every third one zero (the kernels skip zeros in the left operand). */
function values(length: number, seed: number): Float32Array {
  const random = createRng(seed);
  return Float32Array.from({ length }, (_, index) => (index % 3 === 0 ? 0 : random() * 2 - 1));
}

/** [rows × cols] row-major, transposed. */
function transpose(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const result = new Float32Array(matrix.length);
  for (let row = 0; row < rows; row++)
    for (let col = 0; col < cols; col++) result[col * rows + row] = matrix[row * cols + col];
  return result;
}

/** The textbook triple loop: a[m×k] · b[k×n]. */
function naive(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const result = new Float32Array(m * n);
  for (let row = 0; row < m; row++)
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let inner = 0; inner < k; inner++) sum += a[row * k + inner] * b[inner * n + col];
      result[row * n + col] = sum;
    }
  return result;
}

/** Equal within float32 rounding: the kernels store float32 sums of a few terms at a time, naive() one. */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  assert.equal(actual.length, expected.length);
  for (let index = 0; index < expected.length; index++)
    assert.ok(
      Math.abs(actual[index] - expected[index]) < 2e-6 * Math.max(1, Math.abs(expected[index])),
      `[${index}] ${actual[index]} ≠ ${expected[index]}`,
    );
}

describe('loop matrix products', () => {
  const [m, k, n] = [5, 4, 3];
  const a = values(m * k, 1);
  const b = values(k * n, 2);
  const expected = naive(a, b, m, k, n);

  it('matmul overwrites out with a · b, or adds to it', () => {
    const out = new Float32Array(m * n).fill(7);
    matmul(a, b, out, m, k, n);
    assertClose(out, expected);
    matmul(a, b, out, m, k, n, true);
    assertClose(
      out,
      expected.map((value) => 2 * value),
    );
  });

  it('matmul reads a and writes out at offsets, leaving the rest of out alone', () => {
    const padded = new Float32Array(2 + m * k);
    padded.set(a, 2);
    const out = new Float32Array(1 + m * n + 1).fill(9);
    matmul(padded, b, out, m, k, n, false, 2, 1);
    assertClose(out.subarray(1, 1 + m * n), expected);
    assert.equal(out[0], 9);
    assert.equal(out[out.length - 1], 9);
  });

  it('matmulTransposeA gives aᵀ · c, the weight gradient', () => {
    const c = values(m * n, 3);
    const out = new Float32Array(k * n).fill(7);
    matmulTransposeA(a, c, out, m, k, n);
    assertClose(out, naive(transpose(a, m, k), c, k, m, n));
    matmulTransposeA(a, c, out, m, k, n, true);
    assertClose(
      out,
      naive(transpose(a, m, k), c, k, m, n).map((value) => 2 * value),
    );
  });

  it('matmulTransposeB gives c · bᵀ, the input gradient, overwriting or adding at an offset', () => {
    const c = values(m * n, 4);
    const out = new Float32Array(m * k).fill(7);
    matmulTransposeB(c, b, out, m, n, k);
    const reference = naive(c, transpose(b, k, n), m, n, k);
    assertClose(out, reference);
    const shifted = new Float32Array(3 + m * k).fill(1);
    matmulTransposeB(c, b, shifted, m, n, k, true, 0, 3);
    assertClose(
      shifted.subarray(3),
      reference.map((value) => value + 1),
    );
  });
});
