/**
 * Conv2D and MaxPooling2D of the typed-array training loop, on channels-last samples [rows, cols, channels].
 * A convolution is im2col + matmul: each output pixel's receptive field becomes one row of a (pixels ×
 * kernel values) matrix, so the forward pass, the kernel gradient and the input gradient are each one of
 * gemm.ts' products over the whole batch; that measured faster than direct loops for the zoo's small maps.
 * The products' operands share a workspace per batch size (workspace.ts), where the SIMD kernels run on them.
 */
import { activate, differentiate, type Activation } from './activations';
import { activationOf, kernelL2, pair } from './config';
import type { LoopLayer, LoopLayerBuilder } from './layer';
import { BuffersBySize, Scratch } from './scratch';
import { workspace, type Workspace } from './workspace';

/** A convolution's arrays for one batch size: the products' operands and results. */
type ConvBuffers = Workspace<
  'kernel' | 'kernelGradient' | 'columns' | 'output' | 'outputGradient' | 'columnGradients'
>;

/** Sizes of a 2-D sliding window over [rows, cols, channels]: the input, the window, the output. */
export interface WindowGeometry {
  rows: number;
  cols: number;
  channels: number;
  windowRows: number;
  windowCols: number;
  /** Rows and columns of zero padding before the first input row and column. */
  padTop: number;
  padLeft: number;
  outputRows: number;
  outputCols: number;
}

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
  private readonly inputGradients = new Scratch();

  constructor(
    private readonly geometry: WindowGeometry,
    private readonly filters: number,
    private readonly kernel: Float32Array,
    private readonly bias: Float32Array | undefined,
    private readonly activation: Activation,
    l2: number,
  ) {
    const { rows, cols, channels, windowRows, windowCols, outputRows, outputCols } = geometry;
    this.inputSize = rows * cols * channels;
    this.outputSize = outputRows * outputCols * filters;
    this.patch = windowRows * windowCols * channels;
    const kernelShape = [windowRows, windowCols, channels, filters];
    this.weights = bias ? [kernel, bias] : [kernel];
    this.shapes = bias ? [kernelShape, [filters]] : [kernelShape];
    this.gradients = this.weights.map((values) => new Float32Array(values.length));
    this.l2 = bias ? [l2, 0] : [l2];
    this.buffers = new BuffersBySize((batch) => {
      const pixels = batch * outputRows * outputCols;
      return workspace({
        kernel: kernel.length,
        kernelGradient: kernel.length,
        columns: pixels * this.patch,
        output: pixels * filters,
        outputGradient: pixels * filters,
        columnGradients: pixels * this.patch,
      });
    });
  }

  forward(input: Float32Array, batch: number): Float32Array {
    const { outputRows, outputCols } = this.geometry;
    const pixels = batch * outputRows * outputCols;
    const { arrays, products } = this.buffers.get(batch);
    const { kernel, columns, output } = arrays;
    kernel.set(this.kernel);
    this.im2col(input, columns, batch);
    const bias = this.bias;
    if (bias) for (let pixel = 0; pixel < pixels; pixel++) output.set(bias, pixel * this.filters);
    products.matmul(columns, kernel, output, pixels, this.patch, this.filters, bias !== undefined);
    activate(output, pixels, this.filters, this.activation);
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    const { outputRows, outputCols } = this.geometry;
    const pixels = batch * outputRows * outputCols;
    const filters = this.filters;
    const { arrays, products } = this.buffers.get(batch);
    const { kernel, kernelGradient, columns, output, columnGradients } = arrays;
    differentiate(outputGradient, output, this.activation);
    arrays.outputGradient.set(outputGradient);
    products.matmulTransposeA(columns, arrays.outputGradient, kernelGradient, pixels, this.patch, filters);
    this.gradients[0].set(kernelGradient);
    if (this.bias) {
      const biasGradient = this.gradients[1];
      biasGradient.fill(0);
      for (let pixel = 0; pixel < pixels; pixel++) {
        const offset = pixel * filters;
        for (let filter = 0; filter < filters; filter++)
          biasGradient[filter] += outputGradient[offset + filter];
      }
    }
    if (!inputGradient) return undefined;
    products.matmulTransposeB(arrays.outputGradient, kernel, columnGradients, pixels, filters, this.patch);
    const previous = this.inputGradients.get(batch * this.inputSize);
    this.col2im(columnGradients, previous, batch);
    return previous;
  }

  /** Each output pixel's window, zero-padded, as one row of `columns` ordered (window row, col, channel). */
  private im2col(input: Float32Array, columns: Float32Array, batch: number): void {
    const { rows, cols, channels, windowRows, windowCols, padTop, padLeft, outputRows, outputCols } =
      this.geometry;
    const rowLength = windowCols * channels;
    let target = 0;
    for (let sample = 0; sample < batch; sample++) {
      const sampleOffset = sample * this.inputSize;
      for (let outputRow = 0; outputRow < outputRows; outputRow++) {
        for (let outputCol = 0; outputCol < outputCols; outputCol++) {
          for (let windowRow = 0; windowRow < windowRows; windowRow++) {
            const row = outputRow + windowRow - padTop;
            if (row < 0 || row >= rows) {
              columns.fill(0, target, target + rowLength);
              target += rowLength;
              continue;
            }
            const rowOffset = sampleOffset + row * cols * channels;
            for (let windowCol = 0; windowCol < windowCols; windowCol++) {
              const col = outputCol + windowCol - padLeft;
              if (col < 0 || col >= cols) {
                for (let channel = 0; channel < channels; channel++) columns[target++] = 0;
                continue;
              }
              const source = rowOffset + col * channels;
              for (let channel = 0; channel < channels; channel++)
                columns[target++] = input[source + channel];
            }
          }
        }
      }
    }
  }

  /** The adjoint of im2col: each row's gradients added back to the input values they were copied from. */
  private col2im(columnGradients: Float32Array, previous: Float32Array, batch: number): void {
    const { rows, cols, channels, windowRows, windowCols, padTop, padLeft, outputRows, outputCols } =
      this.geometry;
    previous.fill(0);
    let source = 0;
    for (let sample = 0; sample < batch; sample++) {
      const sampleOffset = sample * this.inputSize;
      for (let outputRow = 0; outputRow < outputRows; outputRow++) {
        for (let outputCol = 0; outputCol < outputCols; outputCol++) {
          for (let windowRow = 0; windowRow < windowRows; windowRow++) {
            const row = outputRow + windowRow - padTop;
            if (row < 0 || row >= rows) {
              source += windowCols * channels;
              continue;
            }
            const rowOffset = sampleOffset + row * cols * channels;
            for (let windowCol = 0; windowCol < windowCols; windowCol++) {
              const col = outputCol + windowCol - padLeft;
              if (col < 0 || col >= cols) {
                source += channels;
                continue;
              }
              const target = rowOffset + col * channels;
              for (let channel = 0; channel < channels; channel++)
                previous[target + channel] += columnGradients[source++];
            }
          }
        }
      }
    }
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
  private readonly outputs = new Scratch();
  /** Per output value, the index in the batch's input of the maximum it took. */
  private readonly positions = new Scratch();
  private readonly inputGradients = new Scratch();

  constructor(
    private readonly geometry: WindowGeometry,
    private readonly strideRows: number,
    private readonly strideCols: number,
  ) {
    this.inputSize = geometry.rows * geometry.cols * geometry.channels;
    this.outputSize = geometry.outputRows * geometry.outputCols * geometry.channels;
  }

  forward(input: Float32Array, batch: number): Float32Array {
    const { cols, channels, windowRows, windowCols, outputRows, outputCols } = this.geometry;
    const output = this.outputs.get(batch * this.outputSize);
    const positions = this.positions.get(batch * this.outputSize);
    let target = 0;
    for (let sample = 0; sample < batch; sample++) {
      const sampleOffset = sample * this.inputSize;
      for (let outputRow = 0; outputRow < outputRows; outputRow++) {
        for (let outputCol = 0; outputCol < outputCols; outputCol++) {
          const corner =
            sampleOffset + (outputRow * this.strideRows * cols + outputCol * this.strideCols) * channels;
          for (let channel = 0; channel < channels; channel++) {
            let best = corner + channel;
            let largest = input[best];
            for (let windowRow = 0; windowRow < windowRows; windowRow++) {
              for (let windowCol = 0; windowCol < windowCols; windowCol++) {
                const index = corner + (windowRow * cols + windowCol) * channels + channel;
                if (input[index] > largest) {
                  largest = input[index];
                  best = index;
                }
              }
            }
            output[target] = largest;
            positions[target++] = best;
          }
        }
      }
    }
    return output;
  }

  backward(outputGradient: Float32Array, batch: number, inputGradient: boolean): Float32Array | undefined {
    if (!inputGradient) return undefined;
    const previous = this.inputGradients.get(batch * this.inputSize);
    previous.fill(0);
    const positions = this.positions.get(batch * this.outputSize);
    for (let index = 0; index < positions.length; index++)
      previous[positions[index]] += outputGradient[index];
    return previous;
  }
}

/** [rows, cols, channels] of a per-sample shape; a channels-last image only. */
function image(shape: readonly number[]): [number, number, number] | undefined {
  return shape.length === 3 ? [shape[0], shape[1], shape[2]] : undefined;
}

/** Conv2D, channels last, stride 1, no dilation, padding same or valid, any kernel size. */
export const conv2dBuilder: LoopLayerBuilder = ({ config, inputShape, outputShape, weights, shapes }) => {
  const input = image(inputShape);
  const size = pair(config.kernelSize);
  const strides = pair(config.strides ?? 1);
  const dilation = pair(config.dilationRate ?? 1);
  const activation = activationOf(config, false);
  const l2 = kernelL2(config);
  if (!input || !size || activation === undefined || l2 === undefined) return undefined;
  if (strides?.[0] !== 1 || strides[1] !== 1 || dilation?.[0] !== 1 || dilation[1] !== 1) return undefined;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') return undefined;
  const padding = config.padding ?? 'valid';
  if (padding !== 'same' && padding !== 'valid') return undefined;
  const useBias = config.useBias !== false;
  if (weights.length !== (useBias ? 2 : 1)) return undefined;
  const [rows, cols, channels] = input;
  const [windowRows, windowCols] = size;
  const filters = shapes[0][3];
  if (shapes[0].join() !== [windowRows, windowCols, channels, filters].join()) return undefined;
  const same = padding === 'same';
  // TensorFlow's 'same' pads (window - 1) in all, the smaller half before.
  const geometry: WindowGeometry = {
    rows,
    cols,
    channels,
    windowRows,
    windowCols,
    padTop: same ? Math.floor((windowRows - 1) / 2) : 0,
    padLeft: same ? Math.floor((windowCols - 1) / 2) : 0,
    outputRows: same ? rows : rows - windowRows + 1,
    outputCols: same ? cols : cols - windowCols + 1,
  };
  if (outputShape.join() !== [geometry.outputRows, geometry.outputCols, filters].join()) return undefined;
  const layer = new Conv2DLoopLayer(
    geometry,
    filters,
    weights[0],
    useBias ? weights[1] : undefined,
    activation,
    l2,
  );
  const pixels = geometry.outputRows * geometry.outputCols;
  return { layer, values: pixels * (2 * windowRows * windowCols * channels + 3 * filters) + layer.inputSize };
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
    padTop: 0,
    padLeft: 0,
    outputRows: Math.floor((rows - size[0]) / strides[0]) + 1,
    outputCols: Math.floor((cols - size[1]) / strides[1]) + 1,
  };
  if (geometry.outputRows < 1 || geometry.outputCols < 1) return undefined;
  if (outputShape.join() !== [geometry.outputRows, geometry.outputCols, channels].join()) return undefined;
  const layer = new MaxPool2DLoopLayer(geometry, strides[0], strides[1]);
  return { layer, values: 2 * layer.outputSize + layer.inputSize };
};
