/**
 * What a text column's features are sized from: its documents tokenized once with the default tokenizer, the
 * tokens per document and the vocabulary at the planned minimum document count.
 */
import type { Table } from '../data/table';
import { DEFAULT_TOKENIZE, tokenize } from '../text/tokenize';
import { fitVocabulary } from '../text/vocabulary';

/** A token must be in this many documents to enter the planned vocabulary (drops typos and one-off codes). */
export const PLANNED_MIN_COUNT = 2;

/** Token facts of one text column, the numbers its features are sized from. */
export interface CorpusFacts {
  /** The text column's name. */
  column: string;
  /** Non-empty documents. */
  documents: number;
  /** Tokens per document (default tokenizer, uncut), ascending. */
  lengths: number[];
  /** Distinct tokens in the whole column. */
  distinct: number;
  /** Distinct tokens in {@link PLANNED_MIN_COUNT} documents or more. */
  frequent: number;
}

/** Tokenizes a text column once (default settings, no cut) and counts what the plan is sized from. */
export function corpusFacts(table: Table, name: string): CorpusFacts {
  const column = table.columns.find((candidate) => candidate.name === name);
  const values = column && column.type !== 'numeric' && column.type !== 'date' ? column.values : [];
  const present = values.filter((value): value is string => value !== null);
  const uncut = { ...DEFAULT_TOKENIZE, maxWords: Number.MAX_SAFE_INTEGER };
  const documents = present.map((value) => tokenize(value, uncut).tokens);
  return {
    column: name,
    documents: present.length,
    lengths: documents.map((tokens) => tokens.length).sort((left, right) => left - right),
    distinct: fitVocabulary(documents, Number.MAX_SAFE_INTEGER, 1).tokens.length,
    frequent: fitVocabulary(documents, Number.MAX_SAFE_INTEGER, PLANNED_MIN_COUNT).tokens.length,
  };
}

/** The value below which `fraction` of the sorted `values` lie (nearest rank); 0 for none. */
export function quantile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
