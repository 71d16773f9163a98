/**
 * Sparse matrices in compressed sparse row form (CSR, as scipy's `csr_matrix`): what text features are, since a
 * 6,000 × 20,000 TF-IDF matrix holds a few hundred thousand non-zero values and would take 480 MB dense.
 */
import { TopdownError } from './errors';

/** A rows × cols matrix: row r's values are values[indptr[r] .. indptr[r + 1]) at columns indices[...]. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** rows + 1 offsets into indices and values. */
  indptr: Int32Array;
  /** Column of each stored value, ascending within a row. */
  indices: Int32Array;
  values: Float32Array;
}

/** The most values a sparse matrix is turned into dense for a model that needs dense input (64 MiB of float32). */
export const MAX_DENSE_VALUES = 1 << 24;

/** Builds a CSR matrix from one sorted (column, value) list per row. */
export function csrFromRows(
  rows: Array<{ columns: ArrayLike<number>; values: ArrayLike<number> }>,
  cols: number,
): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((row, index) => (indptr[index + 1] = indptr[index] + row.columns.length));
  const indices = new Int32Array(indptr[rows.length]);
  const values = new Float32Array(indptr[rows.length]);
  rows.forEach((row, index) => {
    indices.set(row.columns, indptr[index]);
    values.set(row.values, indptr[index]);
  });
  return { rows: rows.length, cols, indptr, indices, values };
}

/** The given rows of a matrix, in the given order. */
export function selectCsrRows(matrix: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    indptr[index + 1] = indptr[index] + matrix.indptr[row + 1] - matrix.indptr[row];
  }
  const indices = new Int32Array(indptr[rows.length]);
  const values = new Float32Array(indptr[rows.length]);
  for (let index = 0; index < rows.length; index++) {
    const start = matrix.indptr[rows[index]];
    const end = matrix.indptr[rows[index] + 1];
    indices.set(matrix.indices.subarray(start, end), indptr[index]);
    values.set(matrix.values.subarray(start, end), indptr[index]);
  }
  return { rows: rows.length, cols: matrix.cols, indptr, indices, values };
}

/** Matrices with the same rows side by side (scipy's `hstack`). */
export function hstackCsr(blocks: CsrMatrix[]): CsrMatrix {
  const rows = blocks[0]?.rows ?? 0;
  const indptr = new Int32Array(rows + 1);
  for (let row = 0; row < rows; row++) {
    let count = 0;
    for (const block of blocks) count += block.indptr[row + 1] - block.indptr[row];
    indptr[row + 1] = indptr[row] + count;
  }
  const indices = new Int32Array(indptr[rows]);
  const values = new Float32Array(indptr[rows]);
  for (let row = 0; row < rows; row++) {
    let position = indptr[row];
    let offset = 0;
    for (const block of blocks) {
      for (let item = block.indptr[row]; item < block.indptr[row + 1]; item++) {
        indices[position] = block.indices[item] + offset;
        values[position++] = block.values[item];
      }
      offset += block.cols;
    }
  }
  const cols = blocks.reduce((sum, block) => sum + block.cols, 0);
  return { rows, cols, indptr, indices, values };
}

/** A dense row-major column block (rows × width) as CSR, zeros left out. */
export function denseToCsr(values: ArrayLike<number>, rows: number, width: number): CsrMatrix {
  const list = Array.from({ length: rows }, (_, row) => {
    const columns: number[] = [];
    const kept: number[] = [];
    for (let column = 0; column < width; column++) {
      const value = values[row * width + column];
      if (value !== 0) {
        columns.push(column);
        kept.push(value);
      }
    }
    return { columns, values: kept };
  });
  return csrFromRows(list, width);
}

/**
 * The matrix as dense row-major float32, for a model that reads dense input; MODEL_INVALID when it would hold
 * more than {@link MAX_DENSE_VALUES} values. `who` completes "… for <who>".
 */
export function csrToDense(matrix: CsrMatrix, who: string): Float32Array {
  const size = matrix.rows * matrix.cols;
  if (size > MAX_DENSE_VALUES) {
    throw new TopdownError(
      'MODEL_INVALID',
      `The text features are ${matrix.rows} × ${matrix.cols}: too large to make dense (${size.toLocaleString('en-US')} values) for ${who}.`,
      {
        hint: 'Use a model that reads sparse features (logistic, multinomial-nb), or lower the text op\'s "maxTokens".',
      },
    );
  }
  const dense = new Float32Array(size);
  for (let row = 0; row < matrix.rows; row++) {
    for (let item = matrix.indptr[row]; item < matrix.indptr[row + 1]; item++)
      dense[row * matrix.cols + matrix.indices[item]] = matrix.values[item];
  }
  return dense;
}
