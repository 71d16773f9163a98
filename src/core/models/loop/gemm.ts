/**
 * Dense matrix products on row-major Float64Arrays for the training loop's layers. The loops run the
 * innermost index over contiguous memory (i-k-j order), which V8 compiles to tight code; zeros in the left
 * operand (ReLU outputs, padding) are skipped.
 */

/** out[m×n] (+)= a[m×k] · b[k×n]; `accumulate` adds to out instead of overwriting it. */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  m: number,
  k: number,
  n: number,
  accumulate = false,
  aOffset = 0,
  outOffset = 0,
): void {
  if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
  for (let row = 0; row < m; row++) {
    const outRow = outOffset + row * n;
    const aRow = aOffset + row * k;
    for (let inner = 0; inner < k; inner++) {
      const value = a[aRow + inner];
      if (value === 0) continue;
      const bRow = inner * n;
      for (let column = 0; column < n; column++) out[outRow + column] += value * b[bRow + column];
    }
  }
}

/** out[k×n] (+)= a[m×k]ᵀ · b[m×n]: the weight gradient of y = a·W from dL/dy = b. */
export function matmulTransposeA(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  m: number,
  k: number,
  n: number,
  accumulate = false,
  aOffset = 0,
  bOffset = 0,
): void {
  if (!accumulate) out.fill(0, 0, k * n);
  for (let row = 0; row < m; row++) {
    const aRow = aOffset + row * k;
    const bRow = bOffset + row * n;
    for (let inner = 0; inner < k; inner++) {
      const value = a[aRow + inner];
      if (value === 0) continue;
      const outRow = inner * n;
      for (let column = 0; column < n; column++) out[outRow + column] += value * b[bRow + column];
    }
  }
}

/** out[m×k] (+)= a[m×n] · b[k×n]ᵀ: the input gradient of y = x·W from dL/dy = a and W = b. */
export function matmulTransposeB(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  m: number,
  n: number,
  k: number,
  accumulate = false,
  aOffset = 0,
  outOffset = 0,
): void {
  for (let row = 0; row < m; row++) {
    const aRow = aOffset + row * n;
    const outRow = outOffset + row * k;
    for (let inner = 0; inner < k; inner++) {
      const bRow = inner * n;
      let sum = 0;
      for (let column = 0; column < n; column++) sum += a[aRow + column] * b[bRow + column];
      out[outRow + inner] = accumulate ? out[outRow + inner] + sum : sum;
    }
  }
}
