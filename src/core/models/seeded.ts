/**
 * Seeded Math.random for the span of a model build or fit. tfjs draws from Math.random for the shuffling in
 * model.fit, for dropout masks and for initializers without a seed, so a fit is only repeatable when
 * Math.random is. Fits run one at a time in a process (a worker runs one fold at a time), so swapping the
 * global for the duration of one is safe; it is always put back.
 */
import { createRng } from '../random';

/** Runs `work` with Math.random seeded, restoring the previous Math.random afterwards. */
export function withSeededRandomSync<T>(seed: number, work: () => T): T {
  const previous = Math.random;
  Math.random = createRng(seed);
  try {
    return work();
  } finally {
    Math.random = previous;
  }
}

/** Runs async `work` with Math.random seeded, restoring the previous Math.random when it settles. */
export async function withSeededRandom<T>(seed: number, work: () => Promise<T>): Promise<T> {
  const previous = Math.random;
  Math.random = createRng(seed);
  try {
    return await work();
  } finally {
    Math.random = previous;
  }
}
