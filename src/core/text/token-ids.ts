/**
 * Tokens as integer ids, so that the text ops count in typed arrays instead of maps of strings: a dictionary interns
 * each distinct token once, and a document becomes an Int32Array of ids. Tokenization is not fitted (only the
 * vocabulary is), so a document's ids are cached per source column and tokenize settings: the folds of a job
 * tokenize each document once per process, not twice per fold.
 */
import { tokenize, type TokenizeSettings } from './tokenize';

/** Distinct tokens, each with an id (its position in `tokens`). */
export class TokenDictionary {
  readonly tokens: string[] = [];
  private readonly ids = new Map<string, number>();
  private ranks: Int32Array | undefined;

  /** The token's id, added when new. */
  intern(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      const own = ownString(token);
      this.tokens.push(own);
      this.ids.set(own, id);
    }
    return id;
  }

  /** The token's id, or -1 when it was never seen. */
  idOf(token: string): number {
    return this.ids.get(token) ?? -1;
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Each id's position in code-unit order of the tokens (as Python sorts strings); recomputed after growth. */
  order(): Int32Array {
    if (this.ranks?.length === this.tokens.length) return this.ranks;
    const sorted = Int32Array.from(this.tokens.keys()).sort((left, right) =>
      compareText(this.tokens[left], this.tokens[right]),
    );
    const ranks = new Int32Array(sorted.length);
    sorted.forEach((id, rank) => (ranks[id] = rank));
    this.ranks = ranks;
    return ranks;
  }

  /** Column of each id for a vocabulary (listed tokens get their position plus `offset`, others `missing`). */
  positions(vocabulary: readonly string[], offset = 0, missing = -1): Int32Array {
    const columns = new Int32Array(this.size).fill(missing);
    vocabulary.forEach((token, position) => {
      const id = this.idOf(token);
      if (id >= 0) columns[id] = position + offset;
    });
    return columns;
  }
}

/**
 * A copy of a string that holds its own characters. A word matched in a document may be a slice of it (V8 slices
 * strings of 13 characters or more), and a dictionary keeping the slice would keep the whole document alive.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

/** Code-unit order, as Python sorts strings (locale-free, so every machine fits the same vocabulary). */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** One document as token ids, and how many words it had before the cut at `maxWords`. */
export interface DocumentIds {
  ids: Int32Array;
  words: number;
}

const NO_WORDS: DocumentIds = { ids: new Int32Array(0), words: 0 };

/** Tokenized documents of one source column under one tokenize setting, and their dictionary. */
export class DocumentTokens {
  readonly dictionary = new TokenDictionary();
  private readonly documents = new Map<string, DocumentIds>();

  constructor(
    private readonly settings: TokenizeSettings,
    private readonly cached: boolean,
  ) {}

  /** The document's ids (tokenized on first sight when cached). */
  get(text: string | null): DocumentIds {
    if (text === null) return NO_WORDS;
    const known = this.cached ? this.documents.get(text) : undefined;
    if (known) return known;
    const { tokens, words } = tokenize(text, this.settings);
    const ids = new Int32Array(tokens.length);
    for (let index = 0; index < tokens.length; index++) ids[index] = this.dictionary.intern(tokens[index]);
    const document = { ids, words };
    if (this.cached) this.documents.set(text, document);
    return document;
  }
}

const caches = new WeakMap<object, Map<string, DocumentTokens>>();

/**
 * The tokenized documents of a column: shared by every fold and op that reads the same source (the table column's
 * values, which it lives as long as) with the same settings; a fresh, uncached one when there is no source.
 */
export function documentTokens(source: object | undefined, settings: TokenizeSettings): DocumentTokens {
  if (source === undefined) return new DocumentTokens(settings, false);
  let bySettings = caches.get(source);
  if (!bySettings) {
    bySettings = new Map();
    caches.set(source, bySettings);
  }
  const key = JSON.stringify(settings);
  let tokens = bySettings.get(key);
  if (!tokens) {
    tokens = new DocumentTokens(settings, true);
    bySettings.set(key, tokens);
  }
  return tokens;
}

/** Documents of string tokens as ids over a fresh dictionary. */
export function internDocuments(documents: readonly string[][]): {
  ids: Int32Array[];
  dictionary: TokenDictionary;
} {
  const dictionary = new TokenDictionary();
  const ids = documents.map((tokens) => Int32Array.from(tokens, (token) => dictionary.intern(token)));
  return { ids, dictionary };
}
