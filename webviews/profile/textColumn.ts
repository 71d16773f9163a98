/**
 * The Data profile of a free-text column: words per document, vocabulary, empty documents, the most frequent
 * words and, for a classification target, the words most typical of each class.
 */
import type { ColumnProfile, TextWord } from '../../src/protocol/profile';
import { formatNumber, h } from '../shared/dom';
import { wordListsCard } from '../shared/words';

function documentsNote(word: TextWord): string {
  return `${word.documents.toLocaleString('en')} docs`;
}

/**
 * The card of a text column, or undefined for another column: `section[data-name="text-profile"]` with its facts
 * (`[data-fact]`: words, vocabulary, empty) and the word lists `[data-name="frequent-words"]` and
 * `[data-name="indicative-words"]`. The length histogram is the column's chart.
 */
export function textProfileCard(column: ColumnProfile): HTMLElement | undefined {
  const text = column.text;
  if (!text) return undefined;
  // One list, so no heading of its own: the card's note says how words are counted.
  const frequent = wordListsCard(
    'Most frequent words',
    'frequent-words',
    [
      {
        label: '',
        words: text.frequent.map((word) => ({ word: word.word, note: documentsNote(word) })),
      },
    ],
    { note: 'The words found in the most documents.' },
  );
  const indicative = text.indicative
    ? wordListsCard(
        'Words most typical of each class',
        'indicative-words',
        text.indicative.map((entry) => ({
          label: entry.value,
          words: entry.words.map((word) => ({
            word: word.word,
            note: `${documentsNote(word)}, log-odds ${formatNumber(word.score, 2)}`,
          })),
        })),
        {
          note: "Words whose share of the class's documents most exceeds their share of the other classes' (rare words left out).",
        },
      )
    : null;
  return h(
    'section',
    { class: 'card', 'data-name': 'text-profile' },
    h('h2', {}, `${column.name}: text`),
    h(
      'p',
      { class: 'facts' },
      h(
        'span',
        { 'data-fact': 'words' },
        `Words per document: ${formatNumber(text.words.min)} to ${formatNumber(text.words.max)}, median ${formatNumber(text.words.median)}`,
      ),
      h('span', { 'data-fact': 'vocabulary' }, `Vocabulary: ${text.vocabulary.toLocaleString('en')} words`),
      h('span', { 'data-fact': 'empty' }, `Empty documents: ${text.empty.toLocaleString('en')}`),
    ),
    frequent,
    indicative,
  );
}
