/** Assertions on Topdown's typed errors. */
import assert from 'node:assert/strict';
import { TopdownError } from '../../src/core/errors';

/** Asserts that `work` throws (or rejects with) a TopdownError with this code, and returns it for more checks. */
export async function rejectsWith(code: string, work: () => unknown): Promise<TopdownError> {
  try {
    await work();
  } catch (error) {
    assert.ok(error instanceof TopdownError, `expected a TopdownError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}
