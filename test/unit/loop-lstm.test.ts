import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { recurrentBuilder } from '../../src/core/models/architectures';
import type { LoopLayer } from '../../src/core/models/loop/layer';
import { gruLoopLayer } from '../../src/core/models/loop/gru';
import { lstmLoopLayer } from '../../src/core/models/loop/lstm';
import { loopTrainerFor } from '../../src/core/models/loop/trainer';
import type { ResolvedTraining } from '../../src/core/models/resolve';
import { createRng } from '../../src/core/random';
import { prepareLoopKernels } from '../../src/core/models/loop/gemm-simd';

const batch = 5;
const steps = 4;
const features = 3;

type LstmArgs = Parameters<typeof tf.layers.lstm>[0];
type Kind = 'lstm' | 'gru';

/** Seeded values in [-scale, scale). */
function values(count: number, seed: number, scale = 1): Float32Array {
  const random = createRng(seed);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}

/**
 * LSTM or GRU layers with seeded weights (and non-zero biases), stacked in a model over [steps, features]
 * samples (a known batch size, which a stateful layer needs).
 */
function recurrentStack(
  kind: Kind,
  ...settings: Array<Partial<LstmArgs> & { units: number }>
): tf.layers.Layer[] {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ batchInputShape: [batch, steps, features] }));
  settings.forEach((args, index) => {
    const seed = 10 * index + args.units;
    const layerArgs = {
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      ...args,
    };
    model.add(kind === 'lstm' ? tf.layers.lstm(layerArgs) : tf.layers.gru(layerArgs));
  });
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 3)
      layer.setWeights([weights[0], weights[1], tf.tensor1d(values(weights[2].size, weights[2].size, 0.5))]);
  }
  return model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
}

const lstmStack = (...settings: Array<Partial<LstmArgs> & { units: number }>) =>
  recurrentStack('lstm', ...settings);
const gruStack = (...settings: Array<Partial<LstmArgs> & { units: number }>) =>
  recurrentStack('gru', ...settings);

/** One LSTM layer over the samples. */
function lstm(args: Partial<LstmArgs> & { units: number }): tf.layers.Layer {
  return lstmStack(args)[0];
}

/** The loop's copy of a tfjs layer. */
function loopOf(layer: tf.layers.Layer, inputs: number): LoopLayer {
  const build = layer.getClassName() === 'GRU' ? gruLoopLayer : lstmLoopLayer;
  const loop = build(
    layer,
    layer.getWeights().map((weight) => weight.dataSync()),
    [steps, inputs],
  );
  assert.ok(loop, 'the loop computes this layer');
  return loop;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let index = 0; index < expected.length; index++) {
    const difference = Math.abs(actual[index] - expected[index]);
    assert.ok(
      difference <= 1e-5 * Math.max(1, Math.abs(expected[index])),
      `${what}[${index}]: ${actual[index]} vs ${expected[index]}`,
    );
  }
}

/** Forward through the loop layers in turn. */
function loopForward(layers: LoopLayer[], input: Float32Array): Float32Array {
  let current = input;
  for (const layer of layers) current = layer.forward(current, batch, true, createRng(1));
  return current;
}

/**
 * Compares the loop with tfjs on a stack of layers: outputs, then the gradients of sum(output²) for every
 * weight and for the input.
 */
function compareStack(tfLayers: tf.layers.Layer[], loops: LoopLayer[], scale = 1): void {
  const x = values(batch * steps * features, 11, scale);
  const xs = tf.tensor3d(x, [batch, steps, features]);
  const run = (input: tf.Tensor): tf.Tensor =>
    tfLayers.reduce((current, layer) => layer.apply(current) as tf.Tensor, input);
  const expected = run(xs);
  const output = loopForward(loops, Float32Array.from(x));
  assertClose(output, expected.dataSync(), 'output');

  let gradient: Float32Array | undefined = output.map((value) => 2 * value);
  for (let index = loops.length - 1; index >= 0 && gradient; index--)
    gradient = loops[index].backward(gradient, batch, true);
  assert.ok(gradient, 'an input gradient');

  const loss = (input: tf.Tensor) => tf.sum(tf.square(run(input))) as tf.Scalar;
  const { grads } = tf.variableGrads(() => loss(xs));
  tfLayers.forEach((layer, layerIndex) => {
    layer.weights.forEach((weight, weightIndex) => {
      const reference = grads[weight.originalName ?? weight.name];
      assert.ok(reference, `a tfjs gradient for ${weight.name}`);
      assertClose(loops[layerIndex].gradients[weightIndex], reference.dataSync(), weight.name);
    });
  });
  const inputGradient = tf.grad(loss)(xs);
  assertClose(gradient, inputGradient.dataSync(), 'input gradient');
  tf.dispose([xs, expected, inputGradient, ...Object.values(grads)]);
}

describe('lstmLoopLayer', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  it('matches tfjs outputs and gradients for the last step (returnSequences false)', () => {
    const layer = lstm({ units: 6 });
    compareStack([layer], [loopOf(layer, features)]);
  });

  it('matches tfjs outputs and gradients for every step (returnSequences true)', () => {
    const layer = lstm({ units: 6, returnSequences: true });
    compareStack([layer], [loopOf(layer, features)]);
  });

  it('matches stacked LSTM layers, sequences passed from the first to the second', () => {
    const [first, second] = lstmStack({ units: 5, returnSequences: true }, { units: 4 });
    compareStack([first, second], [loopOf(first, features), loopOf(second, 5)]);
  });

  it('matches tfjs going backwards: the last step, and every step in the order read, into a second layer', () => {
    const layer = lstm({ units: 6, goBackwards: true });
    compareStack([layer], [loopOf(layer, features)]);
    const [first, second] = lstmStack({ units: 5, returnSequences: true, goBackwards: true }, { units: 4 });
    compareStack([first, second], [loopOf(first, features), loopOf(second, 5)]);
  });

  it('follows hardSigmoid where its gates clip, with large inputs', () => {
    const layer = lstm({ units: 7, returnSequences: true });
    compareStack([layer], [loopOf(layer, features)], 6);
  });

  it('matches a sigmoid recurrent activation, a linear activation and no bias', () => {
    const layer = lstm({ units: 4, recurrentActivation: 'sigmoid', activation: 'linear', useBias: false });
    compareStack([layer], [loopOf(layer, features)]);
  });

  it('takes the L2 coefficients of the kernel and the recurrent kernel from their regularizers', () => {
    const layer = lstm({
      units: 3,
      kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
      recurrentRegularizer: tf.regularizers.l2({ l2: 0.02 }),
    });
    const loop = loopOf(layer, features);
    assert.deepEqual(loop.l2, [0.01, 0.02, 0]);
    assert.deepEqual(loop.shapes, [[features, 12], [3, 12], [12]]);
  });

  it('refuses what it does not compute exactly', () => {
    const refused: Array<[string, Partial<LstmArgs>]> = [
      ['dropout', { dropout: 0.2 }],
      ['recurrent dropout', { recurrentDropout: 0.2 }],
      ['stateful', { stateful: true }],
      ['unroll', { unroll: true }],
      ['relu activation', { activation: 'relu' }],
      ['L1 kernel regularizer', { kernelRegularizer: tf.regularizers.l1({ l1: 0.01 }) }],
      ['bias regularizer', { biasRegularizer: tf.regularizers.l2({ l2: 0.01 }) }],
      ['kernel constraint', { kernelConstraint: tf.constraints.maxNorm({ maxValue: 2 }) }],
      ['recurrent constraint', { recurrentConstraint: tf.constraints.nonNeg() }],
    ];
    for (const [what, args] of refused) {
      const layer = lstm({ units: 3, ...args });
      const weights = layer.getWeights().map((weight) => weight.dataSync());
      assert.equal(lstmLoopLayer(layer, weights, [steps, features]), undefined, what);
    }
    const returnsState = tf.layers.lstm({ units: 3, returnState: true });
    returnsState.apply(tf.input({ shape: [steps, features] }));
    const stateWeights = returnsState.getWeights().map((weight) => weight.dataSync());
    assert.equal(lstmLoopLayer(returnsState, stateWeights, [steps, features]), undefined, 'returnState');
    const layer = lstm({ units: 3 });
    const weights = layer.getWeights().map((weight) => weight.dataSync());
    assert.equal(lstmLoopLayer(layer, weights, [null, features]), undefined, 'unknown steps');
    assert.equal(lstmLoopLayer(layer, weights, [steps, features + 1]), undefined, 'other features');
    const [gru] = gruStack({ units: 3 });
    const gruWeights = gru.getWeights().map((weight) => weight.dataSync());
    assert.equal(lstmLoopLayer(gru, gruWeights, [steps, features]), undefined, 'a GRU');
  });
});

describe('gruLoopLayer', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  it('matches tfjs outputs and gradients for the last step (returnSequences false)', () => {
    const [layer] = gruStack({ units: 6 });
    compareStack([layer], [loopOf(layer, features)]);
  });

  it('matches tfjs going backwards, every step returned', () => {
    const [layer] = gruStack({ units: 6, goBackwards: true, returnSequences: true });
    compareStack([layer], [loopOf(layer, features)]);
  });

  it('matches stacked GRU layers with every step returned, and clipping hardSigmoid gates', () => {
    const [first, second] = gruStack(
      { units: 5, returnSequences: true },
      { units: 4, returnSequences: true },
    );
    compareStack([first, second], [loopOf(first, features), loopOf(second, 5)], 4);
  });

  it('matches a sigmoid recurrent activation, a linear activation and no bias', () => {
    const [layer] = gruStack({
      units: 4,
      recurrentActivation: 'sigmoid',
      activation: 'linear',
      useBias: false,
    });
    compareStack([layer], [loopOf(layer, features)]);
  });

  it('refuses dropout, L1 and an LSTM', () => {
    for (const [what, args] of [
      ['dropout', { dropout: 0.1 }],
      ['recurrent dropout', { recurrentDropout: 0.1 }],
      ['L1 recurrent regularizer', { recurrentRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.01 }) }],
    ] as Array<[string, Partial<LstmArgs>]>) {
      const [layer] = gruStack({ units: 3, ...args });
      const weights = layer.getWeights().map((weight) => weight.dataSync());
      assert.equal(gruLoopLayer(layer, weights, [steps, features]), undefined, what);
    }
    const layer = lstm({ units: 3 });
    const weights = layer.getWeights().map((weight) => weight.dataSync());
    assert.equal(gruLoopLayer(layer, weights, [steps, features]), undefined, 'an LSTM');
  });
});

describe('recurrent layers in the loop trainer', () => {
  const samples = 10;
  const training: ResolvedTraining = {
    epochs: 3,
    batchSize: samples,
    optimizer: 'adam',
    learningRate: 0.01,
    l2: 0.01,
  };

  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  /** The zoo's model for `candidate`, trained three full-batch Adam steps by tfjs' fit and by the loop. */
  async function compareTraining(model: 'lstm' | 'gru'): Promise<void> {
    const build = recurrentBuilder({
      name: model,
      model,
      units: [5, 4],
      l2: training.l2,
      dropout: 0,
      dense: [],
    });
    const context = {
      task: 'time-series' as const,
      inputShape: [steps, features],
      outputUnits: 1,
      seed: 7,
      tf,
      projectDir: '.',
    };
    const reference = build(tf, context);
    const copy = build(tf, context);
    copy.setWeights(reference.getWeights());
    const trainer = loopTrainerFor(copy, training, false);
    assert.ok(trainer, `the loop takes the zoo's ${model}`);
    const x = values(samples * steps * features, 21);
    const y = values(samples, 22);
    reference.compile({ optimizer: tf.train.adam(training.learningRate), loss: 'meanSquaredError' });
    const xs = tf.tensor3d(x, [samples, steps, features]);
    const ys = tf.tensor2d(y, [samples, 1]);
    const history = await reference.fit(xs, ys, {
      epochs: training.epochs,
      batchSize: samples,
      shuffle: false,
      verbose: 0,
    });
    const rng = createRng(1);
    for (let epoch = 0; epoch < training.epochs; epoch++) {
      const logs = await trainer.trainEpoch(x, y, samples, rng, async () => false);
      assertClose([logs.loss], [history.history.loss[epoch] as number], `loss of epoch ${epoch + 1}`);
    }
    trainer.writeTo(tf, copy);
    const expected = reference.getWeights();
    copy
      .getWeights()
      .forEach((weight, index) =>
        assertClose(weight.dataSync(), expected[index].dataSync(), `weight ${index}`),
      );
    tf.dispose([xs, ys]);
    reference.dispose();
    copy.dispose();
  }

  it("matches tfjs' fit for the zoo's stacked LSTM with L2 (Adam, three steps)", async () => {
    await compareTraining('lstm');
  });

  it("matches tfjs' fit for the zoo's stacked GRU with L2 (Adam, three steps)", async () => {
    await compareTraining('gru');
  });
});
