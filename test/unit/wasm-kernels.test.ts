import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../src/runner/wasm-kernels';

const WASM_DIR =
  join(__dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/';

/** Runs `compute` on one backend and downloads every tensor it returns. */
async function on(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  assert.equal(await tf.setBackend(backend), true);
  const tensors = compute();
  const values = await Promise.all(tensors.map(async (tensor) => (await tensor.data()) as Float32Array));
  tf.dispose(tensors);
  return values;
}

function assertClose(actual: Float32Array[], expected: Float32Array[], tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((values, index) => {
    assert.equal(values.length, expected[index].length);
    for (let position = 0; position < values.length; position++) {
      const difference = Math.abs(values[position] - expected[index][position]);
      assert.ok(
        difference <= tolerance * Math.max(1, Math.abs(expected[index][position])),
        `gradient ${index}[${position}]: ${values[position]} vs ${expected[index][position]}`,
      );
    }
  });
}

/** Fixed pseudo-random values, the same on every backend. */
function fixed(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

async function compareGradients(compute: () => tf.Tensor[]): Promise<void> {
  const expected = await on('cpu', compute);
  const actual = await on('wasm', compute);
  assertClose(actual, expected);
}

describe('wasm training kernels', () => {
  before(async () => {
    setWasmPaths(WASM_DIR);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    registerWasmTrainingKernels(tf);
    assert.equal(await tf.setBackend('wasm'), true);
  });

  it('registers every missing kernel for the wasm backend only once', () => {
    for (const name of WASM_TRAINING_KERNELS) assert.ok(tf.getKernel(name, 'wasm'), name);
    assert.deepEqual(registerWasmTrainingKernels(tf), []);
  });

  for (const [label, strides, pad] of [
    ['valid padding', 1, 'valid'],
    ['same padding', 1, 'same'],
    ['stride 2 with same padding', 2, 'same'],
    ['stride 2 with valid padding', 2, 'valid'],
  ] as const) {
    it(`gives conv2d filter and input gradients equal to cpu (${label})`, async () => {
      await compareGradients(() => {
        const x = fixed([3, 7, 6, 2], 1);
        const filter = fixed([3, 3, 2, 4], 2);
        const weights = fixed([1], 3);
        const loss = (input: tf.Tensor, kernel: tf.Tensor): tf.Scalar =>
          tf
            .conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, strides, pad)
            .square()
            .mul(weights)
            .sum();
        return tf.grads(loss)([x, filter]);
      });
    });
  }

  // tfjs has no depthwise gradient for dilations above 1 on any backend, so only strides vary here.
  for (const [label, strides, pad, dilations] of [
    ['stride 1, same padding', 1, 'same', 1],
    ['stride 2, valid padding', 2, 'valid', 1],
    ['stride 2, same padding', 2, 'same', 1],
  ] as const) {
    it(`gives depthwise conv2d gradients equal to cpu (${label})`, async () => {
      await compareGradients(() => {
        const x = fixed([2, 7, 7, 3], 4);
        const filter = fixed([3, 3, 3, 2], 5);
        const loss = (input: tf.Tensor, kernel: tf.Tensor): tf.Scalar =>
          tf
            .depthwiseConv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, strides, pad, 'NHWC', dilations)
            .square()
            .sum();
        return tf.grads(loss)([x, filter]);
      });
    });
  }

  it('gives gather gradients (unsortedSegmentSum) equal to cpu, repeated indices included', async () => {
    await compareGradients(() => {
      const table = fixed([5, 3], 6);
      const indices = tf.tensor1d([4, 0, 4, 2, 2, 2], 'int32');
      return [tf.grad((values: tf.Tensor) => tf.gather(values, indices).square().sum())(table)];
    });
  });

  it('sums segments like cpu and drops out-of-range ids', async () => {
    await compareGradients(() => [
      tf.unsortedSegmentSum(
        tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]),
        tf.tensor1d([1, 0, 1, 5], 'int32'),
        3,
      ),
    ]);
    const values = await on('wasm', () => [
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 0, 1, 7], 'int32'), 2),
    ]);
    assert.deepEqual(Array.from(values[0]), [2, 4]);
  });

  it('trains a small CNN one epoch on wasm to the same loss as cpu', async () => {
    const run = async (backend: 'cpu' | 'wasm'): Promise<number> => {
      await tf.setBackend(backend);
      const model = tf.sequential();
      model.add(
        tf.layers.conv2d({
          inputShape: [6, 6, 1],
          filters: 3,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
      );
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      model.add(tf.layers.flatten());
      model.add(
        tf.layers.dense({
          units: 2,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      );
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
      const x = fixed([16, 6, 6, 1], 7);
      const y = tf
        .oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0], 'int32'), 2)
        .toFloat();
      const history = await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      tf.dispose([x, y]);
      model.dispose();
      return history.history.loss[1] as number;
    };
    const cpuLoss = await run('cpu');
    const wasmLoss = await run('wasm');
    assert.ok(Math.abs(cpuLoss - wasmLoss) < 1e-4, `cpu ${cpuLoss} vs wasm ${wasmLoss}`);
  });
});
