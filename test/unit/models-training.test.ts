import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CandidateConfig } from '../../src/core/config';
import type { EpochLogs } from '../../src/core/models/types';
import { createEstimator } from '../../src/core/models/zoo';
import { loadBackend } from '../../src/runner/backend';
import { blobs, contextFor, halves, plane, sine, type Problem } from '../fixtures/models/datasets';
import { rejectsWith } from '../helpers/errors';

const FIXTURES = join(__dirname, '..', 'fixtures', 'models');

describe('neural training', () => {
  before(async () => {
    await loadBackend('cpu');
  });

  it('logs loss and acc per epoch, and val_loss and val_acc when given validation data', async () => {
    const problem = blobs(3);
    const estimator = createEstimator(
      { name: 'net', model: 'mlp', layers: [4], epochs: 3 },
      contextFor(problem, tf),
    );
    const seen: Array<[number, EpochLogs]> = [];
    const result = await estimator.fit(problem.train, {
      validation: problem.test,
      callbacks: { onEpochEnd: (epoch, logs) => void seen.push([epoch, logs]) },
    });
    estimator.dispose();
    assert.equal(result.stopped, false);
    assert.equal(result.history.length, 3);
    assert.deepEqual(
      seen.map(([epoch]) => epoch),
      [0, 1, 2],
    );
    for (const logs of result.history) {
      assert.deepEqual(Object.keys(logs).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
      assert.ok(Object.values(logs).every(Number.isFinite));
    }
  });

  it('logs only loss for regression without validation data', async () => {
    const problem = plane();
    const estimator = createEstimator({ name: 'lin', model: 'linear', epochs: 2 }, contextFor(problem, tf));
    const result = await estimator.fit(problem.train);
    estimator.dispose();
    assert.deepEqual(Object.keys(result.history[1]), ['loss']);
  });

  it('stops at a batch boundary when shouldStop turns true, and says it was stopped', async () => {
    const problem = blobs(2);
    const estimator = createEstimator(
      { name: 'net', model: 'mlp', layers: [4], epochs: 50, batchSize: 8 },
      contextFor(problem, tf),
    );
    let polls = 0;
    const result = await estimator.fit(problem.train, { shouldStop: () => ++polls > 3 });
    estimator.dispose();
    assert.equal(result.stopped, true);
    assert.equal(polls, 4, 'polled once per batch until it said stop');
    assert.equal(result.history.length, 0, 'stopped inside the first epoch (20 batches)');
  });

  it('throws LOSS_NAN naming the epoch when the loss diverges', async () => {
    const problem = plane();
    const unscaled = { ...problem.train, x: problem.train.x.map((value) => value * 1000) };
    const estimator = createEstimator(
      { name: 'wild', model: 'mlp', layers: [8], optimizer: 'sgd', learningRate: 1e6, epochs: 5 },
      contextFor(problem, tf),
    );
    const error = await rejectsWith('LOSS_NAN', () => estimator.fit(unscaled));
    estimator.dispose();
    assert.match(error.message, /"wild".*epoch 1/);
    assert.match(error.hint ?? '', /learning rate/);
  });

  it('early stopping ends before the epoch budget and keeps the best weights', async () => {
    const problem = blobs(2);
    const candidate: CandidateConfig = {
      name: 'early',
      model: 'mlp',
      layers: [8],
      epochs: 300,
      learningRate: 0.05,
      earlyStopping: { patience: 3, minDelta: 0.001 },
    };
    const run = async (): Promise<number> => {
      const estimator = createEstimator(candidate, contextFor(problem, tf));
      const result = await estimator.fit(problem.train);
      estimator.dispose();
      return result.history.length;
    };
    const epochs = await run();
    assert.ok(epochs < 300 && epochs > 3, `ran ${epochs} epochs`);
    assert.equal(await run(), epochs, 'the held-out slice is chosen by the seed');
  });

  it('leaves no tensors behind across folds', async () => {
    for (const [candidate, problem] of [
      [
        {
          name: 'net',
          model: 'mlp',
          layers: [4],
          dropout: 0.2,
          batchNorm: true,
          epochs: 2,
          earlyStopping: { patience: 1 },
        },
        blobs(3),
      ],
      [{ name: 'conv', model: 'cnn', filters: [2], epochs: 1 }, halves()],
      [{ name: 'rnn', model: 'gru', units: [3], epochs: 1 }, sine()],
    ] as Array<[CandidateConfig, Problem]>) {
      const before = tf.memory().numTensors;
      for (let fold = 0; fold < 2; fold++) {
        const estimator = createEstimator(candidate, contextFor(problem, tf, fold));
        await estimator.fit(problem.train, { validation: problem.test });
        await estimator.predict(problem.test);
        estimator.dispose();
        estimator.dispose();
      }
      assert.equal(tf.memory().numTensors, before, `${candidate.model} leaked tensors`);
    }
  });

  it('frees tensors when training fails', async () => {
    const problem = plane();
    const before = tf.memory().numTensors;
    const estimator = createEstimator(
      {
        name: 'wild',
        model: 'mlp',
        layers: [4],
        optimizer: 'sgd',
        learningRate: 1e9,
        epochs: 3,
        earlyStopping: { patience: 1 },
      },
      contextFor(problem, tf),
    );
    await rejectsWith('LOSS_NAN', () =>
      estimator.fit({ ...problem.train, x: problem.train.x.map((value) => value * 1e4) }),
    );
    estimator.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('custom models', () => {
  before(async () => {
    await loadBackend('cpu');
  });

  it('reports a missing module with CUSTOM_MODEL_FAILED and the path it looked for', async () => {
    const error = await rejectsWith('CUSTOM_MODEL_FAILED', () =>
      createEstimator(
        { name: 'mine', model: 'custom', module: 'models/absent.js' },
        contextFor(blobs(2), tf, 1, FIXTURES),
      ),
    );
    assert.match(error.message, /models\/absent\.js/);
    assert.equal(error.file, join(FIXTURES, 'models', 'absent.js'));
  });

  it('reports a build() that throws with the module path and the thrown message', async () => {
    const error = await rejectsWith('CUSTOM_MODEL_FAILED', () =>
      createEstimator(
        { name: 'mine', model: 'custom', module: 'custom-throws.js' },
        contextFor(blobs(2), tf, 1, FIXTURES),
      ),
    );
    assert.match(error.message, /custom-throws\.js/);
    assert.match(error.message, /layer size is undefined/);
  });

  it('reports a wrong output shape with CUSTOM_MODEL_SHAPE, expected against got', async () => {
    const before = tf.memory().numTensors;
    const error = await rejectsWith('CUSTOM_MODEL_SHAPE', () =>
      createEstimator(
        { name: 'mine', model: 'custom', module: 'custom-wrong-shape.js' },
        contextFor(blobs(3), tf, 1, FIXTURES),
      ),
    );
    assert.match(error.message, /outputs \[null, 1\], expected \[null, 3\]/);
    assert.equal(tf.memory().numTensors, before, 'the rejected model is disposed');
  });

  it('passes options and the problem to build()', async () => {
    const estimator = createEstimator(
      { name: 'mine', model: 'custom', module: 'custom-dense.js', options: { units: 5 }, epochs: 1 },
      contextFor(plane(), tf, 1, FIXTURES),
    );
    await estimator.fit(plane().train);
    const predictions = await estimator.predict(plane().test);
    estimator.dispose();
    assert.equal(predictions.length, plane().test.xShape[0]);
  });
});

describe('model and task compatibility', () => {
  const cases: Array<[string, CandidateConfig, Problem]> = [
    ['naive Bayes on regression', { name: 'bayes', model: 'naive-bayes' }, plane()],
    ['a cnn on tabular rows', { name: 'conv', model: 'cnn', filters: [4] }, blobs(2)],
    ['an lstm on tabular rows', { name: 'rnn', model: 'lstm', units: [4] }, plane()],
    ['an mlp without layers', { name: 'net', model: 'mlp', layers: [] }, plane()],
    ['a dropout of 1', { name: 'net', model: 'mlp', layers: [3], dropout: 1 }, plane()],
    ['k of 0', { name: 'nn', model: 'knn', k: 0 }, plane()],
  ];
  for (const [label, candidate, problem] of cases) {
    it(`rejects ${label} with MODEL_INVALID naming the candidate`, async () => {
      await loadBackend('cpu');
      const error = await rejectsWith('MODEL_INVALID', () =>
        createEstimator(candidate, contextFor(problem, tf)),
      );
      assert.match(error.message, new RegExp(`"${candidate.name}"`));
    });
  }

  it('rejects a network when no tfjs module was passed in', async () => {
    await rejectsWith('BACKEND_UNAVAILABLE', () =>
      createEstimator({ name: 'net', model: 'mlp', layers: [2] }, contextFor(plane())),
    );
  });

  it('runs classic models without tfjs, flattening windows', async () => {
    const problem = sine();
    const estimator = createEstimator({ name: 'tree', model: 'decision-tree' }, contextFor(problem));
    await estimator.fit(problem.train);
    assert.equal((await estimator.predict(problem.test)).length, problem.test.xShape[0] * 2);
  });
});
