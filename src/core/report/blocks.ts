/**
 * A tiny document model shared by the markdown and html renderers, so both say exactly the same things: the
 * sections are built once (./document.ts) and each renderer only decides how a block looks.
 */
import type { ReportChartName } from './types';

/** A run of text with one style. Plain strings are never interpreted as markup by either renderer. */
export interface Span {
  text: string;
  style?: 'code' | 'strong' | 'emphasis';
}

/** Text made of styled runs; a plain string is one unstyled run. */
export type Inline = string | Span | Array<string | Span>;

/** One block of the report. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; anchor?: string }
  | { kind: 'paragraph'; content: Inline }
  /** A remark set apart: "not run yet", a missing chart. */
  | { kind: 'note'; content: Inline }
  | { kind: 'list'; items: Inline[] }
  /** `numeric[i]`: column i holds numbers (right-aligned). */
  | { kind: 'table'; header: string[]; rows: string[][]; numeric: boolean[] }
  | { kind: 'image'; chart: ReportChartName; alt: string }
  | { kind: 'code'; language: string; text: string }
  /** Markdown written by a person (the README's credit), passed through to markdown and converted for html. */
  | { kind: 'markdown'; text: string };

/** Shorthand for a code span. */
export function code(text: string): Span {
  return { text, style: 'code' };
}

/** Shorthand for a strong span. */
export function strong(text: string): Span {
  return { text, style: 'strong' };
}

/** Shorthand for an emphasised span. */
export function emphasis(text: string): Span {
  return { text, style: 'emphasis' };
}

/** The spans of an inline value, in order. */
export function spans(content: Inline): Span[] {
  const parts = Array.isArray(content) ? content : [content];
  return parts.map((part) => (typeof part === 'string' ? { text: part } : part));
}

/** The text of an inline value without styles (for alt text and tests). */
export function plainText(content: Inline): string {
  return spans(content)
    .map((span) => span.text)
    .join('');
}

/** A heading's anchor, as code-hosting sites derive it: lower case, spaces to dashes, punctuation dropped. */
export function anchorOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .trim()
    .replace(/ /g, '-');
}
