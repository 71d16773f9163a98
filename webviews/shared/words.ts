/** Lists of words side by side (one per class, say), each word with the number behind it: text profiles and results. */
import { h } from './dom';

/** One list: its heading (none when empty) and its words in order, each with a short note (a count, a weight). */
export interface WordList {
  label: string;
  words: Array<{ word: string; note: string }>;
}

/**
 * A card of word lists, `data-name` its name; each list is `[data-list]` (its label) and each word
 * `li[data-word]`. `empty` is said in a list without words.
 */
export function wordListsCard(
  title: string,
  name: string,
  lists: WordList[],
  options: { note?: string; empty?: string } = {},
): HTMLElement {
  return h(
    'section',
    { class: 'card word-lists', 'data-name': name },
    h('h2', {}, title),
    options.note ? h('p', { class: 'image-note' }, options.note) : null,
    h(
      'div',
      { class: 'word-columns' },
      ...lists.map((list) =>
        h(
          'div',
          { 'data-list': list.label },
          list.label ? h('h3', {}, list.label) : null,
          list.words.length > 0
            ? h(
                'ol',
                {},
                ...list.words.map((entry) =>
                  h(
                    'li',
                    { 'data-word': entry.word },
                    entry.word,
                    ' ',
                    h('span', { class: 'note' }, entry.note),
                  ),
                ),
              )
            : h('p', {}, options.empty ?? 'No words.'),
        ),
      ),
    ),
  );
}
