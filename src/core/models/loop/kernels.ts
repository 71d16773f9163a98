/**
 * The kernels a loop layer runs on its workspace (workspace.ts): gemm.ts's matrix products, the product with a
 * bias and ReLU fused in, and the elementwise and sliding-window passes of the dense and convolution layers
 * (the ReLU derivative, bias gradients, im2col and its adjoint, max pooling and its gradient). These are the
 * JavaScript versions: the fallback where WebAssembly SIMD is missing and the reference that gemm-simd.ts's
 * SIMD versions are tested against (test/unit/loop-kernels.test.ts). Apart from the products' rounding, both
 * compute the same float32 values in the same order.
 */
import { scalarProducts, type Products } from './gemm';

/**
 * A 2-D sliding window over channels-last samples [rows, cols, channels]: the input, the window, its stride,
 * the zero padding before the first row and column, the output.
 */
export interface WindowGeometry {
  rows: number;
  cols: number;
  channels: number;
  windowRows: number;
  windowCols: number;
  strideRows: number;
  strideCols: number;
  padTop: number;
  padLeft: number;
  outputRows: number;
  outputCols: number;
}

/** The products, and the passes of the dense and convolution layers around them. */
export interface Kernels extends Products {
  /**
   * out[m×n] = a[m×k] · b[k×n] + bias (one value per column; none when undefined), then max(0, ·) with
   * `relu`: a dense or convolution layer's forward pass.
   */
  affine(
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | undefined,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    relu: boolean,
  ): void;
  /** gradient[i] = 0 wherever output[i] <= 0 (the ReLU derivative, in place), for `length` values. */
  reluGradient(gradient: Float32Array, output: Float32Array, length: number): void;
  /** out[c] = Σr values[r×columns + c], added row after row (a bias gradient). */
  columnSums(values: Float32Array, rows: number, columns: number, out: Float32Array): void;
  /**
   * Each output pixel's window (stride 1), zero-padded, as one row of `patches` ordered (window row, window
   * col, channel).
   */
  im2col(input: Float32Array, patches: Float32Array, geometry: WindowGeometry, batch: number): void;
  /** The adjoint of im2col: each row of `patches` added into `inputGradient` (zeroed here first). */
  col2im(patches: Float32Array, inputGradient: Float32Array, geometry: WindowGeometry, batch: number): void;
  /** Max pooling without padding: each output value the largest of its window, the first on ties. */
  maxPool(input: Float32Array, output: Float32Array, geometry: WindowGeometry, batch: number): void;
  /**
   * Max pooling's backward pass: each outputGradient value added to the input position its maximum came from
   * (the first in the window equal to the output, or the first NaN where the output is NaN), into
   * `inputGradient` (zeroed here first).
   */
  maxPoolGradient(
    input: Float32Array,
    output: Float32Array,
    outputGradient: Float32Array,
    inputGradient: Float32Array,
    geometry: WindowGeometry,
    batch: number,
  ): void;
}

/** out[c × r] = source[r × c]ᵀ, both row-major. */
export function transpose(source: Float32Array, rows: number, columns: number, out: Float32Array): void {
  for (let row = 0; row < rows; row++) {
    const offset = row * columns;
    for (let column = 0; column < columns; column++) out[column * rows + row] = source[offset + column];
  }
}

function affine(
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array | undefined,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  relu: boolean,
): void {
  scalarProducts.matmul(a, b, out, m, k, n);
  const length = m * n;
  if (bias) for (let index = 0; index < length; index++) out[index] += bias[index % n];
  if (relu) for (let index = 0; index < length; index++) if (out[index] < 0) out[index] = 0;
}

function reluGradient(gradient: Float32Array, output: Float32Array, length: number): void {
  for (let index = 0; index < length; index++) if (output[index] <= 0) gradient[index] = 0;
}

function columnSums(values: Float32Array, rows: number, columns: number, out: Float32Array): void {
  out.fill(0, 0, columns);
  for (let row = 0; row < rows; row++) {
    const offset = row * columns;
    for (let column = 0; column < columns; column++) out[column] += values[offset + column];
  }
}

/**
 * im2col (`toPatches`) or col2im: walks every output pixel's window in order, calling `move` for each run of
 * the window inside the image (one window row's valid columns: contiguous in both arrays) and `pad` for the
 * positions outside it.
 */
function walkWindows(
  geometry: WindowGeometry,
  batch: number,
  move: (imageAt: number, patchAt: number, count: number) => void,
  pad: (patchAt: number, count: number) => void,
): void {
  const { rows, cols, channels, windowRows, windowCols, padTop, padLeft, outputRows, outputCols } = geometry;
  const rowLength = windowCols * channels;
  let patchAt = 0;
  for (let sample = 0; sample < batch; sample++) {
    const sampleAt = sample * rows * cols * channels;
    for (let outputRow = 0; outputRow < outputRows; outputRow++) {
      for (let outputCol = 0; outputCol < outputCols; outputCol++) {
        const col = outputCol - padLeft;
        const first = Math.max(0, -col);
        const last = Math.max(first, Math.min(windowCols, cols - col));
        for (let windowRow = 0; windowRow < windowRows; windowRow++) {
          const row = outputRow + windowRow - padTop;
          if (row < 0 || row >= rows) {
            pad(patchAt, rowLength);
          } else {
            pad(patchAt, first * channels);
            move(
              sampleAt + (row * cols + col + first) * channels,
              patchAt + first * channels,
              (last - first) * channels,
            );
            pad(patchAt + last * channels, (windowCols - last) * channels);
          }
          patchAt += rowLength;
        }
      }
    }
  }
}

function im2col(input: Float32Array, patches: Float32Array, geometry: WindowGeometry, batch: number): void {
  walkWindows(
    geometry,
    batch,
    (imageAt, patchAt, count) => patches.set(input.subarray(imageAt, imageAt + count), patchAt),
    (patchAt, count) => patches.fill(0, patchAt, patchAt + count),
  );
}

function col2im(
  patches: Float32Array,
  inputGradient: Float32Array,
  geometry: WindowGeometry,
  batch: number,
): void {
  inputGradient.fill(0);
  walkWindows(
    geometry,
    batch,
    (imageAt, patchAt, count) => {
      for (let index = 0; index < count; index++) inputGradient[imageAt + index] += patches[patchAt + index];
    },
    () => undefined,
  );
}

/**
 * Visits every pooling window: `visit(corner, outputIndex)` per output value, with the input index of the
 * window's first position; the window's positions are corner + (u × cols + v) × channels.
 */
function walkPools(
  geometry: WindowGeometry,
  batch: number,
  visit: (corner: number, outputIndex: number) => void,
) {
  const { rows, cols, channels, strideRows, strideCols, outputRows, outputCols } = geometry;
  let outputIndex = 0;
  for (let sample = 0; sample < batch; sample++) {
    const sampleAt = sample * rows * cols * channels;
    for (let outputRow = 0; outputRow < outputRows; outputRow++)
      for (let outputCol = 0; outputCol < outputCols; outputCol++) {
        const corner = sampleAt + (outputRow * strideRows * cols + outputCol * strideCols) * channels;
        for (let channel = 0; channel < channels; channel++) visit(corner + channel, outputIndex++);
      }
  }
}

function maxPool(input: Float32Array, output: Float32Array, geometry: WindowGeometry, batch: number): void {
  const { cols, channels, windowRows, windowCols } = geometry;
  walkPools(geometry, batch, (corner, outputIndex) => {
    let largest = input[corner];
    for (let windowRow = 0; windowRow < windowRows; windowRow++)
      for (let windowCol = 0; windowCol < windowCols; windowCol++) {
        const value = input[corner + (windowRow * cols + windowCol) * channels];
        if (value > largest) largest = value;
      }
    output[outputIndex] = largest;
  });
}

function maxPoolGradient(
  input: Float32Array,
  output: Float32Array,
  outputGradient: Float32Array,
  inputGradient: Float32Array,
  geometry: WindowGeometry,
  batch: number,
): void {
  const { cols, channels, windowRows, windowCols } = geometry;
  inputGradient.fill(0);
  walkPools(geometry, batch, (corner, outputIndex) => {
    const largest = output[outputIndex];
    const nan = Number.isNaN(largest);
    for (let windowRow = 0; windowRow < windowRows; windowRow++)
      for (let windowCol = 0; windowCol < windowCols; windowCol++) {
        const index = corner + (windowRow * cols + windowCol) * channels;
        if (input[index] === largest || (nan && Number.isNaN(input[index]))) {
          inputGradient[index] += outputGradient[outputIndex];
          return;
        }
      }
  });
}

/** The JavaScript kernels, for arrays anywhere. */
export const scalarKernels: Kernels = {
  ...scalarProducts,
  affine,
  reluGradient,
  columnSums,
  im2col,
  col2im,
  maxPool,
  maxPoolGradient,
};
