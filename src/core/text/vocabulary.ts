/**
 * The vocabulary of a text op, learned from the training documents as scikit-learn's `CountVectorizer` does:
 * tokens in at least `minCount` documents, the `maxTokens` most frequent by total count (ties alphabetical),
 * listed in alphabetical order; and TF-IDF weights as its `TfidfTransformer` (smooth idf, L2-normalised rows).
 */
import { csrFromRows, type CsrMatrix } from '../sparse';

/** Default tokens kept per vocabulary. */
export const DEFAULT_MAX_TOKENS = 20_000;

/** The fitted vocabulary: tokens in feature order, and each one's document frequency in the training part. */
export interface Vocabulary {
  tokens: string[];
  documents: number[];
}

/** Learns a vocabulary from tokenized training documents. */
export function fitVocabulary(documents: string[][], maxTokens: number, minCount: number): Vocabulary {
  // One entry per token: total count, documents, and the last document counted (instead of a Set per document).
  const counts = new Map<string, { total: number; documents: number; last: number }>();
  documents.forEach((tokens, document) => {
    for (const token of tokens) {
      const entry = counts.get(token);
      if (entry === undefined) counts.set(token, { total: 1, documents: 1, last: document });
      else {
        entry.total++;
        if (entry.last !== document) {
          entry.documents++;
          entry.last = document;
        }
      }
    }
  });
  const kept = [...counts.entries()]
    .filter(([, entry]) => entry.documents >= minCount)
    .sort(([left, a], [right, b]) => b.total - a.total || compare(left, right))
    .slice(0, maxTokens)
    .sort(([left], [right]) => compare(left, right));
  return { tokens: kept.map(([token]) => token), documents: kept.map(([, entry]) => entry.documents) };
}

/** Code-unit order, as Python sorts strings (locale-free, so every machine fits the same vocabulary). */
function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Token counts per document over a vocabulary (unknown tokens left out), as CSR; `binary` keeps 1 for presence. */
export function countMatrix(documents: string[][], tokens: string[], binary = false): CsrMatrix {
  const index = new Map(tokens.map((token, position) => [token, position]));
  const rows = documents.map((document) => {
    const counts = new Map<number, number>();
    for (const token of document) {
      const position = index.get(token);
      if (position !== undefined) counts.set(position, (counts.get(position) ?? 0) + 1);
    }
    const columns = Int32Array.from(counts.keys()).sort();
    const values = Float32Array.from(columns, (column) => (binary ? 1 : (counts.get(column) ?? 0)));
    return { columns, values };
  });
  return csrFromRows(rows, tokens.length);
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
