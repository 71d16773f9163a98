import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { CandidateConfig } from '../../src/core/config';
import { createEstimator, needsTensorflow, resolveCandidate } from '../../src/core/models/zoo';
import { loadBackend } from '../../src/runner/backend';
import {
  accuracy,
  blobs,
  contextFor,
  halves,
  plane,
  rmse,
  sine,
  spread,
  type Problem,
} from '../fixtures/models/datasets';

/** One zoo member on one problem, and what "learned something" means there. */
interface Case {
  candidate: CandidateConfig;
  problem: () => Problem;
  /** Minimum accuracy (classification) or maximum RMSE as a share of the target's spread (regression). */
  accuracyAbove?: number;
  rmseBelowShareOfSpread?: number;
  /** Recurrent networks train on wasm: tfjs's cpu backend runs them 10x slower. */
  backend?: 'wasm';
}

const cases: Case[] = [
  {
    candidate: { name: 'lin', model: 'linear', epochs: 30, learningRate: 0.05 },
    problem: () => blobs(3),
    accuracyAbove: 0.9,
  },
  {
    candidate: { name: 'lin', model: 'linear', epochs: 40, learningRate: 0.05 },
    problem: plane,
    rmseBelowShareOfSpread: 0.2,
  },
  {
    candidate: { name: 'net', model: 'mlp', layers: [8], epochs: 20, learningRate: 0.02 },
    problem: () => blobs(2),
    accuracyAbove: 0.9,
  },
  {
    candidate: {
      name: 'net',
      model: 'mlp',
      layers: [16, 8],
      dropout: 0.1,
      batchNorm: true,
      l2: 0.001,
      epochs: 30,
      learningRate: 0.02,
    },
    problem: plane,
    rmseBelowShareOfSpread: 0.5,
  },
  {
    candidate: { name: 'conv', model: 'cnn', filters: [4], dense: [8], epochs: 6, learningRate: 0.01 },
    problem: halves,
    accuracyAbove: 0.9,
  },
  {
    candidate: { name: 'rnn', model: 'lstm', units: [8], epochs: 20, learningRate: 0.02 },
    problem: sine,
    rmseBelowShareOfSpread: 0.5,
    backend: 'wasm',
  },
  {
    candidate: {
      name: 'rnn',
      model: 'gru',
      units: [6, 4],
      dense: [4],
      dropout: 0.1,
      epochs: 20,
      learningRate: 0.02,
    },
    problem: sine,
    rmseBelowShareOfSpread: 0.5,
    backend: 'wasm',
  },
  {
    candidate: {
      name: 'mine',
      model: 'custom',
      module: 'custom-dense.js',
      options: { units: 6 },
      epochs: 20,
      learningRate: 0.02,
    },
    problem: () => blobs(2),
    accuracyAbove: 0.9,
  },
  { candidate: { name: 'nn', model: 'knn' }, problem: () => blobs(3), accuracyAbove: 0.9 },
  { candidate: { name: 'nn', model: 'knn', k: 3 }, problem: plane, rmseBelowShareOfSpread: 0.3 },
  { candidate: { name: 'nn', model: 'knn' }, problem: sine, rmseBelowShareOfSpread: 0.5 },
  { candidate: { name: 'tree', model: 'decision-tree' }, problem: () => blobs(3), accuracyAbove: 0.9 },
  {
    candidate: { name: 'tree', model: 'decision-tree', maxDepth: 6 },
    problem: plane,
    rmseBelowShareOfSpread: 0.4,
  },
  {
    candidate: { name: 'forest', model: 'random-forest', trees: 10 },
    problem: () => blobs(3),
    accuracyAbove: 0.9,
  },
  {
    candidate: { name: 'forest', model: 'random-forest', trees: 10, maxDepth: 6 },
    problem: sine,
    rmseBelowShareOfSpread: 0.5,
  },
  { candidate: { name: 'bayes', model: 'naive-bayes' }, problem: () => blobs(3), accuracyAbove: 0.9 },
];

async function fitAndPredict(candidate: CandidateConfig, problem: Problem, seed = 11): Promise<Float32Array> {
  const estimator = createEstimator(candidate, contextFor(problem, tf, seed));
  try {
    await estimator.fit(problem.train);
    return await estimator.predict(problem.test);
  } finally {
    estimator.dispose();
  }
}

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (tf.getBackend() !== name) await loadBackend(name);
}

describe('model zoo', () => {
  before(async () => {
    await loadBackend('cpu');
  });

  for (const testCase of cases) {
    const { candidate } = testCase;
    const problem = testCase.problem();
    const label = `${candidate.model} on ${problem.task}`;

    it(`${label}: learns well above chance with the right prediction shape`, async () => {
      await useBackend(testCase.backend ?? 'cpu');
      const predictions = await fitAndPredict(candidate, problem);
      assert.equal(predictions.length, problem.test.xShape[0] * problem.outputUnits);
      assert.ok(predictions.every(Number.isFinite), 'predictions are finite');
      if (testCase.accuracyAbove !== undefined) {
        for (let row = 0; row < problem.test.xShape[0]; row++) {
          const sum = predictions
            .subarray(row * problem.outputUnits, (row + 1) * problem.outputUnits)
            .reduce((total, value) => total + value, 0);
          assert.ok(Math.abs(sum - 1) < 1e-5, `row ${row} sums to ${sum}`);
        }
        const score = accuracy(predictions, problem.test, problem.outputUnits);
        assert.ok(score > testCase.accuracyAbove, `accuracy ${score}`);
      } else {
        const error = rmse(predictions, problem.test);
        const limit = (testCase.rmseBelowShareOfSpread ?? 0) * spread(problem.test);
        assert.ok(error < limit, `rmse ${error} above ${limit}`);
      }
    });

    it(`${label}: gives identical predictions for the same seed and different ones for another`, async () => {
      await useBackend(testCase.backend ?? 'cpu');
      // A few epochs are enough to show that shuffling, dropout and initial weights repeat.
      const short = ('epochs' in candidate ? { ...candidate, epochs: 3 } : candidate) as CandidateConfig;
      const first = await fitAndPredict(short, problem, 5);
      const second = await fitAndPredict(short, problem, 5);
      const other = await fitAndPredict(short, problem, 6);
      assert.deepEqual(first, second);
      // Classic models can agree on every row of an easy problem whatever the seed; networks cannot.
      if (needsTensorflow(candidate.model)) {
        assert.notDeepEqual(first, other, 'another seed gives another model');
      }
    });
  }

  it('baseline predicts the training class frequencies for every row, so accuracy is the majority share', async () => {
    const problem = blobs(3);
    const skewed = { ...problem.train, y: problem.train.y.map((label, index) => (index < 100 ? 1 : label)) };
    const estimator = createEstimator({ name: 'base', model: 'baseline' }, contextFor(problem, tf));
    await estimator.fit(skewed);
    const predictions = await estimator.predict(problem.test);
    const counts = [0, 0, 0];
    for (const label of skewed.y) counts[label]++;
    const expected = counts.map((count) => count / skewed.y.length);
    for (let row = 0; row < problem.test.xShape[0]; row++) {
      Array.from(predictions.subarray(row * 3, row * 3 + 3)).forEach((value, column) =>
        assert.ok(Math.abs(value - expected[column]) < 1e-6),
      );
    }
    assert.deepEqual(estimator.getParams(), {
      name: 'base',
      model: 'baseline',
      strategy: 'class-frequencies',
    });
  });

  it('baseline predicts the training mean for regression and persistence for time series', async () => {
    const regression = plane();
    const mean = await fitAndPredict({ name: 'base', model: 'baseline' }, regression);
    const trainMean =
      regression.train.y.reduce((total, value) => total + value, 0) / regression.train.y.length;
    assert.ok(mean.every((value) => Math.abs(value - trainMean) < 1e-4));
    const series = sine();
    const persistence = await fitAndPredict({ name: 'base', model: 'baseline' }, series);
    assert.deepEqual(persistence, series.test.persistence);
  });

  it('resolveCandidate fills in every default and keeps what was given', () => {
    assert.deepEqual(
      resolveCandidate({
        name: 'net',
        model: 'mlp',
        layers: [4],
        learningRate: 0.1,
        earlyStopping: { patience: 3 },
      }),
      {
        name: 'net',
        model: 'mlp',
        layers: [4],
        activation: 'relu',
        dropout: 0,
        batchNorm: false,
        epochs: 100,
        batchSize: 32,
        optimizer: 'adam',
        learningRate: 0.1,
        l2: 0,
        earlyStopping: { patience: 3, minDelta: 0, fraction: 0.1 },
      },
    );
    assert.deepEqual(resolveCandidate({ name: 'nn', model: 'knn' }), { name: 'nn', model: 'knn', k: 5 });
    assert.deepEqual(resolveCandidate({ name: 'forest', model: 'random-forest', trees: 9 }), {
      name: 'forest',
      model: 'random-forest',
      trees: 9,
      maxFeatures: 0.7,
      maxDepth: 20,
    });
  });

  it('getParams returns the resolved candidate as plain JSON', () => {
    const estimator = createEstimator({ name: 'conv', model: 'cnn', filters: [2] }, contextFor(halves(), tf));
    const params = estimator.getParams();
    estimator.dispose();
    assert.deepEqual(
      params,
      JSON.parse(JSON.stringify(resolveCandidate({ name: 'conv', model: 'cnn', filters: [2] }))),
    );
    assert.equal(params.kernelSize, 3);
  });
});
