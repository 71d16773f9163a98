/** Suggesting the name a person probably meant, for "unknown name" errors in the improve section. */

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let leftIndex = 1; leftIndex <= left.length; leftIndex++) {
    const current = [leftIndex];
    for (let rightIndex = 1; rightIndex <= right.length; rightIndex++) {
      const substitution = previous[rightIndex - 1] + (left[leftIndex - 1] === right[rightIndex - 1] ? 0 : 1);
      current.push(Math.min(previous[rightIndex] + 1, current[rightIndex - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length];
}

/**
 * The known name closest to `name` (case-insensitive edit distance), or undefined when none is close: the
 * distance must be at most a third of the longer name, plus one.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.floor(Math.max(name.length, best.length) / 3) + 1;
  return bestDistance <= limit ? best : undefined;
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
