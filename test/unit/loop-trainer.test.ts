import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loopTrainerFor } from '../../src/core/models/loop/trainer';
import type { ResolvedTraining } from '../../src/core/models/resolve';
import { createRng } from '../../src/core/random';
import { prepareLoopKernels } from '../../src/core/models/loop/gemm-simd';

const samples = 12;
const features = 3;

/** Seeded inputs, class labels and regression targets. */
function data(): { x: Float32Array; labels: Float32Array; targets: Float32Array } {
  const random = createRng(3);
  const x = Float32Array.from({ length: samples * features }, () => random() * 2 - 1);
  const labels = Float32Array.from({ length: samples }, (_, row) => (x[row * features] > 0 ? 1 : 0));
  const targets = Float32Array.from(
    { length: samples },
    (_, row) => 2 * x[row * features] - x[row * features + 1],
  );
  return { x, labels, targets };
}

function network(classification: boolean, l2: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [features] }));
  const regularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
  const initializer = (seed: number) => tf.initializers.glorotUniform({ seed });
  model.add(
    tf.layers.dense({
      units: 4,
      activation: 'tanh',
      kernelInitializer: initializer(1),
      kernelRegularizer: regularizer,
    }),
  );
  model.add(
    tf.layers.dense({
      units: classification ? 2 : 1,
      activation: classification ? 'softmax' : 'linear',
      kernelInitializer: initializer(2),
      biasInitializer: 'ones',
    }),
  );
  return model;
}

function settings(optimizer: 'adam' | 'sgd'): ResolvedTraining {
  return { epochs: 1, batchSize: samples, optimizer, learningRate: 0.1, l2: 0 };
}

/** Trains a copy of the same network with tfjs' fit and with the loop, one full batch, and compares. */
async function compareOneStep(classification: boolean, optimizer: 'adam' | 'sgd', l2: number) {
  const { x, labels, targets } = data();
  const reference = network(classification, l2);
  const copy = network(classification, l2);
  copy.setWeights(reference.getWeights());
  const training = settings(optimizer);
  const trainer = loopTrainerFor(copy, training, classification);
  assert.ok(trainer, 'the loop takes this network');
  reference.compile({
    optimizer: optimizer === 'adam' ? tf.train.adam(0.1) : tf.train.sgd(0.1),
    loss: classification ? 'categoricalCrossentropy' : 'meanSquaredError',
  });
  const xs = tf.tensor2d(x, [samples, features]);
  const ys = classification
    ? tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 2).toFloat()
    : tf.tensor2d(targets, [samples, 1]);
  const history = await reference.fit(xs, ys, { epochs: 1, batchSize: samples, shuffle: false, verbose: 0 });
  const logs = await trainer.trainEpoch(
    x,
    classification ? labels : targets,
    samples,
    createRng(1),
    async () => false,
  );
  trainer.writeTo(tf, copy);
  assert.ok(Math.abs(logs.loss - (history.history.loss[0] as number)) < 1e-5, `loss ${logs.loss}`);
  const expected = reference.getWeights().map((weight) => weight.dataSync());
  const actual = copy.getWeights().map((weight) => weight.dataSync());
  expected.forEach((values, index) =>
    values.forEach((value, position) =>
      assert.ok(Math.abs(value - actual[index][position]) < 1e-5, `weight ${index}[${position}]`),
    ),
  );
  tf.dispose([xs, ys]);
  reference.dispose();
  copy.dispose();
}

describe('typed-array training loop on dense networks', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  it('matches one tfjs Adam step on softmax cross-entropy, loss and weights', async () => {
    await compareOneStep(true, 'adam', 0);
  });

  it('matches one tfjs SGD step on mean squared error with an L2 penalty on the kernel', async () => {
    await compareOneStep(false, 'sgd', 0.01);
  });

  it('leaves batch normalization and other optimizers to tfjs, and takes early stopping', () => {
    const normalized = tf.sequential();
    normalized.add(tf.layers.dense({ inputShape: [features], units: 4 }));
    normalized.add(tf.layers.batchNormalization());
    normalized.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    assert.equal(loopTrainerFor(normalized, settings('adam'), true), undefined);
    const plain = network(true, 0);
    assert.equal(loopTrainerFor(plain, { ...settings('adam'), optimizer: 'rmsprop' }, true), undefined);
    assert.ok(loopTrainerFor(plain, { ...settings('adam'), earlyStopping: { patience: 2 } }, true));
    assert.equal(
      loopTrainerFor(plain, settings('adam'), false),
      undefined,
      'softmax output for a regression',
    );
    normalized.dispose();
    plain.dispose();
  });

  it('learns a separable problem over epochs, with acc in the logs', async () => {
    const { x, labels } = data();
    const model = network(true, 0);
    const trainer = loopTrainerFor(model, { ...settings('adam'), batchSize: 4 }, true);
    assert.ok(trainer);
    const rng = createRng(5);
    let logs = await trainer.trainEpoch(x, labels, samples, rng, async () => false);
    const first = logs.loss;
    for (let epoch = 0; epoch < 40; epoch++)
      logs = await trainer.trainEpoch(x, labels, samples, rng, async () => false);
    assert.ok(logs.loss < first / 2, `loss ${first} -> ${logs.loss}`);
    assert.equal(trainer.evaluate(x, labels, samples).acc, 1);
    model.dispose();
  });
});
