import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countDistinct } from '../../src/core/data/distinct';
import { createRng } from '../../src/core/random';

/** What a Set says (SameValueZero: -0 equals 0), NaN left out. */
function expected(values: ArrayLike<number>): number {
  const seen = new Set<number>();
  for (let index = 0; index < values.length; index++)
    if (!Number.isNaN(values[index])) seen.add(values[index]);
  return seen.size;
}

describe('countDistinct', () => {
  it('counts float32 values as a Set does, with NaN missing and -0 equal to 0', () => {
    const random = createRng(11);
    for (const [rows, levels] of [
      [0, 1],
      [1, 1],
      [50, 3],
      [5000, 40],
      [20000, 20000],
    ]) {
      const values = Float32Array.from({ length: rows }, () => {
        const draw = random();
        if (draw < 0.05) return NaN;
        if (draw < 0.1) return -0;
        return Math.floor(random() * levels) / 7 - 1;
      });
      assert.equal(countDistinct(values), expected(values), `${rows} rows, ${levels} levels`);
    }
    assert.equal(countDistinct(Float32Array.of(0, -0, NaN, NaN)), 1);
  });

  it('counts float64 values (dates) the same way, keyed on both words', () => {
    const random = createRng(12);
    const day = 86_400_000;
    const values = Float64Array.from({ length: 30000 }, () => {
      const draw = random();
      if (draw < 0.05) return NaN;
      if (draw < 0.07) return -0;
      // Values that differ only in the low or only in the high word.
      return draw < 0.5
        ? Date.UTC(2020, 0, 1) + Math.floor(random() * 900) * day
        : Math.floor(random() * 500) * 2 ** 32;
    });
    assert.equal(countDistinct(values), expected(values));
    assert.equal(countDistinct(Float64Array.of(1, 1 + 2 ** -52, 2 ** 33, 2 ** 33 + 1)), 4);
  });

  it('counts a view into a larger buffer only over the view', () => {
    const buffer = Float32Array.of(9, 9, 1, 2, 2, 3, 9, 8);
    assert.equal(countDistinct(buffer.subarray(2, 6)), 3);
  });
});
