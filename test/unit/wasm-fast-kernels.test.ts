import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/runner/wasm-kernels';

const WASM_DIR =
  join(__dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/';

/** The gradient of sum(maxPool(x) · weights) with respect to x, on one backend. */
async function poolGradient(
  backend: 'cpu' | 'wasm',
  size: number,
  stride: number,
  pad: 'valid' | 'same',
): Promise<Float32Array> {
  assert.equal(await tf.setBackend(backend), true);
  const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 4);
  const gradient = tf.grad((input: tf.Tensor) => {
    const pooled = tf.maxPool(input as tf.Tensor4D, size, stride, pad);
    return tf.sum(tf.mul(pooled, tf.randomNormal(pooled.shape, 0, 1, 'float32', 9)));
  })(x);
  const values = (await gradient.data()) as Float32Array;
  tf.dispose([x, gradient]);
  return values;
}

describe('wasm kernels replaced for speed', () => {
  before(async () => {
    setWasmPaths(WASM_DIR);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    registerWasmTrainingKernels(tf);
    assert.equal(await tf.setBackend('wasm'), true);
  });

  it('replaces the stock MaxPoolGrad and BatchMatMul once, even when registration runs twice', () => {
    for (const name of ['MaxPoolGrad', 'BatchMatMul']) {
      const kernel = tf.getKernel(name, 'wasm');
      registerWasmTrainingKernels(tf);
      assert.equal(tf.getKernel(name, 'wasm'), kernel, name);
      assert.equal((kernel?.kernelFunc as { topdown?: boolean }).topdown, true, name);
    }
  });

  for (const [size, stride, pad] of [
    [2, 2, 'valid'],
    [2, 2, 'same'],
    [3, 1, 'same'],
    [3, 2, 'valid'],
  ] as Array<[number, number, 'valid' | 'same']>) {
    it(`routes each window's gradient to its maximum like cpu (${size}×${size}, stride ${stride}, ${pad})`, async () => {
      const expected = await poolGradient('cpu', size, stride, pad);
      const actual = await poolGradient('wasm', size, stride, pad);
      assert.equal(actual.length, expected.length);
      let nonZero = 0;
      for (let index = 0; index < expected.length; index++) {
        assert.ok(Math.abs(actual[index] - expected[index]) < 1e-5, `x gradient ${index}`);
        if (expected[index] !== 0) nonZero++;
      }
      assert.ok(nonZero > 0);
    });
  }

  for (const [label, transposeA, transposeB, leading] of [
    ['A transposed', true, false, []],
    ['B transposed', false, true, []],
    ['both transposed, batched', true, true, [3]],
  ] as Array<[string, boolean, boolean, number[]]>) {
    it(`multiplies matrices with ${label} like cpu, leaving no tensors behind`, async () => {
      const compute = async (backend: 'cpu' | 'wasm'): Promise<Float32Array> => {
        assert.equal(await tf.setBackend(backend), true);
        const before = tf.memory().numTensors;
        const a = tf.randomNormal([...leading, ...(transposeA ? [5, 4] : [4, 5])], 0, 1, 'float32', 1);
        const b = tf.randomNormal([...leading, ...(transposeB ? [6, 5] : [5, 6])], 0, 1, 'float32', 2);
        const product = tf.matMul(a, b, transposeA, transposeB);
        const values = (await product.data()) as Float32Array;
        tf.dispose([a, b, product]);
        assert.equal(tf.memory().numTensors, before);
        return values;
      };
      const expected = await compute('cpu');
      const actual = await compute('wasm');
      assert.equal(actual.length, expected.length);
      for (let index = 0; index < expected.length; index++)
        assert.ok(Math.abs(actual[index] - expected[index]) < 1e-4, `product ${index}`);
    });
  }
});
