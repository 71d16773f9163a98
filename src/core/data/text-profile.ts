/**
 * The profile of a free-text column (step 1): how long its documents are, how many distinct words they use, the
 * most frequent words, and per class the words that set it apart (a smoothed log-odds ratio of document
 * frequencies, the "fightin' words" measure, limited to words in at least {@link INDICATIVE_MIN_DOCUMENTS}
 * documents so a word seen twice does not top the list).
 */
import type { TextProfile } from '../../protocol/profile';
import { DEFAULT_TOKENIZE, splitWords } from '../text/tokenize';
import { ownString } from '../text/token-ids';
import { histogram } from './stats';

/** Words listed per list (frequent, and indicative per class). */
export const TEXT_TOP = 15;
/** A word must be in at least this many documents to be listed as indicative of a class. */
export const INDICATIVE_MIN_DOCUMENTS = 5;

/** Document frequencies of every word (a word counts once per document), overall and per class. */
interface WordCounts {
  /** Distinct words; the other arrays are indexed like it. */
  words: string[];
  documents: number[];
  /** Per class index, the documents of that class holding each word. */
  byClass: number[][];
  /** Words per document (NaN where the text is missing). */
  lengths: Float32Array;
}

/**
 * Counts in one pass, each distinct word interned to an index (a per-document set of strings for 160,000 e-mails
 * took over a gigabyte).
 */
function countWords(values: ReadonlyArray<string | null>, rows?: Int32Array, classCount = 0): WordCounts {
  const settings = { ...DEFAULT_TOKENIZE, maxWords: Number.MAX_SAFE_INTEGER };
  const counts: WordCounts = {
    words: [],
    documents: [],
    byClass: Array.from({ length: classCount }, () => []),
    lengths: new Float32Array(values.length),
  };
  const index = new Map<string, number>();
  // The last row that counted each word, so that a word counts once per document.
  const last: number[] = [];
  values.forEach((text, row) => {
    if (text === null) {
      counts.lengths[row] = NaN;
      return;
    }
    const { words } = splitWords(text, settings);
    counts.lengths[row] = words.length;
    const label = rows ? rows[row] : -1;
    for (const word of words) {
      let id = index.get(word);
      if (id === undefined) {
        id = counts.words.length;
        index.set(word, id);
        counts.words.push(ownString(word));
        counts.documents.push(0);
        last.push(-1);
        for (const perClass of counts.byClass) perClass.push(0);
      }
      if (last[id] === row) continue;
      last[id] = row;
      counts.documents[id]++;
      if (label >= 0) counts.byClass[label][id]++;
    }
  });
  return counts;
}

function median(sorted: Float32Array): number {
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Profiles a text column. `classes`: the class index of each row (-1 for a missing target) and the class names,
 * for the indicative words of a classification task.
 */
export function profileText(
  values: ReadonlyArray<string | null>,
  classes?: { labels: string[]; rows: Int32Array },
): TextProfile {
  const counts = countWords(values, classes?.rows, classes?.labels.length ?? 0);
  const { lengths } = counts;
  const present = lengths.filter((length) => !Number.isNaN(length)).sort();
  const profile: TextProfile = {
    words: {
      min: present.length > 0 ? present[0] : 0,
      median: median(present),
      max: present.length > 0 ? present[present.length - 1] : 0,
      histogram: histogram(lengths, present[0] ?? 0, present[present.length - 1] ?? 0),
    },
    empty: present.filter((length) => length === 0).length,
    vocabulary: counts.words.length,
    frequent: topWords(counts.words, counts.documents, (count) => count),
  };
  if (classes) profile.indicative = indicativeWords(counts, classes);
  return profile;
}

/** The TEXT_TOP words of the highest score (ties alphabetical) among those with a count above 0. */
function topWords(
  words: string[],
  counts: number[],
  score: (count: number, id: number) => number,
  eligible: (id: number) => boolean = () => true,
): Array<{ word: string; documents: number; score: number }> {
  const listed: Array<{ word: string; documents: number; score: number }> = [];
  counts.forEach((count, id) => {
    if (count > 0 && eligible(id))
      listed.push({ word: words[id], documents: count, score: score(count, id) });
  });
  return listed
    .sort((left, right) => right.score - left.score || (left.word < right.word ? -1 : 1))
    .slice(0, TEXT_TOP);
}

/** Per class, the words whose document frequency in the class most exceeds the rest's (log-odds, add-one). */
function indicativeWords(
  counts: WordCounts,
  classes: { labels: string[]; rows: Int32Array },
): NonNullable<TextProfile['indicative']> {
  const labelled = classes.rows.filter((label) => label >= 0).length;
  return classes.labels.map((label, classIndex) => {
    const classDocuments = classes.rows.filter((row) => row === classIndex).length;
    const otherDocuments = labelled - classDocuments;
    const words = topWords(
      counts.words,
      counts.byClass[classIndex],
      (count, id) => {
        const other = counts.documents[id] - count;
        const odds = (count + 1) / (classDocuments - count + 1);
        const otherOdds = (other + 1) / (otherDocuments - other + 1);
        return Math.log(odds / otherOdds);
      },
      (id) => counts.documents[id] >= INDICATIVE_MIN_DOCUMENTS,
    );
    return { value: label, words };
  });
}
