/**
 * The Final results panel for a text classifier: the holdout documents it got wrong with a snippet each, and for a
 * linear model the words that push towards each class.
 */
import type { MisclassifiedDocument, TextResults } from '../../src/protocol/profile';
import { formatNumber, h } from '../shared/dom';
import type { PanelShell } from '../shared/panel';
import { SortableTable, type TableColumn } from '../shared/table';
import { wordListsCard } from '../shared/words';

/** The columns of a classified holdout row: its 1-based row, true and predicted class, the predicted class's probability. */
export function classifiedColumns<
  Row extends { row: number; actual: string | number; predicted: string | number; probability?: number },
>(): Array<TableColumn<Row>> {
  return [
    { key: 'row', title: 'Row', value: (item) => item.row, numeric: true },
    { key: 'actual', title: 'Actual', value: (item) => item.actual },
    { key: 'predicted', title: 'Predicted', value: (item) => item.predicted },
    {
      key: 'probability',
      title: 'Probability',
      value: (item) => item.probability,
      format: (item) => formatNumber(item.probability),
      numeric: true,
    },
  ];
}

/** Which predictions the documents come from, as titles say it: "holdout", or "cross-validation" (step 3's folds). */
function scopeOf(text: TextResults): string {
  return text.scope === 'cross-validation' ? 'cross-validation' : 'holdout';
}

/** The misclassified documents, most confident first: `table[data-table="misclassified"]`. */
function misclassifiedTable(shell: PanelShell<unknown>, text: TextResults): HTMLElement {
  const table = new SortableTable<MisclassifiedDocument>(
    shell,
    `Misclassified documents (${scopeOf(text)}): ${text.misclassified} of ${text.holdout}`,
    [
      ...classifiedColumns<MisclassifiedDocument>(),
      { key: 'snippet', title: text.column, value: (item) => item.snippet },
    ],
    undefined,
    { name: 'misclassified' },
  );
  table.setRows(text.documents);
  return table.element;
}

/**
 * The text cards, or nothing for results without text: `section[data-name="misclassified-documents"]` (a note
 * when every document was right, else the table) and `section[data-name="class-words"]` for a linear model.
 */
export function textResultsCards(shell: PanelShell<unknown>, text: TextResults | undefined): HTMLElement[] {
  if (!text) return [];
  const mistakes =
    text.documents.length > 0
      ? misclassifiedTable(shell, text)
      : h(
          'section',
          { class: 'card' },
          h('h2', {}, `Misclassified documents (${scopeOf(text)})`),
          h(
            'p',
            {},
            text.scope === 'cross-validation'
              ? 'Every document was classified right in its fold.'
              : 'Every holdout document was classified right.',
          ),
        );
  mistakes.setAttribute('data-name', 'misclassified-documents');
  const cards = [mistakes];
  if (text.classWords) {
    cards.push(
      wordListsCard(
        'Words that push towards each class',
        'class-words',
        text.classWords.map((entry) => ({
          label: entry.value,
          words: entry.words.map((word) => ({ word: word.word, note: `+${formatNumber(word.weight)}` })),
        })),
        {
          note: `The logistic model's largest coefficients on the words of ${text.column}: the more a document holds such a word, the more it leans towards that class.`,
          empty: 'No word pushes towards this class.',
        },
      ),
    );
  }
  return cards;
}
