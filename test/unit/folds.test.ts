import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { foldHash, makeFolds, splitHoldout, type Fold } from '../../src/core/folds';
import { TopdownError } from '../../src/core/errors';
import { createRng, shuffleInPlace } from '../../src/core/random';

function assertPartition(fold: Fold, sampleCount: number): void {
  const all = [...fold.train, ...fold.validation].sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: sampleCount }, (_, index) => index),
  );
}

function throwsCode(run: () => unknown, code: string, check?: (error: TopdownError) => void): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof TopdownError);
    assert.equal(error.code, code);
    check?.(error);
    return true;
  });
}

describe('makeFolds kfold', () => {
  it('puts every sample in exactly one validation part, sizes within one', () => {
    const folds = makeFolds({ scheme: 'kfold', folds: 4 }, 10, { seed: 1 });
    assert.equal(folds.length, 4);
    const seen = folds.flatMap((fold) => fold.validation).sort((a, b) => a - b);
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(
      folds.map((fold) => fold.validation.length),
      [3, 3, 2, 2],
    );
    for (const fold of folds) assertPartition(fold, 10);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const first = makeFolds({ scheme: 'kfold', folds: 5 }, 40, { seed: 7 });
    const again = makeFolds({ scheme: 'kfold', folds: 5 }, 40, { seed: 7 });
    const other = makeFolds({ scheme: 'kfold', folds: 5 }, 40, { seed: 8 });
    assert.deepEqual(first, again);
    assert.equal(foldHash(first), foldHash(again));
    assert.notEqual(foldHash(first), foldHash(other));
    assert.match(foldHash(first), /^[0-9a-f]{64}$/);
  });

  it('uses contiguous blocks when shuffle is false', () => {
    const folds = makeFolds({ scheme: 'kfold', folds: 3, shuffle: false }, 6, { seed: 1 });
    assert.deepEqual(
      folds.map((fold) => fold.validation),
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
    );
  });

  it('defaults to 10 folds', () => {
    assert.equal(makeFolds({ scheme: 'kfold' }, 30, { seed: 1 }).length, 10);
  });

  it('rejects fewer than 2 folds, naming the field', () => {
    throwsCode(
      () => makeFolds({ scheme: 'kfold', folds: 1 }, 10, { seed: 1, file: 'topdown.json' }),
      'FOLDS_INVALID',
      (error) => {
        assert.equal(error.field, '/evaluate/validation/folds');
        assert.equal(error.file, 'topdown.json');
        assert.match(error.message, /at least 2/);
      },
    );
  });

  it('rejects more folds than samples, saying the most allowed', () => {
    throwsCode(
      () => makeFolds({ scheme: 'kfold', folds: 12 }, 8, { seed: 1 }),
      'FOLDS_INVALID',
      (error) => {
        assert.equal(error.field, '/evaluate/validation/folds');
        assert.match(error.hint ?? '', /at most 8/);
      },
    );
  });
});

describe('makeFolds stratified-kfold', () => {
  it('keeps class ratios within one sample per fold', () => {
    // 30 of class 0, 13 of class 1, 7 of class 2, in a mixed order.
    const labels = shuffleInPlace(
      [...Array(30).fill(0), ...Array(13).fill(1), ...Array(7).fill(2)],
      createRng(9),
    );
    const folds = makeFolds({ scheme: 'stratified-kfold', folds: 5 }, labels.length, { seed: 3, labels });
    for (const fold of folds) {
      const counts = [0, 0, 0];
      for (const sample of fold.validation) counts[labels[sample]]++;
      assert.deepEqual(counts.slice(0, 1), [6]);
      assert.ok(counts[1] === 2 || counts[1] === 3, `class 1 count ${counts[1]}`);
      assert.ok(counts[2] === 1 || counts[2] === 2, `class 2 count ${counts[2]}`);
      assertPartition(fold, labels.length);
    }
    const sizes = folds.map((fold) => fold.validation.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  });

  it('raises CLASS_TOO_SMALL naming the class and its count', () => {
    const labels = [0, 0, 0, 0, 0, 0, 1, 1];
    throwsCode(
      () =>
        makeFolds({ scheme: 'stratified-kfold', folds: 3 }, 8, {
          seed: 1,
          labels,
          classNames: ['benign', 'malignant'],
        }),
      'CLASS_TOO_SMALL',
      (error) => {
        assert.match(error.message, /"malignant" has 2 samples/);
        assert.match(error.hint ?? '', /at most 2 folds|kfold/);
      },
    );
  });

  it('needs labels', () => {
    throwsCode(() => makeFolds({ scheme: 'stratified-kfold', folds: 2 }, 8, { seed: 1 }), 'FOLDS_INVALID');
  });
});

describe('makeFolds repeated-kfold', () => {
  it('makes repeats × folds folds, reshuffled per repeat, indices running on', () => {
    const folds = makeFolds({ scheme: 'repeated-kfold', folds: 3, repeats: 2 }, 12, { seed: 5 });
    assert.deepEqual(
      folds.map((fold) => fold.index),
      [0, 1, 2, 3, 4, 5],
    );
    const firstRepeat = folds.slice(0, 3).map((fold) => fold.validation);
    const secondRepeat = folds.slice(3).map((fold) => fold.validation);
    assert.notDeepEqual(firstRepeat, secondRepeat);
    for (const repeat of [firstRepeat, secondRepeat]) {
      assert.deepEqual(
        repeat.flat().sort((a, b) => a - b),
        Array.from({ length: 12 }, (_, index) => index),
      );
    }
  });

  it('rejects zero repeats', () => {
    throwsCode(
      () => makeFolds({ scheme: 'repeated-kfold', folds: 3, repeats: 0 }, 12, { seed: 5 }),
      'FOLDS_INVALID',
      (error) => assert.equal(error.field, '/evaluate/validation/repeats'),
    );
  });
});

describe('makeFolds split', () => {
  it('holds out the test fraction, stratified when labels are given', () => {
    const labels = [...Array(80).fill(0), ...Array(20).fill(1)];
    const [fold] = makeFolds({ scheme: 'split', testFraction: 0.25 }, 100, { seed: 2, labels });
    assert.equal(fold.validation.length, 25);
    assert.equal(fold.validation.filter((sample) => labels[sample] === 1).length, 5);
    assertPartition(fold, 100);
  });

  it('takes the tail when shuffle is false', () => {
    const [fold] = makeFolds({ scheme: 'split', testFraction: 0.2, shuffle: false }, 10, { seed: 2 });
    assert.deepEqual(fold.validation, [8, 9]);
  });

  it('rejects a fraction outside (0, 1), naming the field', () => {
    throwsCode(
      () => makeFolds({ scheme: 'split', testFraction: 1.5 }, 10, { seed: 1 }),
      'FOLDS_INVALID',
      (error) => assert.equal(error.field, '/evaluate/validation/testFraction'),
    );
  });
});

describe('makeFolds walk-forward', () => {
  it('trains on everything before each consecutive validation block', () => {
    const folds = makeFolds({ scheme: 'walk-forward', folds: 3, minTrainFraction: 0.4 }, 10, { seed: 1 });
    assert.deepEqual(
      folds.map((fold) => [fold.train.length, fold.validation]),
      [
        [4, [4, 5]],
        [6, [6, 7]],
        [8, [8, 9]],
      ],
    );
    for (const fold of folds) assert.deepEqual(fold.train, [...Array(fold.validation[0]).keys()]);
  });

  it('never shuffles, whatever the seed', () => {
    const left = makeFolds({ scheme: 'walk-forward', shuffle: true }, 50, { seed: 1 });
    const right = makeFolds({ scheme: 'walk-forward' }, 50, { seed: 99 });
    assert.deepEqual(left, right);
    assert.equal(left.length, 5);
    assert.equal(left[0].train.length, 25);
  });

  it('uses fixed-size steps when testFraction is given', () => {
    const folds = makeFolds({ scheme: 'walk-forward', folds: 2, testFraction: 0.1 }, 20, { seed: 1 });
    assert.deepEqual(
      folds.map((fold) => fold.validation),
      [
        [10, 11],
        [12, 13],
      ],
    );
  });

  it('rejects a bad minTrainFraction and too many steps', () => {
    throwsCode(
      () => makeFolds({ scheme: 'walk-forward', minTrainFraction: 0 }, 20, { seed: 1 }),
      'FOLDS_INVALID',
      (error) => assert.equal(error.field, '/evaluate/validation/minTrainFraction'),
    );
    throwsCode(() => makeFolds({ scheme: 'walk-forward', folds: 8 }, 10, { seed: 1 }), 'FOLDS_INVALID');
  });
});

describe('splitHoldout', () => {
  it('takes the tail for ordered data', () => {
    assert.deepEqual(splitHoldout(10, 0.2, { seed: 1, ordered: true }), {
      rest: [0, 1, 2, 3, 4, 5, 6, 7],
      holdout: [8, 9],
    });
  });

  it('keeps class ratios and is deterministic for a seed', () => {
    const labels = [...Array(60).fill(0), ...Array(40).fill(1)];
    const first = splitHoldout(100, 0.2, { seed: 4, labels });
    assert.equal(first.holdout.length, 20);
    assert.equal(first.holdout.filter((sample) => labels[sample] === 1).length, 8);
    assert.deepEqual(splitHoldout(100, 0.2, { seed: 4, labels }), first);
    assert.notDeepEqual(splitHoldout(100, 0.2, { seed: 5, labels }).holdout, first.holdout);
    assert.equal(new Set([...first.rest, ...first.holdout]).size, 100);
  });

  it('rejects a fraction of 0.5 or more, naming /problem/holdout', () => {
    throwsCode(
      () => splitHoldout(10, 0.5, { seed: 1 }),
      'FOLDS_INVALID',
      (error) => assert.equal(error.field, '/problem/holdout'),
    );
  });
});
