/**
 * Seeded randomness. Every source of randomness in Topdown takes a seed, so a run can be repeated exactly:
 * folds, shuffles, per-candidate and per-fold seeds all come from here.
 */

/** A uniform random number generator on [0, 1). */
export type Rng = () => number;

/**
 * A seeded generator (mulberry32: a 32-bit state, full period 2^32, fast and well known). The same seed
 * always gives the same sequence.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles in place (Fisher–Yates) with the given generator; returns the same array. */
export function shuffleInPlace<T extends unknown[] | Int32Array>(items: T, rng: Rng): T {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(rng() * (index + 1));
    const held = items[index];
    items[index] = items[other];
    items[other] = held;
  }
  return items;
}

/** Mixes a 32-bit value (the murmur3 finaliser), so nearby inputs give unrelated outputs. */
function mix32(value: number): number {
  let mixed = value >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

/**
 * A stable 32-bit seed derived from a seed and any parts (fold index, candidate name, ...). The same inputs
 * always give the same seed, on every platform; different parts give unrelated seeds.
 */
export function deriveSeed(seed: number, ...parts: Array<number | string>): number {
  let hash = mix32(seed ^ 0x9e3779b9);
  for (const part of parts) {
    if (typeof part === 'number') {
      // Numbers mix their integer part and, for fractions, a scaled fraction, so 1 and 1.5 differ.
      hash = mix32(hash ^ mix32(Math.trunc(part) >>> 0));
      const fraction = part - Math.trunc(part);
      if (fraction !== 0) hash = mix32(hash ^ mix32(Math.round(fraction * 4294967296) >>> 0));
      hash = mix32(hash + 0x27d4eb2d);
    } else {
      for (let index = 0; index < part.length; index++)
        hash = mix32(hash ^ part.charCodeAt(index)) + 0x165667b1;
      hash = mix32(hash ^ (part.length + 0x7f4a7c15));
    }
  }
  return hash >>> 0;
}
