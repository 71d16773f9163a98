import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as forests from 'ml-random-forest';
import { growForest, predictForest, type ForestOptions } from '../../src/core/models/forest';
import { RandomForestEstimator } from '../../src/core/models/classic';
import { accuracy, blobs, contextFor, plane, rmse, spread } from '../fixtures/models/datasets';

const options: ForestOptions = {
  trees: 20,
  featuresPerTree: 2,
  maxDepth: 20,
  minSamples: 3,
  seed: 5,
  classes: 3,
};

describe('random forest on typed arrays', () => {
  it('classifies three blobs well above chance, with vote shares summing to one', () => {
    const problem = blobs(3);
    const forest = growForest(problem.train.x, 160, 2, problem.train.y, options);
    const shares = predictForest(forest, problem.test.x, 80, 2);
    assert.ok(accuracy(shares, problem.test, 3) > 0.9);
    for (let row = 0; row < 80; row++) {
      const total = shares[row * 3] + shares[row * 3 + 1] + shares[row * 3 + 2];
      assert.ok(Math.abs(total - 1) < 1e-5, `row ${row} shares sum to ${total}`);
    }
  });

  it('splits a one-feature step exactly at the midpoint between the two sides', () => {
    const x = Float32Array.from([1, 2, 3, 10, 11, 12]);
    const forest = growForest(x, 6, 1, [0, 0, 0, 1, 1, 1], {
      ...options,
      trees: 1,
      featuresPerTree: 1,
      classes: 2,
    });
    const [tree] = forest.trees;
    // A bootstrap may miss rows, so the threshold lies between the largest drawn left and smallest drawn right.
    assert.ok(tree.threshold[0] > 3 - 1e-6 && tree.threshold[0] < 10, `threshold ${tree.threshold[0]}`);
    assert.deepEqual(Array.from(predictForest(forest, Float32Array.from([0, 20]), 2, 1)), [1, 0, 0, 1]);
  });

  it('fits a regression plane better than its spread', () => {
    const problem = plane();
    const forest = growForest(problem.train.x, 160, 2, problem.train.y, { ...options, classes: 0 });
    const predictions = predictForest(forest, problem.test.x, 80, 2);
    assert.ok(rmse(predictions, problem.test) < spread(problem.test) / 2);
  });

  it('grows the same forest for the same seed and another for another seed', () => {
    const problem = blobs(2);
    const grow = (seed: number) =>
      JSON.stringify(growForest(problem.train.x, 160, 2, problem.train.y, { ...options, seed, classes: 2 }));
    assert.equal(grow(1), grow(1));
    assert.notEqual(grow(1), grow(2));
  });

  it('still loads and predicts a forest saved by ml-random-forest', async () => {
    const problem = blobs(2);
    const rows = Array.from({ length: 160 }, (_, row) =>
      Array.from(problem.train.x.subarray(row * 2, row * 2 + 2)),
    );
    const library = forests as unknown as {
      RandomForestClassifier: new (options: object) => {
        train(x: number[][], y: number[]): void;
        toJSON(): unknown;
      };
    };
    const legacy = new library.RandomForestClassifier({ nEstimators: 5, seed: 3, noOOB: true });
    legacy.train(rows, Array.from(problem.train.y));
    const estimator = new RandomForestEstimator({ name: 'rf', model: 'random-forest' }, contextFor(problem));
    estimator.importState({ forests: [JSON.parse(JSON.stringify(legacy.toJSON()))] });
    const shares = await estimator.predict(problem.test);
    assert.ok(accuracy(shares, problem.test, 2) > 0.9);
    assert.equal(estimator.exportState().forests && (estimator.exportState().forests as unknown[]).length, 1);
  });
});
