import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loopTrainerFor } from '../../src/core/models/loop/trainer';
import type { ResolvedTraining } from '../../src/core/models/resolve';
import { createRng } from '../../src/core/random';
import { prepareLoopKernels } from '../../src/core/models/loop/gemm-simd';
import { assertClose } from '../helpers/close';
import { networkOutputs, predictRows } from '../../src/core/models/neural';

const samples = 12;
const classes = 3;

/** A network's layers after its input, given the tfjs layers namespace and a per-layer seed. */
type Body = (
  layers: typeof tf.layers,
  seed: (index: number) => ReturnType<typeof tf.initializers.glorotUniform>,
) => tf.layers.Layer[];

/** Two conv blocks, the second with a 2×2 window (TensorFlow pads it after, not before), L2 on the first. */
const sameBody: Body = (layers, seed) => [
  layers.conv2d({
    filters: 3,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    kernelInitializer: seed(1),
    biasInitializer: 'ones',
    kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
  }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.conv2d({
    filters: 2,
    kernelSize: 2,
    padding: 'same',
    activation: 'tanh',
    kernelInitializer: seed(2),
  }),
  layers.flatten(),
  layers.dense({ units: classes, activation: 'softmax', kernelInitializer: seed(3) }),
];

/** A 2×3 valid window (6×6 → 5×4), pooled to 2×2, no bias. */
const validBody: Body = (layers, seed) => [
  layers.conv2d({
    filters: 3,
    kernelSize: [2, 3],
    padding: 'valid',
    activation: 'relu',
    useBias: false,
    kernelInitializer: seed(1),
  }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.flatten(),
  layers.dense({ units: classes, activation: 'softmax', kernelInitializer: seed(3) }),
];

/**
 * Four and eight filters, so that pooling runs on f32x4 channel quadruples (the SIMD path), with a 3×3 pool
 * of stride 1 whose windows overlap, and a ReLU dense layer whose bias and ReLU are fused into its product.
 */
const quadBody: Body = (layers, seed) => [
  layers.conv2d({
    filters: 4,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    kernelInitializer: seed(1),
    biasInitializer: 'ones',
  }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.conv2d({
    filters: 8,
    kernelSize: 2,
    padding: 'same',
    activation: 'relu',
    kernelInitializer: seed(2),
  }),
  layers.maxPooling2d({ poolSize: 3, strides: 1 }),
  layers.flatten(),
  layers.dense({ units: 5, activation: 'relu', kernelInitializer: seed(3), biasInitializer: 'ones' }),
  layers.dense({ units: classes, activation: 'softmax', kernelInitializer: seed(4) }),
];

function network(inputShape: number[], body: Body): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape }));
  for (const layer of body(tf.layers, (index) => tf.initializers.glorotUniform({ seed: index })))
    model.add(layer);
  return model;
}

function images(inputShape: number[]): { x: Float32Array; labels: Float32Array } {
  const random = createRng(7);
  const size = inputShape.reduce((product, dimension) => product * dimension, 1);
  const x = Float32Array.from({ length: samples * size }, () => random() * 2 - 1);
  const labels = Float32Array.from({ length: samples }, (_, row) => row % classes);
  return { x, labels };
}

function adam(batchSize = samples): ResolvedTraining {
  return { epochs: 1, batchSize, optimizer: 'adam', learningRate: 0.05, l2: 0 };
}

/** The loop's forward pass against model.predict, then one full-batch Adam step against tfjs' fit. */
async function compareWithTfjs(inputShape: number[], body: Body): Promise<void> {
  const { x, labels } = images(inputShape);
  const reference = network(inputShape, body);
  const copy = network(inputShape, body);
  copy.setWeights(reference.getWeights());
  const trainer = loopTrainerFor(copy, adam(), true);
  assert.ok(trainer, 'the loop takes this network');
  const xs = tf.tensor(x, [samples, ...inputShape]);
  const predicted = reference.predict(xs) as tf.Tensor;
  assertClose(trainer.predict(x, samples), predicted.dataSync(), 'prediction');
  reference.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), classes).toFloat();
  const history = await reference.fit(xs, ys, { epochs: 1, batchSize: samples, shuffle: false, verbose: 0 });
  const logs = await trainer.trainEpoch(x, labels, samples, createRng(1), async () => false);
  trainer.writeTo(tf, copy);
  assertClose([logs.loss], [history.history.loss[0] as number], 'loss');
  const expected = reference.getWeights();
  const actual = copy.getWeights();
  expected.forEach((weight, index) =>
    assertClose(actual[index].dataSync(), weight.dataSync(), `weight ${index}`),
  );
  tf.dispose([xs, ys, predicted]);
  reference.dispose();
  copy.dispose();
}

/** The zoo's cnn: same-padded 3×3 conv blocks with 2×2 pooling, a dense layer, a softmax over `classes`. */
function cnn(inputShape: number[], filters: number[], dense: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape }));
  for (const count of filters) {
    model.add(tf.layers.conv2d({ filters: count, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  }
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: dense, activation: 'relu' }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}

describe('typed-array training loop on convolutional networks', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  it('matches model.predict and one tfjs Adam step with same padding, two conv blocks and L2', async () => {
    await compareWithTfjs([6, 6, 2], sameBody);
  });

  it('matches model.predict and one tfjs Adam step with valid padding, a 2×3 window and no bias', async () => {
    await compareWithTfjs([6, 6, 1], validBody);
  });

  it('matches tfjs with four and eight filters (SIMD pooling), overlapping pools and a ReLU dense layer', async () => {
    await compareWithTfjs([8, 8, 3], quadBody);
  });

  it('matches tfjs on 5×5 maps, where pooling drops the last row and column', async () => {
    await compareWithTfjs([5, 5, 2], sameBody);
  });

  it('reads [rows, cols] samples through a Reshape to one channel', () => {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: [6, 6] }));
    model.add(tf.layers.reshape({ targetShape: [6, 6, 1] }));
    for (const layer of validBody(tf.layers, (index) => tf.initializers.glorotUniform({ seed: index })))
      model.add(layer);
    const trainer = loopTrainerFor(model, adam(), true);
    assert.ok(trainer);
    const { x } = images([6, 6]);
    const predicted = model.predict(tf.tensor(x, [samples, 6, 6])) as tf.Tensor;
    assertClose(trainer.predict(x, samples), predicted.dataSync(), 'prediction');
    predicted.dispose();
    model.dispose();
  });

  it('leaves strides, dilation, same-padded pooling, channels first, L1, batch norm and batches over the memory bound to tfjs', () => {
    const refused: Array<[string, () => tf.layers.Layer[]]> = [
      ['strides 2', () => [tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2 })]],
      ['dilation 2', () => [tf.layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2 })]],
      [
        'same-padded pooling',
        () => [
          tf.layers.conv2d({ filters: 2, kernelSize: 3 }),
          tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
        ],
      ],
      [
        'channels first',
        () => [tf.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' })],
      ],
      [
        'an L1 penalty',
        () => [
          tf.layers.conv2d({ filters: 2, kernelSize: 3, kernelRegularizer: tf.regularizers.l1({ l1: 0.1 }) }),
        ],
      ],
      [
        'batch normalization',
        () => [tf.layers.conv2d({ filters: 2, kernelSize: 3 }), tf.layers.batchNormalization()],
      ],
      [
        'average pooling',
        () => [tf.layers.conv2d({ filters: 2, kernelSize: 3 }), tf.layers.averagePooling2d({})],
      ],
    ];
    for (const [what, body] of refused) {
      const model = tf.sequential();
      model.add(tf.layers.inputLayer({ inputShape: [8, 8, 2] }));
      for (const layer of body()) model.add(layer);
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
      assert.equal(loopTrainerFor(model, adam(), true), undefined, what);
      model.dispose();
    }
    // The Fashion-MNIST CNNs at batch 128 train in the loop; a batch whose buffers pass MAX_BATCH_BYTES does not.
    const fashion = cnn([28, 28, 1], [32, 64], 128);
    assert.ok(loopTrainerFor(fashion, adam(128), true), 'the two-block Fashion-MNIST CNN');
    const photos = cnn([96, 96, 3], [64], 10);
    assert.equal(loopTrainerFor(photos, adam(128), true), undefined, 'over the memory bound');
    assert.ok(loopTrainerFor(photos, adam(8), true), 'the same model at batch 8');
    fashion.dispose();
    photos.dispose();
  });

  it("equals an epoch of tfjs fit in batches of 5, 5 and 2, the last a view of the larger batch's memory", async () => {
    const inputShape = [6, 6, 2];
    const { x, labels } = images(inputShape);
    const reference = network(inputShape, quadBody);
    const copy = network(inputShape, quadBody);
    copy.setWeights(reference.getWeights());
    const trainer = loopTrainerFor(copy, adam(5), true);
    assert.ok(trainer);
    reference.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor(x, [samples, ...inputShape]);
    const ys = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), classes).toFloat();
    await reference.fit(xs, ys, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    // A random stream just below 1 leaves the loop's shuffle as the identity: the batches tfjs trained.
    await trainer.trainEpoch(
      x,
      labels,
      samples,
      () => 1 - 1e-9,
      async () => false,
    );
    trainer.writeTo(tf, copy);
    const actual = copy.getWeights();
    reference
      .getWeights()
      .forEach((weight, index) =>
        assertClose(actual[index].dataSync(), weight.dataSync(), `weight ${index}`),
      );
    const predicted = reference.predict(xs) as tf.Tensor;
    assertClose(trainer.predict(x, samples), predicted.dataSync(), 'prediction in batches of 5, 5 and 2');
    tf.dispose([xs, ys, predicted]);
    reference.dispose();
    copy.dispose();
  });

  it('learns over epochs in batches, with acc in the logs', async () => {
    const { x, labels } = images([6, 6, 2]);
    // A learnable rule: one bright value whose position depends on the class.
    for (let row = 0; row < samples; row++) x[row * 72 + 14 * (row % classes)] = 4;
    const model = network([6, 6, 2], sameBody);
    const trainer = loopTrainerFor(model, adam(4), true);
    assert.ok(trainer);
    const rng = createRng(5);
    let logs = await trainer.trainEpoch(x, labels, samples, rng, async () => false);
    const first = logs.loss;
    for (let epoch = 0; epoch < 30; epoch++)
      logs = await trainer.trainEpoch(x, labels, samples, rng, async () => false);
    assert.ok(logs.loss < first / 2, `loss ${first} -> ${logs.loss}`);
    assert.equal(trainer.evaluate(x, labels, samples).acc, 1);
    model.dispose();
  });
});

describe('networkOutputs on networks with large activations', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('predicts a few rows at a time, the outputs equal to one model.predict over every row', async () => {
    // 300,000 hidden values a row (1.2 MB): a predict batch holds few rows, so 70 rows take several batches.
    const model = tf.sequential();
    model.add(
      tf.layers.dense({ inputShape: [2], units: 300_000, activation: 'relu', kernelInitializer: 'ones' }),
    );
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    const rows = predictRows(model);
    const count = 70;
    assert.ok(rows > 1 && rows < count / 2, `${rows} rows a batch`);
    const x = Float32Array.from({ length: count * 2 }, (_, index) => Math.sin(index));
    const xs = tf.tensor(x, [count, 2]);
    const expected = (model.predict(xs) as tf.Tensor).dataSync();
    const dataset = {
      x,
      xShape: [count, 2],
      y: new Float32Array(count),
      yShape: [count],
      featureNames: ['a', 'b'],
      rowIndex: Int32Array.from({ length: count }, (_, index) => index),
    };
    const actual = await networkOutputs(tf, model, dataset);
    assert.equal(actual.length, count * classes);
    assertClose(actual, expected, 'outputs');
    tf.dispose(xs);
    model.dispose();
  });
});
