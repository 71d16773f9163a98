import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prepareLoopKernels, SimdKernels, simdAvailable } from '../../src/core/models/loop/gemm-simd';
import { scalarKernels, transpose, type WindowGeometry } from '../../src/core/models/loop/kernels';
import { workspace } from '../../src/core/models/loop/workspace';
import { createRng } from '../../src/core/random';

/**
 * Seeded values in [-1, 1); with `levels`, rounded to that many steps so that windows hold ties, and every
 * seventh value NaN with `nan`.
 */
function fill(array: Float32Array, seed: number, levels = 0, nan = false): Float32Array {
  const random = createRng(seed);
  for (let index = 0; index < array.length; index++) {
    const value = random() * 2 - 1;
    array[index] = levels > 0 ? Math.round(value * levels) / levels : value;
    if (nan && index % 7 === 3) array[index] = NaN;
  }
  return array;
}

/** The same values bit for bit (NaN equal to NaN), except that -0 and +0 count as equal. */
function assertSame(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let index = 0; index < expected.length; index++) {
    const same =
      actual[index] === expected[index] || (Number.isNaN(actual[index]) && Number.isNaN(expected[index]));
    assert.ok(same, `${what} [${index}]: ${actual[index]} ≠ ${expected[index]}`);
  }
}

/** SIMD kernels bound to a workspace holding arrays of these lengths. */
function simd<Name extends string>(lengths: Record<Name, number>) {
  const space = workspace(lengths);
  assert.ok(space.kernels instanceof SimdKernels, 'the SIMD kernels');
  return space;
}

/** A stride-1 convolution window over [rows, cols, channels], 'same' (TensorFlow's padding) or 'valid'. */
function convolution(
  rows: number,
  cols: number,
  channels: number,
  windowRows: number,
  windowCols: number,
  same: boolean,
): WindowGeometry {
  return {
    rows,
    cols,
    channels,
    windowRows,
    windowCols,
    strideRows: 1,
    strideCols: 1,
    padTop: same ? Math.floor((windowRows - 1) / 2) : 0,
    padLeft: same ? Math.floor((windowCols - 1) / 2) : 0,
    outputRows: same ? rows : rows - windowRows + 1,
    outputCols: same ? cols : cols - windowCols + 1,
  };
}

/** A pooling window without padding. */
function pooling(
  rows: number,
  cols: number,
  channels: number,
  window: number,
  stride: number,
): WindowGeometry {
  return {
    rows,
    cols,
    channels,
    windowRows: window,
    windowCols: window,
    strideRows: stride,
    strideCols: stride,
    padTop: 0,
    padLeft: 0,
    outputRows: Math.floor((rows - window) / stride) + 1,
    outputCols: Math.floor((cols - window) / stride) + 1,
  };
}

describe('loop kernels: SIMD (gemm-simd.ts) against the JavaScript reference (kernels.ts)', () => {
  before(prepareLoopKernels);

  it('are available in this runtime', () => {
    assert.ok(simdAvailable());
  });

  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 9, 16],
    [7, 3, 10],
    [9, 13, 12],
    [13, 4, 3],
    // Inner dimensions above 512, summed in chunks (kernels.wat's product): bias once, ReLU after the last.
    [6, 513, 11],
    [5, 1100, 9],
  ]) {
    it(`affine: a·b + bias, then ReLU, for m=${m} k=${k} n=${n}, with and without bias and ReLU`, () => {
      const { arrays, kernels } = simd({ a: m * k, b: k * n, bias: n, out: m * n });
      fill(arrays.a, m);
      fill(arrays.b, k + 1);
      fill(arrays.bias, n + 2);
      for (const withBias of [false, true])
        for (const relu of [false, true]) {
          const bias = withBias ? arrays.bias : undefined;
          kernels.affine(arrays.a, arrays.b, bias, arrays.out, m, k, n, relu);
          const expected = new Float32Array(m * n);
          const plainBias = bias && Float32Array.from(bias);
          scalarKernels.affine(
            Float32Array.from(arrays.a),
            Float32Array.from(arrays.b),
            plainBias,
            expected,
            m,
            k,
            n,
            relu,
          );
          for (let index = 0; index < expected.length; index++) {
            const tolerance = 4e-7 * (k + 3) * Math.max(1, Math.abs(expected[index]));
            assert.ok(
              Math.abs(arrays.out[index] - expected[index]) <= tolerance,
              `[${index}] bias=${withBias} relu=${relu}`,
            );
            if (relu) assert.ok(arrays.out[index] >= 0);
          }
        }
    });
  }

  it('affine: ReLU zeroes exactly the negative sums and the bias is added per column', () => {
    const { arrays, kernels } = simd({ a: 8, b: 8, bias: 8, out: 8 });
    // a is 8 × 1 (values ±1), b is 1 × 1 (one), bias one value: out = a + bias.
    arrays.a.set([1, -1, 2, -2, 0.5, -0.5, 3, -3]);
    arrays.b[0] = 1;
    arrays.bias[0] = 0.25;
    kernels.affine(arrays.a, arrays.b, arrays.bias, arrays.out, 8, 1, 1, true);
    assert.deepEqual(Array.from(arrays.out), [1.25, 0, 2.25, 0, 0.75, 0, 3.25, 0]);
  });

  for (const length of [1, 3, 4, 17, 64]) {
    it(`reluGradient zeroes the gradient where the output is <= 0 (NaN outputs keep it), ${length} values`, () => {
      const { arrays, kernels } = simd({ gradient: length, output: length });
      fill(arrays.gradient, 1);
      fill(arrays.output, 2, 2, true);
      const expected = Float32Array.from(arrays.gradient);
      scalarKernels.reluGradient(expected, Float32Array.from(arrays.output), length);
      kernels.reluGradient(arrays.gradient, arrays.output, length);
      assertSame(arrays.gradient, expected, 'gradient');
      for (let index = 0; index < length; index++)
        if (arrays.output[index] <= 0) assert.equal(arrays.gradient[index], 0);
    });
  }

  for (const [rows, columns] of [
    [1, 1],
    [7, 3],
    [5, 16],
    [33, 10],
  ]) {
    it(`columnSums adds each column in row order, ${rows} × ${columns}`, () => {
      const { arrays, kernels } = simd({ values: rows * columns, out: columns });
      fill(arrays.values, rows + columns);
      arrays.out.fill(5);
      const expected = new Float32Array(columns);
      scalarKernels.columnSums(Float32Array.from(arrays.values), rows, columns, expected);
      kernels.columnSums(arrays.values, rows, columns, arrays.out);
      assertSame(arrays.out, expected, 'sums');
      for (let column = 0; column < columns; column++) {
        let sum = 0;
        for (let row = 0; row < rows; row++) sum += arrays.values[row * columns + column];
        assert.ok(Math.abs(arrays.out[column] - sum) < 1e-5 * rows);
      }
    });
  }

  const windows: Array<[string, WindowGeometry]> = [
    ['3×3 same on one channel', convolution(6, 5, 1, 3, 3, true)],
    ['3×3 same on four channels', convolution(5, 6, 4, 3, 3, true)],
    ['2×2 same (padding after) on three channels', convolution(4, 5, 3, 2, 2, true)],
    ['2×3 valid on two channels', convolution(6, 6, 2, 2, 3, false)],
    ['5×5 same on a 3×3 image, wider than it', convolution(3, 3, 8, 5, 5, true)],
  ];
  for (const [what, geometry] of windows) {
    it(`im2col and col2im equal the reference and each other's adjoint: ${what}`, () => {
      const batch = 3;
      const { rows, cols, channels, windowRows, windowCols, outputRows, outputCols } = geometry;
      const imageSize = batch * rows * cols * channels;
      const patchSize = batch * outputRows * outputCols * windowRows * windowCols * channels;
      const { arrays, kernels } = simd({ image: imageSize, patches: patchSize, gradient: imageSize });
      fill(arrays.image, 3);
      arrays.patches.fill(9);
      arrays.gradient.fill(9);
      kernels.im2col(arrays.image, arrays.patches, geometry, batch);
      // Whole f32x4 stores past a run's end stay in the array's slack: the next array is untouched.
      assert.ok(arrays.gradient.every((value) => value === 9));
      const expected = new Float32Array(patchSize).fill(7);
      scalarKernels.im2col(Float32Array.from(arrays.image), expected, geometry, batch);
      assertSame(arrays.patches, expected, 'patches');
      // The first patch value of the first pixel: the image's first value, or a padding zero.
      const padded = geometry.padTop > 0 || geometry.padLeft > 0;
      assert.equal(arrays.patches[0], padded ? 0 : arrays.image[0]);

      fill(arrays.patches, 4);
      arrays.gradient.fill(9);
      kernels.col2im(arrays.patches, arrays.gradient, geometry, batch);
      const expectedGradient = new Float32Array(imageSize).fill(7);
      scalarKernels.col2im(Float32Array.from(arrays.patches), expectedGradient, geometry, batch);
      assertSame(arrays.gradient, expectedGradient, 'col2im');
      // Adjoint: <im2col(x), p> = <x, col2im(p)>.
      let left = 0;
      let right = 0;
      for (let index = 0; index < patchSize; index++) left += expected[index] * arrays.patches[index];
      for (let index = 0; index < imageSize; index++) right += arrays.image[index] * arrays.gradient[index];
      assert.ok(Math.abs(left - right) < 1e-4, `${left} against ${right}`);
    });
  }

  const pools: Array<[string, WindowGeometry]> = [
    ['2×2 stride 2 on four channels (windows tile the map)', pooling(6, 6, 4, 2, 2)],
    ['3×3 stride 3 on four channels (windows tile the map)', pooling(6, 9, 4, 3, 3)],
    ['2×2 stride 2 on an odd 5×7 map, eight channels', pooling(5, 7, 8, 2, 2)],
    ['3×3 stride 2 overlapping, four channels', pooling(7, 7, 4, 3, 2)],
    ['2×2 stride 2 on three channels (the JavaScript path)', pooling(4, 4, 3, 2, 2)],
  ];
  for (const [what, geometry] of pools) {
    for (const [values, levels, nan] of [
      ['distinct values', 0, false],
      ['ties', 2, false],
      ['ties and NaN', 2, true],
    ] as const) {
      it(`maxPool and its gradient equal the reference: ${what}, ${values}`, () => {
        const batch = 2;
        const { rows, cols, channels, outputRows, outputCols } = geometry;
        const inputSize = batch * rows * cols * channels;
        const outputSize = batch * outputRows * outputCols * channels;
        const { arrays, kernels } = simd({
          input: inputSize,
          output: outputSize,
          outputGradient: outputSize,
          inputGradient: inputSize,
        });
        fill(arrays.input, 5, levels, nan);
        fill(arrays.outputGradient, 6);
        kernels.maxPool(arrays.input, arrays.output, geometry, batch);
        const plainInput = Float32Array.from(arrays.input);
        const expected = new Float32Array(outputSize);
        scalarKernels.maxPool(plainInput, expected, geometry, batch);
        assertSame(arrays.output, expected, 'output');
        arrays.inputGradient.fill(9);
        kernels.maxPoolGradient(
          arrays.input,
          arrays.output,
          arrays.outputGradient,
          arrays.inputGradient,
          geometry,
          batch,
        );
        const expectedGradient = new Float32Array(inputSize).fill(7);
        const plainGradient = Float32Array.from(arrays.outputGradient);
        scalarKernels.maxPoolGradient(plainInput, expected, plainGradient, expectedGradient, geometry, batch);
        assertSame(arrays.inputGradient, expectedGradient, 'input gradient');
        // Every output gradient value lands somewhere: the sums agree.
        const total = (array: Float32Array) => array.reduce((sum, value) => sum + value, 0);
        assert.ok(Math.abs(total(arrays.inputGradient) - total(arrays.outputGradient)) < 1e-4);
      });
    }
  }

  it('maxPool keeps the first of tied maxima for the gradient and the NaN where a window starts with one', () => {
    const geometry = pooling(2, 2, 4, 2, 2);
    const { arrays, kernels } = simd({ input: 16, output: 4, outputGradient: 4, inputGradient: 16 });
    // Positions (0,0), (0,1), (1,0), (1,1), four channels each: channel 0 ties at 1 on (0,1) and (1,1),
    // channel 1 is largest at (1,0), channel 2 starts with NaN, channel 3 ties everywhere at -1.
    arrays.input.set([0, 0, NaN, -1, 1, 0, 5, -1, 0, 2, 6, -1, 1, 0, 7, -1]);
    arrays.outputGradient.set([10, 20, 30, 40]);
    kernels.maxPool(arrays.input, arrays.output, geometry, 1);
    assertSame(arrays.output, Float32Array.from([1, 2, NaN, -1]), 'output');
    kernels.maxPoolGradient(
      arrays.input,
      arrays.output,
      arrays.outputGradient,
      arrays.inputGradient,
      geometry,
      1,
    );
    const gradient = [0, 0, 30, 40, 10, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0];
    assertSame(arrays.inputGradient, Float32Array.from(gradient), 'gradient');
  });

  it('transpose writes the column-major copy', () => {
    const out = new Float32Array(6);
    transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3, out);
    assert.deepEqual(Array.from(out), [1, 4, 2, 5, 3, 6]);
  });
});
