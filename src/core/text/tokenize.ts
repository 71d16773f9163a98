/**
 * Documents to tokens, the way scikit-learn's `CountVectorizer` and Keras' `TextVectorization` do it: lower-case,
 * words of two or more letters, digits or underscores (scikit-learn's default pattern `\b\w\w+\b`, Unicode-aware),
 * an optional stop-word list from the `stopword` package, word n-grams joined by a space, and optional character
 * n-grams inside word boundaries (`char_wb`) marked with `#`. Long documents are cut to a stated number of words.
 */
import * as stopword from 'stopword';

/** Settings of tokenization (the `tokenize` op's, with defaults filled in). */
export interface TokenizeSettings {
  lowercase: boolean;
  /** Word n-gram sizes, [smallest, largest]: [1, 2] makes single words and pairs. */
  ngrams: [number, number];
  /** Character n-gram sizes inside each word, or undefined for none. */
  charNgrams?: [number, number];
  /** ISO 639-3 code of a stop-word list of the `stopword` package (`eng`, `fra`, `deu`, ...), or none. */
  stopWords?: string;
  /** Words kept per document; the rest is cut (and counted, for the preview). */
  maxWords: number;
}

/** Default words kept per document. */
export const DEFAULT_MAX_WORDS = 2000;

/** The defaults of the tokenize op. */
export const DEFAULT_TOKENIZE: TokenizeSettings = {
  lowercase: true,
  ngrams: [1, 1],
  maxWords: DEFAULT_MAX_WORDS,
};

const WORD = /[\p{L}\p{N}\p{M}_]{2,}/gu;

/** The stop-word list codes the `stopword` package has (`eng`, `fra`, ...). */
export function stopWordLanguages(): string[] {
  return Object.entries(stopword)
    .filter(([name, value]) => Array.isArray(value) && /^[a-z]{3}$/.test(name))
    .map(([name]) => name)
    .sort();
}

const stopSets = new Map<string, Set<string>>();

/** The stop words of a language (lower case), or undefined when the package has no such list. */
export function stopWordSet(language: string): Set<string> | undefined {
  let set = stopSets.get(language);
  if (set) return set;
  const list = (stopword as Record<string, unknown>)[language];
  if (!/^[a-z]{3}$/.test(language) || !Array.isArray(list)) return undefined;
  set = new Set((list as string[]).map((word) => word.toLowerCase()));
  stopSets.set(language, set);
  return set;
}

/** One document's tokens, and whether it was cut at `maxWords`. */
export interface Tokenized {
  tokens: string[];
  /** Words in the document before the cut. */
  words: number;
}

/** The words of a document (lower-cased when asked), at most `maxWords`, and how many there were. */
export function splitWords(text: string, settings: TokenizeSettings): { words: string[]; total: number } {
  const source = settings.lowercase ? text.toLowerCase() : text;
  const words: string[] = [];
  let total = 0;
  for (const match of source.matchAll(WORD)) {
    total++;
    if (words.length < settings.maxWords) words.push(match[0]);
  }
  return { words, total };
}

/** Tokens of one document: word n-grams (stop words removed first), then character n-grams of each word. */
export function tokenize(text: string | null, settings: TokenizeSettings): Tokenized {
  if (text === null) return { tokens: [], words: 0 };
  const { words: all, total } = splitWords(text, settings);
  const stops = settings.stopWords ? stopWordSet(settings.stopWords) : undefined;
  const words = stops ? all.filter((word) => !stops.has(word)) : all;
  const tokens: string[] = [];
  const [low, high] = settings.ngrams;
  for (let size = low; size <= high; size++) {
    for (let start = 0; start + size <= words.length; start++) {
      tokens.push(size === 1 ? words[start] : words.slice(start, start + size).join(' '));
    }
  }
  if (settings.charNgrams) {
    for (const word of words) tokens.push(...characterNgrams(word, settings.charNgrams));
  }
  return { tokens, words: total };
}

/** Character n-grams of one word padded with `#` at both ends (`#ca`, `cat`, `at#` for `cat` and 3). */
export function characterNgrams(word: string, [low, high]: [number, number]): string[] {
  const padded = Array.from(`#${word}#`);
  const grams: string[] = [];
  for (let size = low; size <= high; size++) {
    for (let start = 0; start + size <= padded.length; start++) {
      grams.push(padded.slice(start, start + size).join(''));
    }
  }
  return grams;
}
