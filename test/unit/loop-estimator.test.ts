import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { NeuralCandidate } from '../../src/core/models/resolve';
import type { Dataset } from '../../src/core/dataset';
import type { ModelContext } from '../../src/core/models/types';
import { denseBuilder } from '../../src/core/models/loop/dense';
import { registerLoopLayer } from '../../src/core/models/loop/trainer';
import { createEstimator } from '../../src/core/models/zoo';
import { loadBackend } from '../../src/runner/backend';
import { datasetPath } from '../helpers/datasets';

/** Rows [from, to) of the 8×8 digits as [n, 8, 8, 1] images scaled to [0, 1], labels 0–9. */
function digits(from: number, to: number): Dataset {
  const lines = readFileSync(datasetPath('digits'), 'utf8')
    .trim()
    .split('\n')
    .slice(1 + from, 1 + to);
  const count = lines.length;
  const x = new Float32Array(count * 64);
  const y = new Float32Array(count);
  lines.forEach((line, row) => {
    const cells = line.split(',').map(Number);
    for (let pixel = 0; pixel < 64; pixel++) x[row * 64 + pixel] = cells[pixel] / 16;
    y[row] = cells[64];
  });
  return {
    x,
    xShape: [count, 8, 8, 1],
    y,
    yShape: [count],
    featureNames: ['pixel'],
    classes: Array.from({ length: 10 }, (_, digit) => String(digit)),
    rowIndex: Int32Array.from({ length: count }, (_, index) => from + index + 2),
  };
}

function context(): ModelContext {
  return { task: 'image', inputShape: [8, 8, 1], outputUnits: 10, seed: 3, tf, projectDir: __dirname };
}

describe('neural estimator on the typed-array loop', () => {
  const train = digits(0, 600);
  const test = digits(600, 800);
  /** Fewer rows than one batch of the early-stopping test, once its held-out tenth is set aside. */
  const small = digits(0, 400);
  /** Calls of tfjs' LayersModel.fit while a test runs: none means the loop trained the model. */
  let fitCalls = 0;
  const originalFit = tf.LayersModel.prototype.fit;

  before(async () => {
    await loadBackend('cpu');
    tf.LayersModel.prototype.fit = function (this: tf.LayersModel, ...args: Parameters<typeof originalFit>) {
      fitCalls++;
      return originalFit.apply(this, args);
    };
  });

  after(() => {
    tf.LayersModel.prototype.fit = originalFit;
  });

  async function accuracy(candidate: NeuralCandidate): Promise<{ accuracy: number; fitCalls: number }> {
    fitCalls = 0;
    const estimator = createEstimator(candidate, context());
    const result = await estimator.fit(train, { validation: test });
    const probabilities = await estimator.predict(test);
    estimator.dispose();
    assert.equal(result.history.length, candidate.epochs);
    for (const logs of result.history)
      assert.deepEqual(Object.keys(logs).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
    let correct = 0;
    for (let row = 0; row < test.y.length; row++) {
      const scores = probabilities.subarray(row * 10, row * 10 + 10);
      if (scores.indexOf(Math.max(...scores)) === test.y[row]) correct++;
    }
    return { accuracy: correct / test.y.length, fitCalls };
  }

  it('trains a cnn candidate through the loop on cpu, well above chance on held-out digits', async () => {
    const run = await accuracy({
      name: 'conv',
      model: 'cnn',
      filters: [8],
      l2: 0.0001,
      epochs: 4,
      batchSize: 32,
      learningRate: 0.01,
    });
    assert.equal(run.fitCalls, 0, 'tfjs fit was not called');
    assert.ok(run.accuracy > 0.8, `accuracy ${run.accuracy}`);
  });

  it('leaves an mlp with batch normalization to tfjs fit, which still learns', async () => {
    const run = await accuracy({
      name: 'net',
      model: 'mlp',
      layers: [16],
      batchNorm: true,
      epochs: 2,
      batchSize: 32,
      learningRate: 0.01,
    });
    assert.equal(run.fitCalls, 1);
    assert.ok(run.accuracy > 0.5, `accuracy ${run.accuracy}`);
  });

  /** Fits `candidate` on `small`; its history, the calls of tfjs' fit, and the fitted weights. */
  async function fitted(candidate: NeuralCandidate) {
    fitCalls = 0;
    const estimator = createEstimator(candidate, context());
    const result = await estimator.fit(small);
    const model = (estimator as unknown as { exportFitted(): { model: tf.LayersModel } }).exportFitted()
      .model;
    const weights = model.getWeights().map((weight) => Array.from(weight.dataSync()));
    estimator.dispose();
    return { history: result.history, fitCalls, weights };
  }

  it("stops early in the loop at the epoch tfjs fit stops, with the best epoch's weights restored", async () => {
    // Full batches (more rows than the held-out split leaves), so the shuffles of either side change nothing
    // but the order of sums; Adam at a high rate overfits 360 digits within a few epochs.
    const candidate: NeuralCandidate = {
      name: 'net',
      model: 'mlp',
      layers: [16],
      epochs: 40,
      batchSize: 512,
      learningRate: 0.05,
      earlyStopping: { patience: 3 },
    };
    const loop = await fitted(candidate);
    assert.equal(loop.fitCalls, 0, 'the loop trained the early-stopping candidate');
    registerLoopLayer('Dense', () => undefined);
    let reference: Awaited<ReturnType<typeof fitted>>;
    try {
      reference = await fitted(candidate);
    } finally {
      registerLoopLayer('Dense', denseBuilder);
    }
    assert.equal(reference.fitCalls, 1, 'tfjs fit trained the reference');
    assert.ok(reference.history.length < 40, `tfjs stopped early (${reference.history.length} epochs)`);
    assert.equal(loop.history.length, reference.history.length, 'same stopping epoch');
    loop.history.forEach((logs, epoch) =>
      assert.ok(Math.abs(logs.loss - reference.history[epoch].loss) < 1e-4, `loss of epoch ${epoch + 1}`),
    );
    reference.weights.forEach((values, index) =>
      values.forEach((value, position) =>
        assert.ok(Math.abs(value - loop.weights[index][position]) < 1e-4, `weight ${index}[${position}]`),
      ),
    );
  });
});
