/** Types for fast-levenshtein 3 (the package ships none). */
declare module 'fast-levenshtein' {
  /** Levenshtein edit distance between two strings. */
  export function get(first: string, second: string, options?: { useCollator?: boolean }): number;
}
