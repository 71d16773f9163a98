/**
 * Settings and checks shared by the property-based (fuzz) tests: a fixed seed and a bounded count of inputs in
 * `npm test`; `TOPDOWN_FUZZ_RUNS=<n>` runs n inputs per property instead (CI sets it), with the same seed.
 */
import assert from 'node:assert/strict';
import { TopdownError } from '../../src/core/errors';

/** The seed every fuzz property starts from, so a failure reproduces. */
export const FUZZ_SEED = 20261206;

/** The inputs one property tries: `defaultRuns`, or TOPDOWN_FUZZ_RUNS when set to a positive integer. */
export function fuzzRuns(defaultRuns: number): number {
  const fromEnv = Number(process.env.TOPDOWN_FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
}

/** fast-check parameters: the fixed seed and {@link fuzzRuns} inputs. */
export function fuzzParameters(defaultRuns: number): { seed: number; numRuns: number } {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(defaultRuns) };
}

/**
 * Asserts that `error` is what a person may see: a TopdownError with a code other than INTERNAL that says where
 * (a file, a row, a field or a line).
 */
export function assertLocated(error: unknown): asserts error is TopdownError {
  assert.ok(
    error instanceof TopdownError,
    `not a TopdownError: ${error instanceof Error ? error.stack : String(error)}`,
  );
  assert.notEqual(error.code, 'INTERNAL', `INTERNAL: ${error.message}`);
  assert.ok(
    error.file !== undefined ||
      error.row !== undefined ||
      error.field !== undefined ||
      error.line !== undefined,
    `${error.code} says nothing about where: ${error.message}`,
  );
}

/** Every path (keys and indices) to a value inside a JSON document, the document itself (`[]`) first. */
export function jsonPaths(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value))
    value.forEach((item, index) => found.push(...jsonPaths(item, [...prefix, index])));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) found.push(...jsonPaths(item, [...prefix, key]));
  }
  return found;
}

/** A copy of a JSON document with `value` at `path` (the last segment may be a new key). */
export function withValueAt(document: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
  return copy;
}
