/**
 * The text ops of the preparation pipeline, fitted on the training part like every op: `tokenize` (documents to
 * tokens), then `tfidf` or `counts` (sparse features over a vocabulary) or `sequences` (padded token ids for an
 * embedding model). tfidf, counts and sequences tokenize a column themselves, with the tokenize defaults, when no
 * tokenize op came first. Long documents are cut at `maxWords`; the fitted state counts the cut documents so the
 * preview can say so.
 */
import type { PrepareOp } from '../config';
import { TopdownError } from '../errors';
import { DEFAULT_TOKENIZE, stopWordLanguages, stopWordSet, type TokenizeSettings } from '../text/tokenize';
import { documentTokens, internDocuments, type TokenDictionary } from '../text/token-ids';
import {
  countMatrixIds,
  DEFAULT_MAX_TOKENS,
  fitVocabularyIds,
  inverseFrequencies,
  weightTfidf,
  type Vocabulary,
} from '../text/vocabulary';
import { columnIndex, opField, type Frame, type FrameColumn, type OpContext } from './frame';

/** Documents cut at the word limit, over the rows an op was fitted on. */
export interface CutReport {
  documents: number;
  /** Training documents cut at `maxWords` (or at `length` tokens, for sequences). */
  cut: number;
  /** The most words one training document had. */
  longest: number;
}

/** Fitted tokenize op. */
export interface TokenizeState extends CutReport {
  op: 'tokenize';
  columns: string[];
  settings: TokenizeSettings;
}

/** Fitted tfidf or counts op: a vocabulary per column (and idf weights for tfidf). */
export interface VectorizeState {
  op: 'tfidf' | 'counts';
  columns: string[];
  /** Per column: how it is tokenized when the op reads raw text (no tokenize op before), else null. */
  tokenizers: Array<TokenizeSettings | null>;
  vocabularies: string[][];
  /** tfidf: per column, the idf of each vocabulary token. */
  idf?: number[][];
  sublinear?: boolean;
  binary?: boolean;
  /** Per column, the cut documents when the op tokenized them itself. */
  reports: Array<CutReport | null>;
}

/** Fitted sequences op: token ids (0 padding, 1 unknown, then the vocabulary from 2) cut or padded to `length`. */
export interface SequencesState {
  op: 'sequences';
  columns: string[];
  tokenizers: Array<TokenizeSettings | null>;
  vocabularies: string[][];
  length: number;
  /** Per column: training documents with more tokens than `length` (cut), and the longest. */
  reports: CutReport[];
}

/** The fitted state of a text op. */
export type TextOpState = TokenizeState | VectorizeState | SequencesState;

type TextOp = Extract<PrepareOp, { op: 'tokenize' | 'tfidf' | 'counts' | 'sequences' }>;

/** Id of the padding token in sequences. */
export const PAD_ID = 0;
/** Id of a token outside the vocabulary in sequences. */
export const UNKNOWN_ID = 1;

function invalid(
  context: OpContext,
  opIndex: number,
  message: string,
  hint: string,
  column?: string,
  field?: string,
) {
  return new TopdownError('PREPARE_INVALID', message, {
    file: context.file,
    field: field ? `${opField(opIndex)}/${field}` : opField(opIndex),
    column,
    hint,
  });
}

/** The text columns an op reads: those it names (each text or tokens), or every one in the frame. */
function textColumns(
  op: TextOp,
  opIndex: number,
  frame: Frame,
  context: OpContext,
  tokensToo: boolean,
): string[] {
  const accepts = (column: FrameColumn) => column.kind === 'text' || (tokensToo && column.kind === 'tokens');
  if (!op.columns) {
    const names = frame.columns.filter(accepts).map((column) => column.name);
    if (names.length > 0) return names;
    throw invalid(
      context,
      opIndex,
      `${op.op}: there is no text column ${tokensToo ? 'or tokenized column ' : ''}at this point of the pipeline.`,
      'Name the text column in "columns", and check that no earlier op dropped or already vectorized it.',
    );
  }
  return op.columns.map((name, position) => {
    const index = columnIndex(frame, name);
    if (index >= 0 && accepts(frame.columns[index])) return name;
    const why =
      index < 0
        ? 'is not a column at this point of the pipeline'
        : `is ${frame.columns[index].kind}, not text`;
    throw invalid(
      context,
      opIndex,
      `${op.op}: column "${name}" ${why}.`,
      'Name a text column of the data that no earlier op removed or vectorized.',
      name,
      `columns/${position}`,
    );
  });
}

function checkRange(context: OpContext, opIndex: number, field: string, range: [number, number] | undefined) {
  if (range === undefined) return;
  const [low, high] = range;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 1 || high < low || high > 10) {
    throw invalid(
      context,
      opIndex,
      `tokenize: "${field}" must be [smallest, largest] whole numbers from 1 to 10; got ${JSON.stringify(range)}.`,
      'Use e.g. [1, 2] for words and pairs of words.',
      undefined,
      field,
    );
  }
}

/** The tokenize op's settings, checked, with defaults filled in. */
export function tokenizeSettings(op: TextOp, opIndex: number, context: OpContext): TokenizeSettings {
  if (op.op !== 'tokenize') return { ...DEFAULT_TOKENIZE };
  checkRange(context, opIndex, 'ngrams', op.ngrams);
  checkRange(context, opIndex, 'charNgrams', op.charNgrams);
  const stopWords = op.stopWords || undefined;
  if (stopWords !== undefined && !stopWordSet(stopWords)) {
    throw invalid(
      context,
      opIndex,
      `tokenize: there is no stop-word list "${stopWords}".`,
      `Use an ISO 639-3 code of the stopword package: ${stopWordLanguages().slice(0, 12).join(', ')}, ...`,
      undefined,
      'stopWords',
    );
  }
  const maxWords = op.maxWords ?? DEFAULT_TOKENIZE.maxWords;
  if (!Number.isInteger(maxWords) || maxWords < 1) {
    throw invalid(
      context,
      opIndex,
      `tokenize: "maxWords" must be a whole number of 1 or more; got ${maxWords}.`,
      'Use e.g. 2000.',
      undefined,
      'maxWords',
    );
  }
  const settings: TokenizeSettings = {
    lowercase: op.lowercase ?? DEFAULT_TOKENIZE.lowercase,
    ngrams: op.ngrams ?? DEFAULT_TOKENIZE.ngrams,
    maxWords,
  };
  if (op.charNgrams) settings.charNgrams = op.charNgrams;
  if (stopWords) settings.stopWords = stopWords;
  return settings;
}

/** A text or tokens column's documents as token ids over a dictionary, and (for text) the cut report. */
interface ColumnIds {
  ids: Int32Array[];
  dictionary: TokenDictionary;
  report: CutReport | null;
}

/** Token ids of a text or tokens column; a text column's documents are tokenized once per source and settings. */
function columnIds(column: FrameColumn, settings: TokenizeSettings): ColumnIds {
  if (column.kind === 'tokens') return { ...internDocuments(column.values), report: null };
  if (column.kind !== 'text') return { ...internDocuments([]), report: null };
  const documents = documentTokens(column.source, settings);
  const report: CutReport = { documents: column.values.length, cut: 0, longest: 0 };
  const ids = column.values.map((text) => {
    const document = documents.get(text);
    if (document.words > settings.maxWords) report.cut++;
    report.longest = Math.max(report.longest, document.words);
    return document.ids;
  });
  return { ids, dictionary: documents.dictionary, report };
}

function vocabularyLimits(op: Extract<TextOp, { maxTokens?: number }>, opIndex: number, context: OpContext) {
  const maxTokens = op.maxTokens ?? DEFAULT_MAX_TOKENS;
  const minCount = op.minCount ?? 1;
  for (const [name, value] of [
    ['maxTokens', maxTokens],
    ['minCount', minCount],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw invalid(
        context,
        opIndex,
        `${op.op}: "${name}" must be a whole number of 1 or more; got ${value}.`,
        name === 'maxTokens' ? 'Use e.g. 20000.' : 'Use e.g. 2 to drop tokens seen in one document only.',
        undefined,
        name,
      );
  }
  return { maxTokens, minCount };
}

/** The vocabulary of one column, or PREPARE_INVALID when no token is frequent enough (an identifier, garbage). */
function columnVocabulary(
  { ids, dictionary }: ColumnIds,
  limits: { maxTokens: number; minCount: number },
  name: string,
  op: TextOp,
  opIndex: number,
  context: OpContext,
): Vocabulary {
  const vocabulary = fitVocabularyIds(ids, dictionary, limits.maxTokens, limits.minCount);
  if (vocabulary.tokens.length > 0) return vocabulary;
  const empty = ids.every((document) => document.length === 0);
  throw invalid(
    context,
    opIndex,
    empty
      ? `${op.op}: the training documents of "${name}" hold no words (letters or digits), so there is no vocabulary.`
      : `${op.op}: no token of "${name}" is in ${limits.minCount} training documents or more: each row has its own words, as an identifier does.`,
    empty
      ? 'Check that the column holds text, or drop it.'
      : 'Lower "minCount", or drop the column if it names rows rather than describing them.',
    name,
  );
}

/** Learns a text op's state from the frame. */
export function fitTextOp(op: TextOp, opIndex: number, frame: Frame, context: OpContext): TextOpState {
  const settings = tokenizeSettings(op, opIndex, context);
  if (op.op === 'tokenize') {
    const columns = textColumns(op, opIndex, frame, context, false);
    const reports = columns.map(
      (name) => columnIds(frame.columns[columnIndex(frame, name)], settings).report as CutReport,
    );
    const sum = (key: 'documents' | 'cut') => reports.reduce((total, report) => total + report[key], 0);
    return {
      op: 'tokenize',
      columns,
      settings,
      documents: sum('documents'),
      cut: sum('cut'),
      longest: Math.max(...reports.map((report) => report.longest)),
    };
  }
  const columns = textColumns(op, opIndex, frame, context, true);
  const limits = vocabularyLimits(op, opIndex, context);
  const parts = columns.map((name) => {
    const column = frame.columns[columnIndex(frame, name)];
    const ids = columnIds(column, settings);
    return {
      ids: ids.ids,
      report: ids.report,
      tokenizer: column.kind === 'text' ? settings : null,
      vocabulary: columnVocabulary(ids, limits, name, op, opIndex, context),
    };
  });
  const base = {
    columns,
    tokenizers: parts.map((part) => part.tokenizer),
    vocabularies: parts.map((part) => part.vocabulary.tokens),
  };
  if (op.op === 'sequences') {
    if (!Number.isInteger(op.length) || op.length < 1)
      throw invalid(
        context,
        opIndex,
        `sequences: "length" must be a whole number of 1 or more; got ${op.length}.`,
        'Use e.g. the median document length in words (the profile shows it).',
        undefined,
        'length',
      );
    const reports = parts.map(({ ids }) => ({
      documents: ids.length,
      cut: ids.filter((document) => document.length > op.length).length,
      longest: ids.reduce((longest, document) => Math.max(longest, document.length), 0),
    }));
    return { op: 'sequences', ...base, length: op.length, reports };
  }
  const reports = parts.map((part) => part.report);
  if (op.op === 'counts') return { op: 'counts', ...base, binary: op.binary ?? false, reports };
  // The vocabulary's document frequencies are those of the training documents the idf is fitted on.
  const idf = parts.map(({ ids, vocabulary }) => inverseFrequencies(vocabulary.documents, ids.length));
  return { op: 'tfidf', ...base, idf, sublinear: op.sublinear ?? false, reports };
}

function replaceColumn(frame: Frame, name: string, column: FrameColumn): Frame {
  return { ...frame, columns: frame.columns.map((existing) => (existing.name === name ? column : existing)) };
}

/** Transforms a frame with a fitted text op. */
export function applyTextOp(state: TextOpState, frame: Frame): Frame {
  let result = frame;
  state.columns.forEach((name, position) => {
    const column = result.columns[columnIndex(result, name)];
    if (state.op === 'tokenize') {
      const { ids, dictionary } = columnIds(column, state.settings);
      result = replaceColumn(result, name, {
        name,
        kind: 'tokens',
        values: ids.map((document) => Array.from(document, (id) => dictionary.tokens[id])),
      });
      return;
    }
    const settings = state.tokenizers[position] ?? DEFAULT_TOKENIZE;
    const { ids, dictionary } = columnIds(column, settings);
    const vocabulary = state.vocabularies[position];
    if (state.op === 'sequences') {
      const width = state.length;
      result = replaceColumn(result, name, {
        name,
        kind: 'block',
        width,
        values: sequenceIds(ids, dictionary.positions(vocabulary, 2, UNKNOWN_ID), width),
        tokenIds: vocabulary.length + 2,
        featureNames: Array.from({ length: width }, (_, index) => `${name}[${index}]`),
      });
      return;
    }
    const matrix = countMatrixIds(ids, dictionary.positions(vocabulary), vocabulary.length, state.binary);
    if (state.op === 'tfidf') weightTfidf(matrix, state.idf?.[position] ?? [], state.sublinear ?? false);
    result = replaceColumn(result, name, {
      name,
      kind: 'sparse',
      matrix,
      featureNames: vocabulary.map((token) => `${name}:${token}`),
    });
  });
  return result;
}

/**
 * Sequence ids per document, row-major documents × width: the first `width` tokens, then padding (0);
 * `sequenceId[tokenId]` is a token's id in the sequences (its vocabulary position + 2, or UNKNOWN_ID).
 */
export function sequenceIds(
  documents: readonly Int32Array[],
  sequenceId: Int32Array,
  width: number,
): Float32Array {
  const ids = new Float32Array(documents.length * width);
  documents.forEach((tokens, row) => {
    for (let position = 0; position < Math.min(width, tokens.length); position++)
      ids[row * width + position] = sequenceId[tokens[position]];
  });
  return ids;
}
