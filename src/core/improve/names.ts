/** Suggesting the name a person probably meant, for "unknown name" errors in the improve section. */
import { nearestName } from '../names';

/**
 * The known name closest to `name` (case-insensitive edit distance), or undefined when none is close: the
 * distance must be at most a third of the longer name, plus one.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const nearest = nearestName(name, known);
  if (nearest === undefined) return undefined;
  const limit = Math.floor(Math.max(name.length, nearest.name.length) / 3) + 1;
  return nearest.distance <= limit ? nearest.name : undefined;
}

/** A hint sentence: "Did you mean "x"?" when a close name exists, else the list of known names. */
export function suggestName(name: string, known: readonly string[], what: string): string {
  const closest = closestName(name, known);
  if (closest !== undefined) return `Did you mean "${closest}"?`;
  if (known.length === 0) return `There are no ${what} to choose from.`;
  return `Known ${what}: ${known.map((entry) => `"${entry}"`).join(', ')}.`;
}

/** Escapes one JSON pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}
