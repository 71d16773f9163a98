/** The smallest single text replacement between two versions of a file (pure, for one undoable edit). */

/** One replacement: `length` characters at `offset` become `text`. */
export interface TextReplacement {
  offset: number;
  length: number;
  text: string;
}

/** The smallest single replacement that turns `before` into `after` (one undo step, the rest untouched). */
export function smallestReplacement(before: string, after: string): TextReplacement {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  let end = 0;
  while (end < shorter - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, length: before.length - start - end, text: after.slice(start, after.length - end) };
}
