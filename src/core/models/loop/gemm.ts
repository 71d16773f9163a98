/**
 * Dense matrix products on row-major Float64Arrays for the training loop's layers. The loops run the
 * innermost index over contiguous memory (i-k-j order), which V8 compiles to tight code, and take four rows of
 * the operand they stream at a time, so each output value is loaded and stored once per four multiply-adds
 * (about twice as fast as one row at a time for [32 × 50]·[50 × 200]); groups of four zeros in the left
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
  const grouped = k - (k % 4);
  for (let row = 0; row < m; row++) {
    const outRow = outOffset + row * n;
    const aRow = aOffset + row * k;
    let inner = 0;
    for (; inner < grouped; inner += 4) {
      const first = a[aRow + inner];
      const second = a[aRow + inner + 1];
      const third = a[aRow + inner + 2];
      const fourth = a[aRow + inner + 3];
      if (first === 0 && second === 0 && third === 0 && fourth === 0) continue;
      const bFirst = inner * n;
      const bSecond = bFirst + n;
      const bThird = bSecond + n;
      const bFourth = bThird + n;
      for (let column = 0; column < n; column++)
        out[outRow + column] +=
          first * b[bFirst + column] +
          second * b[bSecond + column] +
          third * b[bThird + column] +
          fourth * b[bFourth + column];
    }
    for (; inner < k; inner++) {
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
  const grouped = m - (m % 4);
  let row = 0;
  for (; row < grouped; row += 4) {
    const aFirst = aOffset + row * k;
    const aSecond = aFirst + k;
    const aThird = aSecond + k;
    const aFourth = aThird + k;
    const bFirst = bOffset + row * n;
    const bSecond = bFirst + n;
    const bThird = bSecond + n;
    const bFourth = bThird + n;
    for (let inner = 0; inner < k; inner++) {
      const first = a[aFirst + inner];
      const second = a[aSecond + inner];
      const third = a[aThird + inner];
      const fourth = a[aFourth + inner];
      if (first === 0 && second === 0 && third === 0 && fourth === 0) continue;
      const outRow = inner * n;
      for (let column = 0; column < n; column++)
        out[outRow + column] +=
          first * b[bFirst + column] +
          second * b[bSecond + column] +
          third * b[bThird + column] +
          fourth * b[bFourth + column];
    }
  }
  for (; row < m; row++) {
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
  const grouped = k - (k % 4);
  for (let row = 0; row < m; row++) {
    const aRow = aOffset + row * n;
    const outRow = outOffset + row * k;
    let inner = 0;
    for (; inner < grouped; inner += 4) {
      const bFirst = inner * n;
      const bSecond = bFirst + n;
      const bThird = bSecond + n;
      const bFourth = bThird + n;
      let first = 0;
      let second = 0;
      let third = 0;
      let fourth = 0;
      for (let column = 0; column < n; column++) {
        const value = a[aRow + column];
        first += value * b[bFirst + column];
        second += value * b[bSecond + column];
        third += value * b[bThird + column];
        fourth += value * b[bFourth + column];
      }
      const at = outRow + inner;
      out[at] = accumulate ? out[at] + first : first;
      out[at + 1] = accumulate ? out[at + 1] + second : second;
      out[at + 2] = accumulate ? out[at + 2] + third : third;
      out[at + 3] = accumulate ? out[at + 3] + fourth : fourth;
    }
    for (; inner < k; inner++) {
      const bRow = inner * n;
      let sum = 0;
      for (let column = 0; column < n; column++) sum += a[aRow + column] * b[bRow + column];
      out[outRow + inner] = accumulate ? out[outRow + inner] + sum : sum;
    }
  }
}
