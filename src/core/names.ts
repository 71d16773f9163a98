/** The nearest known name to a misspelt one, for "did you mean" hints. Each caller decides how near is near. */
import { get as levenshtein } from 'fast-levenshtein';

/** The known name nearest to `name` by case-insensitive edit distance, with that distance; undefined if none. */
export function nearestName(
  name: string,
  known: readonly string[],
): { name: string; distance: number } | undefined {
  let nearest: { name: string; distance: number } | undefined;
  const lower = name.toLowerCase();
  for (const candidate of known) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (nearest === undefined || distance < nearest.distance) nearest = { name: candidate, distance };
  }
  return nearest;
}
