/**
 * Dense matrix products on row-major Float32Arrays (summed in float64 within a block) for the training loop's layers. The loops run the
 * innermost index over contiguous memory, which V8 compiles to tight code, and work on blocks of two output
 * rows by four rows of the streamed operand, so each value loaded feeds several multiply-adds (about three
 * times as fast as one row at a time for the LSTM's [32 × 50]·[50 × 200]). Blocks whose left-operand values
 * are all zero (ReLU outputs, padding) are skipped. The layers run gemm-simd.ts's WebAssembly versions of
 * these products, three to four times as fast, wherever the runtime has WebAssembly SIMD; these are the
 * fallback and the reference the SIMD kernels are tested against.
 */

/** out[m×n] (+)= a[m×k] · b[k×n]; `accumulate` adds to out instead of overwriting it. */
export function matmul(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  accumulate = false,
  aOffset = 0,
  outOffset = 0,
): void {
  if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
  const grouped = k - (k % 4);
  let row = 0;
  for (; row + 1 < m; row += 2) {
    const outFirst = outOffset + row * n;
    const outSecond = outFirst + n;
    const aFirst = aOffset + row * k;
    const aSecond = aFirst + k;
    let inner = 0;
    for (; inner < grouped; inner += 4) {
      const first0 = a[aFirst + inner];
      const first1 = a[aFirst + inner + 1];
      const first2 = a[aFirst + inner + 2];
      const first3 = a[aFirst + inner + 3];
      const second0 = a[aSecond + inner];
      const second1 = a[aSecond + inner + 1];
      const second2 = a[aSecond + inner + 2];
      const second3 = a[aSecond + inner + 3];
      if (
        first0 === 0 &&
        first1 === 0 &&
        first2 === 0 &&
        first3 === 0 &&
        second0 === 0 &&
        second1 === 0 &&
        second2 === 0 &&
        second3 === 0
      )
        continue;
      const b0 = inner * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let column = 0; column < n; column++) {
        const value0 = b[b0 + column];
        const value1 = b[b1 + column];
        const value2 = b[b2 + column];
        const value3 = b[b3 + column];
        out[outFirst + column] += first0 * value0 + first1 * value1 + first2 * value2 + first3 * value3;
        out[outSecond + column] += second0 * value0 + second1 * value1 + second2 * value2 + second3 * value3;
      }
    }
    for (; inner < k; inner++) {
      const first = a[aFirst + inner];
      const second = a[aSecond + inner];
      if (first === 0 && second === 0) continue;
      const bRow = inner * n;
      for (let column = 0; column < n; column++) {
        const value = b[bRow + column];
        out[outFirst + column] += first * value;
        out[outSecond + column] += second * value;
      }
    }
  }
  if (row < m) {
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
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  accumulate = false,
  aOffset = 0,
  bOffset = 0,
): void {
  if (!accumulate) out.fill(0, 0, k * n);
  const grouped = m - (m % 4);
  for (let row = 0; row < grouped; row += 4) {
    const a0 = aOffset + row * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    const b0 = bOffset + row * n;
    const b1 = b0 + n;
    const b2 = b1 + n;
    const b3 = b2 + n;
    let inner = 0;
    for (; inner + 1 < k; inner += 2) {
      const first0 = a[a0 + inner];
      const first1 = a[a1 + inner];
      const first2 = a[a2 + inner];
      const first3 = a[a3 + inner];
      const second0 = a[a0 + inner + 1];
      const second1 = a[a1 + inner + 1];
      const second2 = a[a2 + inner + 1];
      const second3 = a[a3 + inner + 1];
      if (
        first0 === 0 &&
        first1 === 0 &&
        first2 === 0 &&
        first3 === 0 &&
        second0 === 0 &&
        second1 === 0 &&
        second2 === 0 &&
        second3 === 0
      )
        continue;
      const outFirst = inner * n;
      const outSecond = outFirst + n;
      for (let column = 0; column < n; column++) {
        const value0 = b[b0 + column];
        const value1 = b[b1 + column];
        const value2 = b[b2 + column];
        const value3 = b[b3 + column];
        out[outFirst + column] += first0 * value0 + first1 * value1 + first2 * value2 + first3 * value3;
        out[outSecond + column] += second0 * value0 + second1 * value1 + second2 * value2 + second3 * value3;
      }
    }
    if (inner < k) {
      const first0 = a[a0 + inner];
      const first1 = a[a1 + inner];
      const first2 = a[a2 + inner];
      const first3 = a[a3 + inner];
      const outRow = inner * n;
      for (let column = 0; column < n; column++)
        out[outRow + column] +=
          first0 * b[b0 + column] +
          first1 * b[b1 + column] +
          first2 * b[b2 + column] +
          first3 * b[b3 + column];
    }
  }
  for (let row = grouped; row < m; row++) {
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
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  n: number,
  k: number,
  accumulate = false,
  aOffset = 0,
  outOffset = 0,
): void {
  let row = 0;
  for (; row + 1 < m; row += 2)
    transposeBRowPair(a, b, out, n, k, accumulate, aOffset + row * n, outOffset + row * k);
  if (row < m) transposeBRow(a, b, out, n, k, accumulate, aOffset + row * n, outOffset + row * k);
}

/** Two rows of matmulTransposeB's out (from a's rows at aFirst and aFirst + n): blocks of four columns, then the rest. */
function transposeBRowPair(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  n: number,
  k: number,
  accumulate: boolean,
  aFirst: number,
  outFirst: number,
): void {
  const grouped = k - (k % 4);
  let inner = 0;
  for (; inner < grouped; inner += 4) transposeBBlock(a, b, out, n, k, accumulate, aFirst, outFirst, inner);
  const aSecond = aFirst + n;
  const outSecond = outFirst + k;
  for (; inner < k; inner++) {
    const bRow = inner * n;
    let first = 0;
    let second = 0;
    for (let column = 0; column < n; column++) {
      first += a[aFirst + column] * b[bRow + column];
      second += a[aSecond + column] * b[bRow + column];
    }
    out[outFirst + inner] = accumulate ? out[outFirst + inner] + first : first;
    out[outSecond + inner] = accumulate ? out[outSecond + inner] + second : second;
  }
}

/** Two rows × four columns (from `inner`) of matmulTransposeB's out: eight dot products over one pass of n. */
function transposeBBlock(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  n: number,
  k: number,
  accumulate: boolean,
  aFirst: number,
  outFirst: number,
  inner: number,
): void {
  const aSecond = aFirst + n;
  const outSecond = outFirst + k;
  const b0 = inner * n;
  const b1 = b0 + n;
  const b2 = b1 + n;
  const b3 = b2 + n;
  let first0 = 0;
  let first1 = 0;
  let first2 = 0;
  let first3 = 0;
  let second0 = 0;
  let second1 = 0;
  let second2 = 0;
  let second3 = 0;
  for (let column = 0; column < n; column++) {
    const first = a[aFirst + column];
    const second = a[aSecond + column];
    const value0 = b[b0 + column];
    const value1 = b[b1 + column];
    const value2 = b[b2 + column];
    const value3 = b[b3 + column];
    first0 += first * value0;
    first1 += first * value1;
    first2 += first * value2;
    first3 += first * value3;
    second0 += second * value0;
    second1 += second * value1;
    second2 += second * value2;
    second3 += second * value3;
  }
  store4(out, outFirst + inner, accumulate, first0, first1, first2, first3);
  store4(out, outSecond + inner, accumulate, second0, second1, second2, second3);
}

/** Writes (or adds, when accumulating) four values at out[at..at + 3]. */
function store4(
  out: Float32Array,
  at: number,
  accumulate: boolean,
  value0: number,
  value1: number,
  value2: number,
  value3: number,
): void {
  if (accumulate) {
    out[at] += value0;
    out[at + 1] += value1;
    out[at + 2] += value2;
    out[at + 3] += value3;
  } else {
    out[at] = value0;
    out[at + 1] = value1;
    out[at + 2] = value2;
    out[at + 3] = value3;
  }
}

/** The last, odd row of matmulTransposeB's out. */
function transposeBRow(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  n: number,
  k: number,
  accumulate: boolean,
  aRow: number,
  outRow: number,
): void {
  for (let inner = 0; inner < k; inner++) {
    const bRow = inner * n;
    let sum = 0;
    for (let column = 0; column < n; column++) sum += a[aRow + column] * b[bRow + column];
    out[outRow + inner] = accumulate ? out[outRow + inner] + sum : sum;
  }
}

/**
 * The three products as one object, so a layer can be handed the kernels that suit where its arrays live:
 * these JavaScript ones, or gemm-simd.ts's WebAssembly ones for arrays in a workspace (workspace.ts).
 */
export interface Products {
  matmul: typeof matmul;
  matmulTransposeA: typeof matmulTransposeA;
  matmulTransposeB: typeof matmulTransposeB;
}

/** The JavaScript products above, for arrays anywhere. */
export const scalarProducts: Products = { matmul, matmulTransposeA, matmulTransposeB };
