import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, deriveSeed, shuffleInPlace } from '../../src/core/random';

describe('createRng', () => {
  it('matches the published mulberry32 sequence for seed 1', () => {
    // Reference values from the mulberry32 C code (state += 0x6D2B79F5), divided by 2^32.
    const rng = createRng(1);
    const first = [rng(), rng(), rng()].map((value) => Math.round(value * 4294967296));
    assert.deepEqual(first, [2693262067, 11749833, 2265367787]);
  });

  it('repeats the same sequence for the same seed and differs for another', () => {
    const left = createRng(42);
    const right = createRng(42);
    const other = createRng(43);
    const a = Array.from({ length: 5 }, () => left());
    const b = Array.from({ length: 5 }, () => right());
    const c = Array.from({ length: 5 }, () => other());
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('stays in [0, 1) with a mean near one half', () => {
    const rng = createRng(7);
    let sum = 0;
    for (let index = 0; index < 20000; index++) {
      const value = rng();
      assert.ok(value >= 0 && value < 1);
      sum += value;
    }
    assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  });
});

describe('shuffleInPlace', () => {
  it('keeps every item and is deterministic for a seed', () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    const shuffled = shuffleInPlace([...items], createRng(3));
    assert.deepEqual(
      [...shuffled].sort((a, b) => a - b),
      items,
    );
    assert.notDeepEqual(shuffled, items);
    assert.deepEqual(shuffleInPlace([...items], createRng(3)), shuffled);
  });

  it('shuffles an Int32Array in place', () => {
    const items = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const result = shuffleInPlace(items, createRng(11));
    assert.equal(result, items);
    assert.deepEqual(
      [...items].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.notDeepEqual([...items], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('deriveSeed', () => {
  it('is stable for the same parts', () => {
    assert.equal(deriveSeed(7, 'mlp', 3), deriveSeed(7, 'mlp', 3));
  });

  it('gives a known value so seeds stay the same across releases', () => {
    // Recorded runs store derived seeds; a change here would silently change every rerun.
    assert.equal(deriveSeed(7, 'fold', 0), 6633105);
    assert.equal(deriveSeed(7), 1478832577);
  });

  it('differs when the seed, a part, or the order of parts changes', () => {
    const base = deriveSeed(7, 'mlp', 3);
    const variants = [
      deriveSeed(8, 'mlp', 3),
      deriveSeed(7, 'mlp', 4),
      deriveSeed(7, 'knn', 3),
      deriveSeed(7, 3, 'mlp'),
      deriveSeed(7, 'mlp', '3'),
      deriveSeed(7, 'mlp', 3.5),
      deriveSeed(7, 'mlp'),
    ];
    for (const variant of variants) assert.notEqual(variant, base);
    assert.equal(new Set(variants).size, variants.length);
  });

  it('spreads consecutive fold indices across the 32-bit range', () => {
    const seeds = Array.from({ length: 100 }, (_, fold) => deriveSeed(1, fold));
    assert.equal(new Set(seeds).size, 100);
    const high = seeds.filter((seed) => seed >= 2 ** 31).length;
    assert.ok(high > 30 && high < 70);
  });
});
