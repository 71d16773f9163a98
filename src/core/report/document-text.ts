/**
 * The report's blocks for text data: per free-text column, its lengths, vocabulary and the words most frequent and
 * most typical of each class (in the data section); the misclassified holdout documents and, for a linear model,
 * the words that push towards each class (in the final section), as the Data profile and Final results panels
 * show them.
 */
import { code, type Block } from './blocks';
import { formatValue, plural } from './format';
import type { ReportData } from './types';

/** Words of a list shown in the report. */
const REPORT_WORDS = 10;
/** Misclassified documents shown in the report. */
const REPORT_DOCUMENTS = 10;

function wordList(words: Array<{ word: string }>): string {
  return words
    .slice(0, REPORT_WORDS)
    .map((entry) => entry.word)
    .join(', ');
}

/** The text columns' profiles, when the data has free text. */
export function textProfileBlocks(data: ReportData): Block[] {
  return (data.profile?.text ?? []).flatMap(({ column, profile }): Block[] => {
    const blocks: Block[] = [
      {
        kind: 'paragraph',
        content: [
          'Text column ',
          code(column),
          `: ${profile.words.min} to ${profile.words.max} words per document (median ${profile.words.median}), a vocabulary of ${plural(profile.vocabulary, 'word')}, ${plural(profile.empty, 'empty document')}. Most frequent words: ${wordList(profile.frequent) || 'none'}.`,
        ],
      },
    ];
    if (profile.indicative && profile.indicative.length > 0) {
      blocks.push({
        kind: 'table',
        header: ['Class', 'Words most typical of it'],
        rows: profile.indicative.map((entry) => [entry.value, wordList(entry.words) || '—']),
        numeric: [false, false],
      });
    }
    return blocks;
  });
}

/** The misclassified holdout documents and the class words, when the final model classifies text. */
export function textResultBlocks(data: ReportData): Block[] {
  const text = data.final?.textResults;
  if (!text) return [];
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: 'Misclassified documents' }];
  if (text.documents.length === 0) {
    blocks.push({ kind: 'paragraph', content: 'The final model classified every holdout document right.' });
  } else {
    const shown = Math.min(REPORT_DOCUMENTS, text.documents.length);
    blocks.push(
      {
        kind: 'paragraph',
        content: [
          `${text.misclassified} of ${plural(text.holdout, 'holdout document')} misclassified; the ${plural(shown, 'most confident mistake')}, with the start of `,
          code(text.column),
          ':',
        ],
      },
      {
        kind: 'table',
        header: ['Row', 'True class', 'Predicted as', 'Probability', 'Text'],
        rows: text.documents
          .slice(0, shown)
          .map((item) => [
            String(item.row),
            item.actual,
            item.predicted,
            formatValue(item.probability),
            item.snippet,
          ]),
        numeric: [true, false, false, true, false],
      },
    );
  }
  if (text.classWords) {
    blocks.push(
      { kind: 'heading', level: 3, text: 'Words that push towards each class' },
      {
        kind: 'table',
        header: ['Class', 'Words with the largest weights towards it'],
        rows: text.classWords.map((entry) => [
          entry.value,
          entry.words
            .slice(0, REPORT_WORDS)
            .map((word) => `${word.word} (+${formatValue(word.weight)})`)
            .join(', ') || '—',
        ]),
        numeric: [false, false],
      },
    );
  }
  return blocks;
}
