/**
 * The profile of a free-text column (step 1): how long its documents are, how many distinct words they use, the
 * most frequent words, and per class the words that set it apart (a smoothed log-odds ratio of document
 * frequencies, the "fightin' words" measure, limited to words in at least {@link INDICATIVE_MIN_DOCUMENTS}
 * documents so a word seen twice does not top the list).
 */
import type { TextProfile } from '../../protocol/profile';
import { DEFAULT_TOKENIZE, splitWords } from '../text/tokenize';
import { histogram } from './stats';

/** Words listed per list (frequent, and indicative per class). */
export const TEXT_TOP = 15;
/** A word must be in at least this many documents to be listed as indicative of a class. */
export const INDICATIVE_MIN_DOCUMENTS = 5;

/** Words of every document, de-duplicated per document (document frequency counts a word once). */
function documentWords(values: ReadonlyArray<string | null>): {
  sets: Array<Set<string>>;
  lengths: Float32Array;
} {
  const settings = { ...DEFAULT_TOKENIZE, maxWords: Number.MAX_SAFE_INTEGER };
  const lengths = new Float32Array(values.length);
  const sets = values.map((text, index) => {
    if (text === null) {
      lengths[index] = NaN;
      return new Set<string>();
    }
    const { words } = splitWords(text, settings);
    lengths[index] = words.length;
    return new Set(words);
  });
  return { sets, lengths };
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
  const { sets, lengths } = documentWords(values);
  const present = lengths.filter((length) => !Number.isNaN(length)).sort();
  const frequency = new Map<string, number>();
  for (const set of sets) for (const word of set) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const profile: TextProfile = {
    words: {
      min: present.length > 0 ? present[0] : 0,
      median: median(present),
      max: present.length > 0 ? present[present.length - 1] : 0,
      histogram: histogram(lengths, present[0] ?? 0, present[present.length - 1] ?? 0),
    },
    empty: present.filter((length) => length === 0).length,
    vocabulary: frequency.size,
    frequent: topWords(frequency, (count) => count),
  };
  if (classes) profile.indicative = indicativeWords(sets, frequency, classes);
  return profile;
}

function topWords(
  counts: Map<string, number>,
  score: (count: number, word: string) => number,
): Array<{ word: string; documents: number; score: number }> {
  return [...counts.entries()]
    .map(([word, count]) => ({ word, documents: count, score: score(count, word) }))
    .sort((left, right) => right.score - left.score || (left.word < right.word ? -1 : 1))
    .slice(0, TEXT_TOP);
}

/** Per class, the words whose document frequency in the class most exceeds the rest's (log-odds, add-one). */
function indicativeWords(
  sets: Array<Set<string>>,
  frequency: Map<string, number>,
  classes: { labels: string[]; rows: Int32Array },
): NonNullable<TextProfile['indicative']> {
  return classes.labels.map((label, classIndex) => {
    const inClass = new Map<string, number>();
    let classDocuments = 0;
    sets.forEach((set, row) => {
      if (classes.rows[row] !== classIndex) return;
      classDocuments++;
      for (const word of set) inClass.set(word, (inClass.get(word) ?? 0) + 1);
    });
    const otherDocuments = sets.filter((_, row) => classes.rows[row] >= 0).length - classDocuments;
    const eligible = new Map(
      [...inClass].filter(([word]) => (frequency.get(word) ?? 0) >= INDICATIVE_MIN_DOCUMENTS),
    );
    const words = topWords(eligible, (count, word) => {
      const other = (frequency.get(word) ?? 0) - count;
      const odds = (count + 1) / (classDocuments - count + 1);
      const otherOdds = (other + 1) / (otherDocuments - other + 1);
      return Math.log(odds / otherOdds);
    });
    return { value: label, words };
  });
}
