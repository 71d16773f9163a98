import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { confusedPairs } from '../../src/core/data/images/confused';
import type { Table } from '../../src/core/data/table';

/** Ten 2×2 grey images whose every pixel is the row number, with file names. */
function table(): Table {
  const pixels = new Uint8Array(10 * 4).map((_unused, index) => Math.floor(index / 4));
  return {
    file: 'images',
    rowCount: 10,
    columns: [
      {
        name: 'file',
        type: 'identifier',
        values: Array.from({ length: 10 }, (_unused, row) => `f${row}.png`),
      },
      { name: 'label', type: 'categorical', values: Array(10).fill('a') },
    ],
    images: { rows: 2, cols: 2, channels: 1, pixels },
  };
}

const classes = ['a', 'b', 'c'];
/** One-hot-ish probabilities for a predicted class, the predicted one at `confidence`. */
function probabilities(predicted: number, confidence: number): number[] {
  return classes.map((_unused, index) => (index === predicted ? confidence : (1 - confidence) / 2));
}

describe('confusedPairs', () => {
  // Holdout samples: table row, true class, predicted class, confidence.
  const samples: Array<[number, number, number, number]> = [
    [9, 0, 1, 0.6], // a → b
    [8, 0, 1, 0.9], // a → b, more confident
    [7, 0, 0, 0.8], // right
    [6, 1, 2, 0.7], // b → c
    [5, 2, 1, 0.5], // c → b
    [4, 2, 1, 0.55], // c → b
    [3, 0, 1, 0.7], // a → b
    [2, 1, 1, 0.9], // right
  ];
  const holdout = {
    rows: samples.map((sample) => sample[0]),
    truth: samples.map((sample) => sample[1]),
    predictions: samples.flatMap((sample) => probabilities(sample[2], sample[3])),
  };

  it('ranks pairs by count, ties in class order, with the share of the true class', () => {
    const result = confusedPairs(table(), holdout, classes)!;
    assert.deepEqual(
      result.pairs.map((pair) => [pair.actual, pair.predicted, pair.count, pair.share]),
      [
        ['a', 'b', 3, 3 / 4],
        ['c', 'b', 2, 1],
        ['b', 'c', 1, 1 / 2],
      ],
    );
    assert.deepEqual([result.rows, result.cols, result.channels], [2, 2, 1]);
  });

  it('keeps the most confident mistakes as examples, with the images of their table rows', () => {
    const result = confusedPairs(table(), holdout, classes, { pairs: 1, examples: 2 })!;
    assert.equal(result.pairs.length, 1);
    const examples = result.pairs[0].examples;
    assert.deepEqual(
      examples.map((example) => [example.file, example.probability]),
      [
        ['f8.png', 0.9],
        ['f3.png', 0.7],
      ],
    );
    assert.deepEqual([...Buffer.from(examples[0].pixels, 'base64')], [8, 8, 8, 8]);
  });

  it('has no pairs when every prediction is right, and nothing for a table without images', () => {
    const right = {
      rows: [0, 1],
      truth: [0, 2],
      predictions: [...probabilities(0, 0.9), ...probabilities(2, 0.9)],
    };
    assert.deepEqual(confusedPairs(table(), right, classes)?.pairs, []);
    assert.equal(confusedPairs({ ...table(), images: undefined }, right, classes), undefined);
  });
});
