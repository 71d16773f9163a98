/**
 * Conv2D, Conv1D and MaxPooling2D of the typed-array training loop, on channels-last samples [rows, cols,
 * channels] ([steps, channels] for Conv1D, computed as a Conv2D over one row: [1, steps, channels]).
 * A convolution is im2col + matmul: each output pixel's receptive field becomes one row of a (pixels ×
 * kernel values) matrix, so the forward pass, the kernel gradient and the input gradient are each one of
 * the products over the whole batch; that measured faster than direct loops for the zoo's small maps.
 * Each layer's arrays share a workspace per batch size (workspace.ts), where the SIMD kernels (kernels.ts)
 * run on them: the batch's input and output gradient are copied in, everything else is computed there.
 */
import { activate, differentiate, type Activation } from './activations';
import { activationOf, kernelL2, pair } from './config';
import { transpose, type WindowGeometry } from './kernels';
import type { LoopLayer, LoopLayerBuilder } from './layer';
import { BuffersBySize } from './scratch';
import { workspace, type Workspace } from './workspace';

/** A convolution's arrays for one batch size. */
type ConvBuffers = Workspace<
  | 'kernel'
  | 'kernelTransposed'
  | 'bias'
  | 'kernelGradient'
  | 'biasGradient'
  | 'input'
  | 'columns'
  | 'output'
  | 'outputGradient'
  | 'columnGradients'
  | 'inputGradient'
>;

/** Conv2D with stride 1 and no dilation: y = activation(im2col(x) · kernel + bias). */
export class Conv2DLoopLayer implements LoopLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weights: Float32Array[];
  readonly shapes: number[][];
  readonly gradients: Float32Array[];
  readonly l2: number[];
  private readonly patch: number;
  private readonly buffers: BuffersBySize<ConvBuffers>;

  constructor(
    private readonly geometry: WindowGeometry,
    private readonly filters: number,
    private readonly kernel: Float32Array,
    private readonly bias: Float32Array | undefined,
    private readonly activation: Activation,
    l2: number,
    /** The tfjs kernel's shape: [windowRows, windowCols, channels, filters], or Conv1D's [window, channels, filters]. */
    kernelShape = [geometry.windowRows, geometry.windowCols, geometry.channels, filters],
  ) {
    const { rows, cols, channels, windowRows, windowCols, outputRows, outputCols } = geometry;
    this.inputSize = rows * cols * channels;
    this.outputSize = outputRows * outputCols * filters;
    this.patch = windowRows * windowCols * channels;
    this.weights = bias ? [kernel, bias] : [kernel];
    this.shapes = bias ? [kernelShape, [filters]] : [kernelShape];
    this.gradients = this.weights.map((values) => new Float32Array(values.length));
    this.l2 = bias ? [l2, 0] : [l2];
    this.buffers = new BuffersBySize((batch) => {
      const pixels = batch * outputRows * outputCols;
      return workspace({
        kernel: kernel.length,
        kernelTransposed: kernel.length,
        bias: filters,
        kernelGradient: kernel.length,
        biasGradient: filters,
        input: batch * this.inputSize,
        columns: pixels * this.patch,
        output: pixels * filters,
        outputGradient: pixels * filters,
        columnGradients: pixels * this.patch,
        inputGradient: batch * this.inputSize,
      });
    });
  }

  forward(input: Float32Array, batch: number): Float32Array {
    const { outputRows, outputCols } = this.geometry;
    const pixels = batch * outputRows * outputCols;
    const { arrays, kernels } = this.buffers.get(batch);
    const { kernel, columns, output } = arrays;
    kernel.set(this.kernel);
    if (this.bias) arrays.bias.set(this.bias);
    arrays.input.set(input);
    kernels.im2col(arrays.input, columns, this.geometry, batch);
    const relu = this.activation === 'relu';
    const bias = this.bias ? arrays.bias : undefined;
    kernels.affine(columns, kernel, bias, output, pixels, this.patch, this.filters, relu);
    if (!relu) activate(output, pixels, this.filters, this.activation);
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    const { outputRows, outputCols } = this.geometry;
    const pixels = batch * outputRows * outputCols;
    const filters = this.filters;
    const { arrays, kernels } = this.buffers.get(batch);
    const { kernel, kernelTransposed, kernelGradient, columns, output, columnGradients } = arrays;
    const gradient = arrays.outputGradient;
    gradient.set(outputGradient);
    if (this.activation === 'relu') kernels.reluGradient(gradient, output, pixels * filters);
    else differentiate(gradient, output, this.activation);
    kernels.matmulTransposeA(columns, gradient, kernelGradient, pixels, this.patch, filters);
    this.gradients[0].set(kernelGradient);
    if (this.bias) {
      kernels.columnSums(gradient, pixels, filters, arrays.biasGradient);
      this.gradients[1].set(arrays.biasGradient);
    }
    if (!inputGradient) return undefined;
    // gradient · kernelᵀ as a plain product with the kernel transposed (a few thousand values): its blocks
    // need no per-value horizontal sums, which the transposed-B product does.
    transpose(kernel, this.patch, filters, kernelTransposed);
    kernels.matmul(gradient, kernelTransposed, columnGradients, pixels, filters, this.patch);
    kernels.col2im(columnGradients, arrays.inputGradient, this.geometry, batch);
    return arrays.inputGradient;
  }
}

/** Max pooling without padding; on ties the first window position (row-major) takes the gradient, as in tfjs. */
export class MaxPool2DLoopLayer implements LoopLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weights: Float32Array[] = [];
  readonly shapes: number[][] = [];
  readonly gradients: Float32Array[] = [];
  readonly l2: number[] = [];
  private readonly buffers: BuffersBySize<Workspace<'input' | 'output' | 'outputGradient' | 'inputGradient'>>;

  constructor(private readonly geometry: WindowGeometry) {
    this.inputSize = geometry.rows * geometry.cols * geometry.channels;
    this.outputSize = geometry.outputRows * geometry.outputCols * geometry.channels;
    this.buffers = new BuffersBySize((batch) =>
      workspace({
        input: batch * this.inputSize,
        output: batch * this.outputSize,
        outputGradient: batch * this.outputSize,
        inputGradient: batch * this.inputSize,
      }),
    );
  }

  forward(input: Float32Array, batch: number): Float32Array {
    const { arrays, kernels } = this.buffers.get(batch);
    arrays.input.set(input);
    kernels.maxPool(arrays.input, arrays.output, this.geometry, batch);
    return arrays.output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    if (!inputGradient) return undefined;
    const { arrays, kernels } = this.buffers.get(batch);
    arrays.outputGradient.set(outputGradient);
    const { input, output, inputGradient: previous } = arrays;
    kernels.maxPoolGradient(input, output, arrays.outputGradient, previous, this.geometry, batch);
    return previous;
  }
}

/** [rows, cols, channels] of a per-sample shape; a channels-last image only. */
function image(shape: readonly number[]): [number, number, number] | undefined {
  return shape.length === 3 ? [shape[0], shape[1], shape[2]] : undefined;
}

/** What a Conv1D or Conv2D config asks for, when the loop computes it: stride 1, no dilation, channels last. */
interface ConvOptions {
  size: [number, number];
  padding: 'same' | 'valid';
  activation: Activation;
  l2: number;
  useBias: boolean;
}

/**
 * The options of a convolution config whose kernel size, strides and dilation `window` reads as [rows, cols]
 * (Conv1D's single values as [1, value]); undefined for anything the loop leaves to tfjs.
 */
function convOptions(
  config: Readonly<Record<string, unknown>>,
  weights: readonly Float32Array[],
  window: (value: unknown) => [number, number] | undefined,
): ConvOptions | undefined {
  const size = window(config.kernelSize);
  const strides = window(config.strides ?? 1);
  const dilation = window(config.dilationRate ?? 1);
  const activation = activationOf(config, false);
  const l2 = kernelL2(config);
  if (!size || activation === undefined || l2 === undefined) return undefined;
  if (strides?.[0] !== 1 || strides[1] !== 1 || dilation?.[0] !== 1 || dilation[1] !== 1) return undefined;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') return undefined;
  const padding = config.padding ?? 'valid';
  if (padding !== 'same' && padding !== 'valid') return undefined;
  const useBias = config.useBias !== false;
  if (weights.length !== (useBias ? 2 : 1)) return undefined;
  return { size, padding, activation, l2, useBias };
}

/**
 * The loop's convolution over [rows, cols, channels] with `filters` filters, when the layer's output is
 * `outputShape` ([rows, cols, filters]); `kernelShape` is the tfjs kernel's shape.
 */
function convLayer(
  [rows, cols, channels]: [number, number, number],
  filters: number,
  options: ConvOptions,
  source: { weights: Float32Array[]; outputShape: readonly number[]; kernelShape: number[] },
): ReturnType<LoopLayerBuilder> {
  const [windowRows, windowCols] = options.size;
  const same = options.padding === 'same';
  // TensorFlow's 'same' pads (window - 1) in all, the smaller half before.
  const geometry: WindowGeometry = {
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
  if (geometry.outputRows < 1 || geometry.outputCols < 1) return undefined;
  if (source.outputShape.join() !== [geometry.outputRows, geometry.outputCols, filters].join())
    return undefined;
  const { weights, kernelShape } = source;
  const bias = options.useBias ? weights[1] : undefined;
  const layer = new Conv2DLoopLayer(
    geometry,
    filters,
    weights[0],
    bias,
    options.activation,
    options.l2,
    kernelShape,
  );
  const pixels = geometry.outputRows * geometry.outputCols;
  return {
    layer,
    values: pixels * (2 * windowRows * windowCols * channels + 2 * filters) + 2 * layer.inputSize,
  };
}

/** Conv2D, channels last, stride 1, no dilation, padding same or valid, any kernel size. */
export const conv2dBuilder: LoopLayerBuilder = ({ config, inputShape, outputShape, weights, shapes }) => {
  const input = image(inputShape);
  const options = convOptions(config, weights, pair);
  if (!input || !options) return undefined;
  const filters = shapes[0][3];
  if (shapes[0].join() !== [...options.size, input[2], filters].join()) return undefined;
  return convLayer(input, filters, options, { weights, outputShape, kernelShape: shapes[0] });
};

/** A Conv1D config value (a number or [number]) as the [1, value] of a Conv2D over one row. */
function oneRow(value: unknown): [number, number] | undefined {
  const single = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  return typeof single === 'number' ? [1, single] : undefined;
}

/**
 * Conv1D over [steps, channels] (text: over embedded tokens), as a Conv2D over [1, steps, channels]: tfjs' kernel
 * [window, channels, filters] holds the same values in the same order as a [1, window, channels, filters] one.
 */
export const conv1dBuilder: LoopLayerBuilder = ({ config, inputShape, outputShape, weights, shapes }) => {
  const options = convOptions(config, weights, oneRow);
  if (inputShape.length !== 2 || !options) return undefined;
  const [steps, channels] = inputShape;
  const filters = shapes[0][2];
  if (shapes[0].join() !== [options.size[1], channels, filters].join()) return undefined;
  const kernelShape = shapes[0];
  return convLayer([1, steps, channels], filters, options, {
    weights,
    outputShape: [1, ...outputShape],
    kernelShape,
  });
};

/** MaxPooling2D, channels last, padding valid, any pool size and stride. */
export const maxPooling2dBuilder: LoopLayerBuilder = ({ config, inputShape, outputShape }) => {
  const input = image(inputShape);
  const size = pair(config.poolSize ?? 2);
  const strides = pair(config.strides ?? config.poolSize ?? 2);
  if (!input || !size || !strides || (config.padding ?? 'valid') !== 'valid') return undefined;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') return undefined;
  const [rows, cols, channels] = input;
  const geometry: WindowGeometry = {
    rows,
    cols,
    channels,
    windowRows: size[0],
    windowCols: size[1],
    strideRows: strides[0],
    strideCols: strides[1],
    padTop: 0,
    padLeft: 0,
    outputRows: Math.floor((rows - size[0]) / strides[0]) + 1,
    outputCols: Math.floor((cols - size[1]) / strides[1]) + 1,
  };
  if (geometry.outputRows < 1 || geometry.outputCols < 1) return undefined;
  if (outputShape.join() !== [geometry.outputRows, geometry.outputCols, channels].join()) return undefined;
  const layer = new MaxPool2DLoopLayer(geometry);
  return { layer, values: 2 * layer.outputSize + 2 * layer.inputSize };
};
