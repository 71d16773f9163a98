import assert from 'node:assert/strict';

/** Element-wise equality within 1e-5 (absolute), naming `what` and the first index that differs. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let index = 0; index < expected.length; index++)
    assert.ok(
      Math.abs(actual[index] - expected[index]) < 1e-5,
      `${what}[${index}]: ${actual[index]} against ${expected[index]}`,
    );
}
