/**
 * The vocabulary of a text op, learned from the training documents as scikit-learn's `CountVectorizer` does:
 * tokens in at least `minCount` documents, the `maxTokens` most frequent by total count (ties alphabetical),
 * listed in alphabetical order; and TF-IDF weights as its `TfidfTransformer` (smooth idf, L2-normalised rows).
 */
import type { CsrMatrix } from '../sparse';
import { internDocuments, type TokenDictionary } from './token-ids';

/** Default tokens kept per vocabulary. */
export const DEFAULT_MAX_TOKENS = 20_000;

/** The fitted vocabulary: tokens in feature order, and each one's document frequency in the training part. */
export interface Vocabulary {
  tokens: string[];
  documents: number[];
}

/** Learns a vocabulary from tokenized training documents. */
export function fitVocabulary(documents: string[][], maxTokens: number, minCount: number): Vocabulary {
  const { ids, dictionary } = internDocuments(documents);
  return fitVocabularyIds(ids, dictionary, maxTokens, minCount);
}

/** {@link fitVocabulary} on documents of token ids (counted in typed arrays, ties broken by the token text). */
export function fitVocabularyIds(
  documents: readonly Int32Array[],
  dictionary: TokenDictionary,
  maxTokens: number,
  minCount: number,
): Vocabulary {
  const size = dictionary.size;
  const totals = new Float64Array(size);
  const frequencies = new Int32Array(size);
  // The last document that counted each token, instead of a set per document.
  const last = new Int32Array(size).fill(-1);
  documents.forEach((ids, document) => {
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index];
      totals[id]++;
      if (last[id] !== document) {
        frequencies[id]++;
        last[id] = document;
      }
    }
  });
  const order = dictionary.order();
  let kept = Int32Array.from(frequencies.keys()).filter(
    (id) => frequencies[id] >= minCount && totals[id] > 0,
  );
  if (kept.length > maxTokens)
    kept = kept.sort((a, b) => totals[b] - totals[a] || order[a] - order[b]).slice(0, maxTokens);
  kept.sort((a, b) => order[a] - order[b]);
  return {
    tokens: Array.from(kept, (id) => dictionary.tokens[id]),
    documents: Array.from(kept, (id) => frequencies[id]),
  };
}

/** Token counts per document over a vocabulary (unknown tokens left out), as CSR; `binary` keeps 1 for presence. */
export function countMatrix(documents: string[][], tokens: string[], binary = false): CsrMatrix {
  const { ids, dictionary } = internDocuments(documents);
  return countMatrixIds(ids, dictionary.positions(tokens), tokens.length, binary);
}

/**
 * {@link countMatrix} on documents of token ids; `columns[id]` is the vocabulary column of token `id`, or -1 for a
 * token outside the vocabulary.
 */
export function countMatrixIds(
  documents: readonly Int32Array[],
  columns: Int32Array,
  width: number,
  binary = false,
): CsrMatrix {
  const counts = new Float32Array(width);
  const touched = new Int32Array(width);
  const indptr = new Int32Array(documents.length + 1);
  let indices = new Int32Array(1024);
  let values = new Float32Array(1024);
  documents.forEach((ids, row) => {
    let present = 0;
    for (let index = 0; index < ids.length; index++) {
      const column = columns[ids[index]];
      if (column < 0) continue;
      if (counts[column] === 0) touched[present++] = column;
      counts[column]++;
    }
    const start = indptr[row];
    if (start + present > indices.length) {
      const capacity = Math.max(2 * indices.length, start + present);
      indices = grow(indices, new Int32Array(capacity));
      values = grow(values, new Float32Array(capacity));
    }
    const sorted = touched.subarray(0, present).sort();
    for (let item = 0; item < present; item++) {
      const column = sorted[item];
      indices[start + item] = column;
      values[start + item] = binary ? 1 : counts[column];
      counts[column] = 0;
    }
    indptr[row + 1] = start + present;
  });
  const stored = indptr[documents.length];
  return {
    rows: documents.length,
    cols: width,
    indptr,
    indices: indices.slice(0, stored),
    values: values.slice(0, stored),
  };
}

/** `to` (a larger array) holding `from` at its start: the growth step of the typed-array counters. */
export function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Smooth inverse document frequencies: ln((1 + n) / (1 + df)) + 1, for n training documents. */
export function inverseFrequencies(documentFrequencies: number[], documentCount: number): number[] {
  return documentFrequencies.map((count) => Math.log((1 + documentCount) / (1 + count)) + 1);
}

/**
 * TF-IDF in place on a count matrix: tf (or 1 + ln tf when `sublinear`) × idf, then each row divided by its
 * Euclidean length (an empty document stays all zeros).
 */
export function weightTfidf(counts: CsrMatrix, idf: number[], sublinear: boolean): CsrMatrix {
  const { indptr, indices, values } = counts;
  for (let row = 0; row < counts.rows; row++) {
    let squares = 0;
    for (let item = indptr[row]; item < indptr[row + 1]; item++) {
      const tf = sublinear ? 1 + Math.log(values[item]) : values[item];
      const weight = tf * idf[indices[item]];
      values[item] = weight;
      squares += weight * weight;
    }
    const norm = Math.sqrt(squares);
    if (norm > 0) for (let item = indptr[row]; item < indptr[row + 1]; item++) values[item] /= norm;
  }
  return counts;
}
