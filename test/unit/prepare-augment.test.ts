/** The image op's augmentation: copies of the training images only, seeded, checked settings. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrepareOp, ProblemConfig } from '../../src/core/config';
import type { Dataset } from '../../src/core/dataset';
import { loadDataSource } from '../../src/core/data/source';
import {
  augmentImages,
  augmentSettings,
  holdOutWithCopies,
  originalCount,
} from '../../src/core/prepare/augment';
import { prepareFold } from '../../src/core/prepare/pipeline';
import { tempDir } from '../helpers/cli';
import { syntheticImages, writeIdx } from '../helpers/images';

const problem: ProblemConfig = { data: 'images', target: 'label', task: 'image', metric: 'accuracy' };

/** `count` 4×5 grey images whose pixel (r, c) of image i is 1 + i·100 + r·10 + c (never 0). */
function dataset(count: number): Dataset {
  const x = new Float32Array(count * 20);
  for (let image = 0; image < count; image++)
    for (let pixel = 0; pixel < 20; pixel++)
      x[image * 20 + pixel] = 1 + image * 100 + Math.floor(pixel / 5) * 10 + (pixel % 5);
  return {
    x,
    xShape: [count, 4, 5, 1],
    y: Float32Array.from({ length: count }, (_unused, image) => image % 2),
    yShape: [count],
    featureNames: ['pixel'],
    classes: ['a', 'b'],
    rowIndex: Int32Array.from({ length: count }, (_unused, image) => 10 + image),
  };
}

/** Image `index` of a dataset as rows of pixels. */
function picture(data: Dataset, index: number): number[][] {
  const [, rows, cols] = data.xShape;
  return Array.from({ length: rows }, (_unused, row) =>
    Array.from(data.x.subarray(index * rows * cols + row * cols, index * rows * cols + (row + 1) * cols)),
  );
}

/** `source` flipped (optionally) then moved down and right, zeros moved in. */
function transformed(source: number[][], flip: boolean, down: number, right: number): number[][] {
  return source.map((line, row) =>
    line.map((_unused, col) => {
      const from = row - down;
      const shifted = col - right;
      if (from < 0 || from >= source.length || shifted < 0 || shifted >= line.length) return 0;
      return source[from][flip ? line.length - 1 - shifted : shifted];
    }),
  );
}

/** Which flip and shift (within `shift`) turn `source` into `copy`, or undefined. */
function explain(source: number[][], copy: number[][], shift: number): [boolean, number, number] | undefined {
  for (const flip of [false, true])
    for (let down = -shift; down <= shift; down++)
      for (let right = -shift; right <= shift; right++)
        if (JSON.stringify(transformed(source, flip, down, right)) === JSON.stringify(copy))
          return [flip, down + 0, right + 0]; // + 0: no -0 from -shift
  return undefined;
}

describe('augmentImages', () => {
  const train = dataset(6);
  const settings = { flip: true, shift: 1, copies: 2 };

  it('keeps the originals first and adds copies with their labels and rows', () => {
    const augmented = augmentImages(train, settings, 3);
    assert.deepEqual(augmented.xShape, [18, 4, 5, 1]);
    assert.deepEqual(augmented.x.subarray(0, 120), train.x);
    assert.deepEqual([...augmented.y], [...train.y, ...train.y, ...train.y]);
    assert.deepEqual([...augmented.rowIndex], [...train.rowIndex, ...train.rowIndex, ...train.rowIndex]);
    assert.deepEqual([...augmented.augmentedFrom!], [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    assert.equal(originalCount(augmented.augmentedFrom!), 6);
  });

  it('makes every copy a flip and a shift of at most `shift` pixels of its original, and varies them', () => {
    const augmented = augmentImages(train, settings, 3);
    const seen = new Set<string>();
    for (let sample = 6; sample < 18; sample++) {
      const how = explain(picture(train, sample % 6), picture(augmented, sample), 1);
      assert.ok(how, `copy ${sample} is no flip and shift of image ${sample % 6}`);
      seen.add(JSON.stringify(how));
    }
    assert.ok(seen.size >= 4, `only ${seen.size} different flips and shifts in 12 copies`);
  });

  it('draws the same copies from the same seed and others from another', () => {
    assert.deepEqual(augmentImages(train, settings, 3).x, augmentImages(train, settings, 3).x);
    assert.notDeepEqual(augmentImages(train, settings, 3).x, augmentImages(train, settings, 4).x);
  });

  it('only flips when shift is 0', () => {
    const augmented = augmentImages(train, { flip: true, shift: 0, copies: 1 }, 1);
    for (let sample = 6; sample < 12; sample++) {
      const how = explain(picture(train, sample - 6), picture(augmented, sample), 0);
      assert.deepEqual(how?.slice(1), [0, 0]);
    }
  });
});

describe('augmentation in a fold', () => {
  it('adds copies to the training part only and fits the pipeline on the originals', async () => {
    const loaded = await loadDataSource(writeIdx(tempDir('augment-fold'), 'train', syntheticImages(4, 8, 2)));
    const image: PrepareOp = { op: 'image', rows: 8, cols: 8, channels: 1 };
    const fold = { train: [0, 1, 2, 3, 4, 5, 6, 7], validation: [8, 9, 10, 11], seed: 5 };
    const plain = prepareFold(loaded.table, problem, [image], fold);
    const augmented = prepareFold(
      loaded.table,
      problem,
      [{ ...image, augment: { flip: true, shift: 2, copies: 3 } }],
      fold,
    );
    assert.equal(augmented.train.xShape[0], 32);
    assert.deepEqual(augmented.train.x.subarray(0, 8 * 64), plain.train.x);
    assert.deepEqual(augmented.validation, plain.validation);
    assert.equal(augmented.validation.augmentedFrom, undefined);
    assert.deepEqual(augmented.pipeline.getState().images, plain.pipeline.getState().images);
  });
});

describe('augmentSettings', () => {
  const image = (augment: Record<string, unknown>): PrepareOp[] => [
    { op: 'image', rows: 28, cols: 28, augment },
  ];

  it('fills in the defaults and has nothing to do without augment', () => {
    assert.deepEqual(augmentSettings(image({ flip: true })), { flip: true, shift: 0, copies: 1 });
    assert.equal(augmentSettings([{ op: 'image', rows: 28, cols: 28 }]), undefined);
  });

  it('refuses a shift over a quarter of the image, copies out of range and an augment that does nothing', () => {
    for (const [augment, field] of [
      [{ shift: 8 }, '/prepare/0/augment/shift'],
      [{ shift: 1.5 }, '/prepare/0/augment/shift'],
      [{ shift: 1, copies: 0 }, '/prepare/0/augment/copies'],
      [{ flip: true, copies: 9 }, '/prepare/0/augment/copies'],
      [{ flip: false }, '/prepare/0/augment/flip'],
    ] as const) {
      assert.throws(() => augmentSettings(image(augment), 'topdown.json'), {
        code: 'PREPARE_INVALID',
        field,
        file: 'topdown.json',
      });
    }
  });
});

describe('holdOutWithCopies', () => {
  it('trains on no copy of a held-out original', () => {
    const from = Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]);
    const split = holdOutWithCopies(from, Int32Array.from([2, 0]));
    assert.deepEqual([...split.held], [2, 0]);
    assert.deepEqual([...split.kept], [1, 3, 5, 7]);
  });
});
