import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loopTrainerFor, type LoopInput } from '../../src/core/models/loop/trainer';
import type { ResolvedTraining } from '../../src/core/models/resolve';
import type { Dataset } from '../../src/core/dataset';
import { createEstimator } from '../../src/core/models/zoo';
import { loadEstimator, saveEstimator } from '../../src/core/models/persist';
import { createRng } from '../../src/core/random';
import { denseToCsr } from '../../src/core/sparse';
import { TopdownError } from '../../src/core/errors';
import { accuracy, contextFor, tokenSequences } from '../fixtures/models/datasets';
import { prepareLoopKernels } from '../../src/core/models/loop/gemm-simd';
import { assertClose } from '../helpers/close';

const samples = 10;
const classes = 3;
const seed = (index: number) => tf.initializers.glorotUniform({ seed: index });

/** Seeded TF-IDF-like rows: about one value in four stored, every row with at least one. */
function sparseRows(features: number): Float32Array {
  const random = createRng(11);
  const x = new Float32Array(samples * features);
  for (let row = 0; row < samples; row++) {
    x[row * features + (row % features)] = 0.5 + random();
    for (let column = 0; column < features; column++)
      if (random() < 0.25) x[row * features + column] = random();
  }
  return x;
}

/** Adam, batch 4: settings under which the loop takes or refuses a network. */
const training: ResolvedTraining = { epochs: 1, batchSize: 4, optimizer: 'adam', learningRate: 0.1, l2: 0 };

const labels = Float32Array.from({ length: samples }, (_, row) => row % classes);

/** A test case: two copies of a network with the same weights, what the loop reads and what tfjs reads. */
interface Case {
  build: () => tf.Sequential;
  loopInput: LoopInput;
  tfInput: () => tf.Tensor;
  input?: 'dense' | 'sparse';
}

/**
 * The loop's predictions against model.predict, then `epochs` full-batch steps against tfjs' fit (loss and
 * every weight): with SGD the step is the gradient itself; with Adam, several steps test its magnitude too.
 */
async function compareWithTfjs(test: Case, optimizer: 'adam' | 'sgd', epochs: number): Promise<void> {
  const reference = test.build();
  const copy = test.build();
  copy.setWeights(reference.getWeights());
  const training: ResolvedTraining = { epochs, batchSize: samples, optimizer, learningRate: 0.05, l2: 0 };
  const trainer = loopTrainerFor(copy, training, true, test.input);
  assert.ok(trainer, 'the loop takes this network');
  const xs = test.tfInput();
  const predicted = reference.predict(xs) as tf.Tensor;
  assertClose(trainer.predict(test.loopInput, samples), predicted.dataSync(), 'prediction');
  reference.compile({
    optimizer: optimizer === 'adam' ? tf.train.adam(0.05) : tf.train.sgd(0.05),
    loss: 'categoricalCrossentropy',
  });
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), classes).toFloat();
  const history = await reference.fit(xs, ys, { epochs, batchSize: samples, shuffle: false, verbose: 0 });
  const rng = createRng(1);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const logs = await trainer.trainEpoch(test.loopInput, labels, samples, rng, async () => false);
    assertClose([logs.loss], [history.history.loss[epoch] as number], `loss of epoch ${epoch + 1}`);
  }
  trainer.writeTo(tf, copy);
  const actual = copy.getWeights();
  reference
    .getWeights()
    .forEach((weight, index) => assertClose(actual[index].dataSync(), weight.dataSync(), `weight ${index}`));
  tf.dispose([xs, ys, predicted]);
  reference.dispose();
  copy.dispose();
}

/** An mlp on `features` text features: ReLU (with L2) or tanh hidden units, then softmax. */
function mlp(features: number, activation: 'relu' | 'tanh', l2: number, useBias = true): () => tf.Sequential {
  return () => {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: [features] }));
    const regularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
    model.add(
      tf.layers.dense({
        units: 6,
        activation,
        useBias,
        kernelInitializer: seed(1),
        biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.3, seed: 4 }),
        kernelRegularizer: regularizer,
      }),
    );
    model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: seed(2) }));
    return model;
  };
}

function sparseCase(features: number, build: () => tf.Sequential): Case {
  const x = sparseRows(features);
  return {
    build,
    loopInput: denseToCsr(x, samples, features),
    tfInput: () => tf.tensor2d(x, [samples, features]),
    input: 'sparse',
  };
}

/** The same rows as a dense and a sparse Dataset, and the context of a network built for them. */
function textData(x: Float32Array, features: number) {
  const dense: Dataset = {
    x,
    xShape: [samples, features],
    y: labels,
    yShape: [samples],
    featureNames: Array.from({ length: features }, (_, index) => `text:w${index}`),
    classes: ['a', 'b', 'c'],
    rowIndex: Int32Array.from({ length: samples }, (_, row) => row),
  };
  const sparse: Dataset = { ...dense, x: new Float32Array(0), sparse: denseToCsr(x, samples, features) };
  const context = { task: 'multiclass' as const, inputShape: [features], outputUnits: classes, seed: 3 };
  return { dense, sparse, context };
}

describe('typed-array loop: a dense first layer on sparse rows', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  it('matches tfjs Dense on the same rows made dense: predictions, one SGD step with L2', async () => {
    await compareWithTfjs(sparseCase(9, mlp(9, 'relu', 0.01)), 'sgd', 1);
  });

  it('matches three tfjs Adam steps with tanh units and no bias', async () => {
    await compareWithTfjs(sparseCase(7, mlp(7, 'tanh', 0, false)), 'adam', 3);
  });

  it('takes sparse rows only into a Dense first layer', () => {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: [4] }));
    model.add(tf.layers.dropout({ rate: 0.5 }));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    assert.equal(loopTrainerFor(model, training, true, 'sparse'), undefined);
    assert.ok(loopTrainerFor(model, training, true, 'dense'));
    model.dispose();
  });

  it('trains the zoo mlp on sparse features as on the same features dense, and its bundle predicts the same', async () => {
    const features = 8;
    const x = sparseRows(features);
    // A learnable rule: one word per class.
    labels.forEach((label, row) => (x[row * features + 5 + label] = 2));
    const { dense, sparse, context } = textData(x, features);
    const candidate = {
      name: 'net',
      model: 'mlp' as const,
      layers: [5],
      epochs: 20,
      batchSize: 4,
      learningRate: 0.05,
    };
    const predictions: Float32Array[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'topdown-text-mlp-'));
    for (const data of [sparse, dense]) {
      const estimator = createEstimator(candidate, { ...context, tf, projectDir: '.' });
      const fit = await estimator.fit(data);
      assert.equal(fit.history.length, 20);
      predictions.push(await estimator.predict(data));
      if (data === sparse) await saveEstimator(estimator, context, dir);
      estimator.dispose();
    }
    assertClose(predictions[0], predictions[1], 'sparse against dense predictions');
    const loaded = await loadEstimator(dir, { tf });
    assertClose(await loaded.predict(sparse), predictions[0], 'the saved model on sparse rows');
    loaded.dispose();
    const correct = labels.filter((label, row) => {
      const scores = predictions[0].subarray(row * classes, (row + 1) * classes);
      return scores.indexOf(Math.max(...scores)) === label;
    }).length;
    assert.ok(correct >= 8, `${correct} of ${samples} training rows right`);
  });

  it("gives tfjs' fit the sparse features dense when the loop cannot train the network (rmsprop)", async () => {
    const features = 6;
    const x = sparseRows(features);
    const { dense, sparse, context } = textData(x, features);
    const candidate = {
      name: 'net',
      model: 'mlp' as const,
      layers: [4],
      epochs: 3,
      optimizer: 'rmsprop' as const,
    };
    const predictions: Float32Array[] = [];
    for (const data of [sparse, dense]) {
      const estimator = createEstimator(candidate, { ...context, tf, projectDir: '.' });
      await estimator.fit(data, { validation: data });
      predictions.push(await estimator.predict(data));
      estimator.dispose();
    }
    assertClose(predictions[0], predictions[1], 'sparse against dense predictions');
  });
});

/** Padded token ids: 0 the padding, ids 1 to `vocabulary` - 1, some rows shorter than `length`. */
function tokenIds(length: number, vocabulary: number): Float32Array {
  const random = createRng(13);
  const ids = new Float32Array(samples * length);
  for (let row = 0; row < samples; row++) {
    const words = 2 + (row % (length - 1));
    for (let step = 0; step < words; step++)
      ids[row * length + step] = 1 + Math.floor(random() * (vocabulary - 1));
  }
  return ids;
}

/** Embedding → global average pooling → dense (ReLU) → softmax, as the zoo's embedding model. */
function embeddingNetwork(length: number, vocabulary: number, dense: boolean): () => tf.Sequential {
  return () => {
    const model = tf.sequential();
    model.add(
      tf.layers.embedding({
        inputDim: vocabulary,
        outputDim: 4,
        inputLength: length,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 5 }),
      }),
    );
    model.add(tf.layers.globalAveragePooling1d());
    if (dense) model.add(tf.layers.dense({ units: 5, activation: 'relu', kernelInitializer: seed(1) }));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: seed(2) }));
    return model;
  };
}

function embeddingCase(length: number, vocabulary: number, dense: boolean): Case {
  const ids = tokenIds(length, vocabulary);
  return {
    build: embeddingNetwork(length, vocabulary, dense),
    loopInput: ids,
    tfInput: () => tf.tensor2d(ids, [samples, length]),
  };
}

describe('typed-array loop: embedding and global average pooling', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  it('matches tfjs: predictions and one SGD step (gather and its segment-sum gradient, pooling)', async () => {
    await compareWithTfjs(embeddingCase(6, 9, true), 'sgd', 1);
  });

  it('matches three tfjs Adam steps, pooled features straight into softmax, ids repeated in a row', async () => {
    await compareWithTfjs(embeddingCase(5, 4, false), 'adam', 3);
  });

  it('trains the zoo embedding model on token ids to tell two vocabularies apart', async () => {
    const problem = tokenSequences();
    const context = contextFor(problem, tf, 3);
    const candidate = { name: 'words', model: 'embedding' as const, embeddingDim: 8, dense: [8], epochs: 15 };
    const estimator = createEstimator(candidate, context);
    await estimator.fit(problem.train);
    const score = accuracy(await estimator.predict(problem.test), problem.test, 2);
    estimator.dispose();
    assert.ok(score >= 0.85, `accuracy ${score}`);
  });

  it('refuses features that are not token ids, naming the sequences op and a pipeline of the candidate’s own', () => {
    const problem = tokenSequences();
    const { tokenIds: _ids, ...context } = contextFor(problem, tf, 3);
    assert.throws(
      () => createEstimator({ name: 'words', model: 'embedding' }, context),
      (error: unknown) =>
        error instanceof TopdownError &&
        error.code === 'MODEL_INVALID' &&
        /features are not token ids/.test(error.message) &&
        /`sequences` op/.test(error.message) &&
        /its own pipeline, "prepare": \[\{"op": "sequences"/.test(error.hint ?? ''),
    );
  });

  it('leaves a masked embedding and an embedding regularizer to tfjs', () => {
    for (const options of [{ maskZero: true }, { embeddingsRegularizer: tf.regularizers.l2() }]) {
      const model = tf.sequential();
      model.add(tf.layers.embedding({ inputDim: 5, outputDim: 2, inputLength: 3, ...options }));
      model.add(tf.layers.globalAveragePooling1d());
      model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
      assert.equal(loopTrainerFor(model, training, true), undefined, JSON.stringify(Object.keys(options)));
      model.dispose();
    }
  });
});

/**
 * Embedding → Conv1D (ReLU) → global max pooling → softmax: Keras' text CNN. A negative bias start leaves whole
 * ReLU columns at 0, so the max pooling sees ties, which tfjs' gradient gives to every tied step.
 */
function convNetwork(length: number, vocabulary: number, padding: 'same' | 'valid', dense: boolean) {
  return () => {
    const model = tf.sequential();
    model.add(
      tf.layers.embedding({
        inputDim: vocabulary,
        outputDim: 3,
        inputLength: length,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 5 }),
      }),
    );
    model.add(
      tf.layers.conv1d({
        filters: 4,
        kernelSize: 3,
        padding,
        activation: 'relu',
        kernelInitializer: seed(3),
        biasInitializer: tf.initializers.randomUniform({ minval: -0.6, maxval: 0.2, seed: 6 }),
      }),
    );
    model.add(tf.layers.globalMaxPooling1d());
    if (dense) model.add(tf.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: seed(1) }));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: seed(2) }));
    return model;
  };
}

function convCase(length: number, vocabulary: number, padding: 'same' | 'valid', dense: boolean): Case {
  const ids = tokenIds(length, vocabulary);
  return {
    build: convNetwork(length, vocabulary, padding, dense),
    loopInput: ids,
    tfInput: () => tf.tensor2d(ids, [samples, length]),
  };
}

describe('typed-array loop: Conv1D and global max pooling over embedded tokens', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  it('matches tfjs: predictions and one SGD step, valid padding, a dense layer after the pooling', async () => {
    await compareWithTfjs(convCase(7, 9, 'valid', true), 'sgd', 1);
  });

  it('matches three tfjs Adam steps, same padding, pooled ReLU ties', async () => {
    const model = convNetwork(6, 5, 'same', false)();
    const ids = tokenIds(6, 5);
    const features = model.layers[1].apply(
      model.layers[0].apply(tf.tensor2d(ids, [samples, 6])),
    ) as tf.Tensor;
    const pooled = features.max(1);
    const tied = tf.sum(tf.logicalAnd(tf.equal(pooled, 0), tf.greater(tf.sum(tf.equal(features, 0), 1), 1)));
    assert.ok(tied.dataSync()[0] >= 3, 'filters of a sample whose maximum is a ReLU zero of several steps');
    tf.dispose([features, pooled, tied]);
    model.dispose();
    await compareWithTfjs(convCase(6, 5, 'same', false), 'adam', 3);
  });

  it('leaves strided, dilated and causal Conv1D to tfjs', () => {
    for (const options of [{ strides: 2 }, { dilationRate: 2 }, { padding: 'causal' as const }]) {
      const model = tf.sequential();
      model.add(tf.layers.embedding({ inputDim: 5, outputDim: 2, inputLength: 8 }));
      model.add(tf.layers.conv1d({ filters: 2, kernelSize: 3, ...options }));
      model.add(tf.layers.globalMaxPooling1d());
      model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
      assert.equal(loopTrainerFor(model, training, true), undefined, JSON.stringify(options));
      model.dispose();
    }
  });
});
