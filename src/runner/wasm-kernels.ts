/**
 * Training kernels that the stock wasm backend (tfjs-backend-wasm 4.22) lacks, built from kernels it has.
 * Without them a CNN cannot train on wasm (`Conv2DBackpropFilter`), nor a model whose gradient goes through
 * a gather (`UnsortedSegmentSum`) or a depthwise convolution. Each kernel runs ordinary tf ops; the engine
 * does not record ops run inside a kernel on the gradient tape, and a returned Tensor is used as the output.
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { TF } from '../core/models/types';

/** Names of the kernels this module adds to the wasm backend. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
] as const;

type Pair = [number, number];
type Padding =
  | 'valid'
  | 'same'
  | number
  | 'explicit'
  | [[number, number], [number, number], [number, number], [number, number]];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** Attributes shared by the convolution gradient kernels (as tfjs passes them). */
interface ConvolutionAttributes {
  strides: number | Pair;
  dilations?: number | Pair;
  pad: Padding;
  dimRoundingMode?: Rounding;
  dataFormat?: string;
}

function pair(value: number | Pair | undefined): Pair {
  if (value === undefined) return [1, 1];
  return typeof value === 'number' ? [value, value] : value;
}

/** Geometry of a convolution: padding, output size, strides and dilations. */
function geometry(
  tf: TF,
  inputShape: number[],
  filterShape: number[],
  attributes: ConvolutionAttributes,
  depthwise: boolean,
): {
  top: number;
  bottom: number;
  left: number;
  right: number;
  outHeight: number;
  outWidth: number;
  stride: Pair;
  dilation: Pair;
} {
  if (
    attributes.dataFormat !== undefined &&
    attributes.dataFormat !== 'NHWC' &&
    attributes.dataFormat !== 'channelsLast'
  ) {
    throw new Error(`wasm training kernels support NHWC data only, got ${attributes.dataFormat}`);
  }
  const stride = pair(attributes.strides);
  const dilation = pair(attributes.dilations);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    stride,
    dilation,
    // The public type omits explicit padding arrays, which computeConv2DInfo accepts.
    attributes.pad as 'same',
    attributes.dimRoundingMode,
    depthwise,
  );
  const { top, bottom, left, right } = info.padInfo;
  return { top, bottom, left, right, outHeight: info.outHeight, outWidth: info.outWidth, stride, dilation };
}

/**
 * The patch of the padded input that filter tap (row, column) sees, for every output position:
 * shape [batch, outHeight, outWidth, channels].
 */
function tapPatch(
  tf: TF,
  padded: Tensor4D,
  row: number,
  column: number,
  shape: { outHeight: number; outWidth: number; stride: Pair; dilation: Pair },
): Tensor4D {
  const [batch, , , channels] = padded.shape;
  const startRow = row * shape.dilation[0];
  const startColumn = column * shape.dilation[1];
  return tf.stridedSlice(
    padded,
    [0, startRow, startColumn, 0],
    [
      batch,
      startRow + (shape.outHeight - 1) * shape.stride[0] + 1,
      startColumn + (shape.outWidth - 1) * shape.stride[1] + 1,
      channels,
    ],
    [1, shape.stride[0], shape.stride[1], 1],
  ) as Tensor4D;
}

/**
 * Up to this many im2col entries the patch matrix is filled in one JavaScript loop from x's values: the
 * tensor route's strided slice per filter tap and a concat are JS kernels on wasm, several times slower.
 */
const DIRECT_IM2COL_LIMIT = 16_000_000;

/** The im2col matrix [batch·outHeight·outWidth, filterHeight·filterWidth·inChannels], zeros in the padding. */
function im2col(tf: TF, x: Tensor4D, filterShape: number[], shape: ReturnType<typeof geometry>): Tensor {
  const [batch, inHeight, inWidth, inChannels] = x.shape;
  const [filterHeight, filterWidth] = filterShape;
  const { outHeight, outWidth, stride, dilation, top, left } = shape;
  const input = x.dataSync();
  const width = filterHeight * filterWidth * inChannels;
  const columns = new Float32Array(batch * outHeight * outWidth * width);
  let offset = 0;
  for (let image = 0; image < batch; image++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      for (let outColumn = 0; outColumn < outWidth; outColumn++) {
        for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
          const inRow = outRow * stride[0] + tapRow * dilation[0] - top;
          for (let tapColumn = 0; tapColumn < filterWidth; tapColumn++) {
            const inColumn = outColumn * stride[1] + tapColumn * dilation[1] - left;
            if (inRow >= 0 && inRow < inHeight && inColumn >= 0 && inColumn < inWidth) {
              const inputOffset = ((image * inHeight + inRow) * inWidth + inColumn) * inChannels;
              for (let channel = 0; channel < inChannels; channel++)
                columns[offset + channel] = input[inputOffset + channel];
            }
            offset += inChannels;
          }
        }
      }
    }
  }
  return tf.tensor2d(columns, [batch * outHeight * outWidth, width]);
}

/** dL/dfilter of conv2d, as im2col: every filter tap's input patch side by side, times dy, in one matMul. */
export function conv2dBackpropFilter(
  tf: TF,
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: number[],
  attributes: ConvolutionAttributes,
): Tensor {
  const shape = geometry(tf, x.shape, filterShape, attributes, false);
  const [filterHeight, filterWidth, inChannels, outChannels] = filterShape;
  const rows = dy.shape[0] * shape.outHeight * shape.outWidth;
  if (rows * filterHeight * filterWidth * inChannels <= DIRECT_IM2COL_LIMIT) {
    return tf.tidy(() =>
      tf
        .matMul(im2col(tf, x, filterShape, shape), dy.reshape([rows, outChannels]), true, false)
        .reshape(filterShape),
    );
  }
  return tf.tidy(() => {
    const padded = tf.pad(x, [
      [0, 0],
      [shape.top, shape.bottom],
      [shape.left, shape.right],
      [0, 0],
    ]);
    const patches: Tensor4D[] = [];
    for (let row = 0; row < filterHeight; row++) {
      for (let column = 0; column < filterWidth; column++)
        patches.push(tapPatch(tf, padded, row, column, shape));
    }
    const columns = tf.concat(patches, 3).reshape([rows, filterHeight * filterWidth * inChannels]);
    return tf.matMul(columns, dy.reshape([rows, outChannels]), true, false).reshape(filterShape);
  });
}

/** dL/dfilter of a depthwise conv2d: per tap, the input patch times dy, summed over batch and positions. */
export function depthwiseBackpropFilter(
  tf: TF,
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: number[],
  attributes: ConvolutionAttributes,
): Tensor {
  return tf.tidy(() => {
    const shape = geometry(tf, x.shape, filterShape, attributes, true);
    const [filterHeight, filterWidth, channels, multiplier] = filterShape;
    const padded = tf.pad(x, [
      [0, 0],
      [shape.top, shape.bottom],
      [shape.left, shape.right],
      [0, 0],
    ]);
    const dyPerChannel = dy.reshape([dy.shape[0], shape.outHeight, shape.outWidth, channels, multiplier]);
    const taps: Tensor[] = [];
    for (let row = 0; row < filterHeight; row++) {
      for (let column = 0; column < filterWidth; column++) {
        const patch = tapPatch(tf, padded, row, column, shape).expandDims(4);
        taps.push(tf.sum(tf.mul(patch, dyPerChannel), [0, 1, 2]));
      }
    }
    return tf.stack(taps).reshape(filterShape);
  });
}

/** dL/dx of a depthwise conv2d: each filter tap scatters its share of dy back onto the padded input. */
export function depthwiseBackpropInput(
  tf: TF,
  dy: Tensor4D,
  filter: Tensor4D,
  inputShape: number[],
  attributes: ConvolutionAttributes,
): Tensor {
  return tf.tidy(() => {
    const shape = geometry(tf, inputShape, filter.shape, attributes, true);
    const [batch, inHeight, inWidth, channels] = inputShape;
    const [filterHeight, filterWidth, , multiplier] = filter.shape;
    const { outHeight, outWidth, stride, dilation } = shape;
    const spanHeight = (outHeight - 1) * stride[0] + 1;
    const spanWidth = (outWidth - 1) * stride[1] + 1;
    const paddedHeight = Math.max(
      inHeight + shape.top + shape.bottom,
      spanHeight + (filterHeight - 1) * dilation[0],
    );
    const paddedWidth = Math.max(
      inWidth + shape.left + shape.right,
      spanWidth + (filterWidth - 1) * dilation[1],
    );
    const dyPerChannel = dy.reshape([batch, outHeight, outWidth, channels, multiplier]);
    const contributions: Tensor4D[] = [];
    for (let row = 0; row < filterHeight; row++) {
      for (let column = 0; column < filterWidth; column++) {
        const tap = filter
          .slice([row, column, 0, 0], [1, 1, channels, multiplier])
          .reshape([channels, multiplier]);
        let spread = tf.sum(tf.mul(dyPerChannel, tap), 4) as Tensor4D;
        if (stride[0] > 1 || stride[1] > 1) {
          // Interleave zeros between output positions so each lands on its input row/column.
          spread = spread
            .reshape([batch, outHeight, 1, outWidth, 1, channels])
            .pad([
              [0, 0],
              [0, 0],
              [0, stride[0] - 1],
              [0, 0],
              [0, stride[1] - 1],
              [0, 0],
            ])
            .reshape([batch, outHeight * stride[0], outWidth * stride[1], channels])
            .slice([0, 0, 0, 0], [batch, spanHeight, spanWidth, channels]) as Tensor4D;
        }
        const top = row * dilation[0];
        const left = column * dilation[1];
        contributions.push(
          spread.pad([
            [0, 0],
            [top, paddedHeight - top - spanHeight],
            [left, paddedWidth - left - spanWidth],
            [0, 0],
          ]),
        );
      }
    }
    return tf.addN(contributions).slice([0, shape.top, shape.left, 0], [batch, inHeight, inWidth, channels]);
  });
}

/** Sums rows of x into numSegments buckets by segment id (ids outside [0, numSegments) are dropped, as in TF). */
export function unsortedSegmentSum(tf: TF, x: Tensor, segmentIds: Tensor, numSegments: number): Tensor {
  return tf.tidy(() => {
    const ids = segmentIds.reshape([-1]).toInt();
    const count = ids.shape[0];
    const tail = x.shape.slice(segmentIds.rank);
    const width = tail.reduce((product, size) => product * size, 1);
    const values = x.reshape([count, width]).toFloat();
    // oneHot must be cast after the fact: oneHot(..., 'float32') gives wrong values on wasm 4.22.
    const membership = tf.oneHot(ids, numSegments).toFloat();
    const sums = tf.matMul(membership, values, true, false).reshape([numSegments, ...tail]);
    return x.dtype === 'float32' ? sums : sums.cast(x.dtype);
  });
}

/**
 * Registers the missing training kernels for backendName 'wasm' on the given tfjs module. Kernels already
 * registered (a later tfjs that ships them) are left alone. Returns the names it registered.
 */
export function registerWasmTrainingKernels(tf: TF): string[] {
  const registered: string[] = [];
  const add = (
    kernelName: string,
    run: (inputs: Record<string, Tensor>, attributes: Record<string, unknown>) => Tensor,
  ): void => {
    if (tf.getKernel(kernelName, 'wasm') !== undefined) return;
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      // The engine passes Tensors as inputs and accepts a Tensor as output (it has `rank`, so it is used as is).
      kernelFunc: ({ inputs, attrs }) =>
        run(inputs as unknown as Record<string, Tensor>, (attrs ?? {}) as Record<string, unknown>),
    });
    registered.push(kernelName);
  };
  add('Conv2DBackpropFilter', (inputs, attributes) =>
    conv2dBackpropFilter(
      tf,
      inputs.x as Tensor4D,
      inputs.dy as Tensor4D,
      attributes.filterShape as number[],
      attributes as unknown as ConvolutionAttributes,
    ),
  );
  add('DepthwiseConv2dNativeBackpropFilter', (inputs, attributes) =>
    depthwiseBackpropFilter(
      tf,
      inputs.x as Tensor4D,
      inputs.dy as Tensor4D,
      attributes.filterShape as number[],
      attributes as unknown as ConvolutionAttributes,
    ),
  );
  add('DepthwiseConv2dNativeBackpropInput', (inputs, attributes) =>
    depthwiseBackpropInput(
      tf,
      inputs.dy as Tensor4D,
      inputs.filter as Tensor4D,
      attributes.inputShape as number[],
      attributes as unknown as ConvolutionAttributes,
    ),
  );
  add('UnsortedSegmentSum', (inputs, attributes) =>
    unsortedSegmentSum(tf, inputs.x, inputs.segmentIds, attributes.numSegments as number),
  );
  replaceMaxPoolGrad(tf);
  transposeBeforeBatchMatMul(tf);
  return registered;
}

/**
 * The stock wasm BatchMatMul runs its transposed forms (every gradient of a dense or recurrent layer) in a
 * plain loop, 4–10× slower than its untransposed XNNPACK path; transposing the operand first and multiplying
 * plainly gives the same numbers faster. Wrapped once per tfjs module.
 */
function transposeBeforeBatchMatMul(tf: TF): void {
  const existing = tf.getKernel('BatchMatMul', 'wasm');
  if (!existing || (existing.kernelFunc as { topdown?: boolean }).topdown) return;
  const original = existing.kernelFunc;
  type Arguments = Parameters<typeof original>[0];
  const swapLastTwo = (tensor: Tensor): Tensor => {
    const order = Array.from({ length: tensor.rank }, (_, axis) => axis);
    [order[tensor.rank - 2], order[tensor.rank - 1]] = [order[tensor.rank - 1], order[tensor.rank - 2]];
    return tf.transpose(tensor, order);
  };
  const kernelFunc = (args: Arguments): ReturnType<typeof original> => {
    const attributes = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    if (!attributes.transposeA && !attributes.transposeB) return original(args);
    // The engine passes Tensors as inputs (see registerWasmTrainingKernels).
    const { a, b } = args.inputs as unknown as { a: Tensor; b: Tensor };
    const left = attributes.transposeA ? swapLastTwo(a) : a;
    const right = attributes.transposeB ? swapLastTwo(b) : b;
    try {
      return original({
        ...args,
        inputs: { a: left, b: right } as unknown as Arguments['inputs'],
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (left !== a) left.dispose();
      if (right !== b) right.dispose();
    }
  };
  (kernelFunc as { topdown?: boolean }).topdown = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...existing, kernelFunc });
}

/**
 * The stock wasm MaxPoolGrad takes milliseconds for a batch of 8×8 feature maps (it dominated a small CNN's
 * training); this JavaScript scatter gives each window's gradient to the first position holding its maximum,
 * as the cpu backend does. Replaced once per tfjs module.
 */
function replaceMaxPoolGrad(tf: TF): void {
  const existing = tf.getKernel('MaxPoolGrad', 'wasm');
  if ((existing?.kernelFunc as { topdown?: boolean } | undefined)?.topdown) return;
  if (existing) tf.unregisterKernel('MaxPoolGrad', 'wasm');
  const kernelFunc = ({ inputs, attrs }: { inputs: unknown; attrs?: unknown }): Tensor => {
    const { dy, input } = inputs as { dy: Tensor4D; input: Tensor4D };
    const attributes = (attrs ?? {}) as {
      filterSize: number | Pair;
      strides: number | Pair;
      pad: 'valid' | 'same' | number;
      dimRoundingMode?: Rounding;
    };
    return maxPoolGrad(tf, dy, input, attributes);
  };
  (kernelFunc as { topdown?: boolean }).topdown = true;
  tf.registerKernel({
    kernelName: 'MaxPoolGrad',
    backendName: 'wasm',
    // The engine passes Tensors as inputs and accepts a Tensor as output, as for the kernels above.
    kernelFunc: kernelFunc as unknown as Parameters<TF['registerKernel']>[0]['kernelFunc'],
  });
}

/** dL/dx of a 2D max pool: each output's gradient goes to the first maximum of its window. */
export function maxPoolGrad(
  tf: TF,
  dy: Tensor4D,
  input: Tensor4D,
  attributes: {
    filterSize: number | Pair;
    strides: number | Pair;
    pad: 'valid' | 'same' | number;
    dimRoundingMode?: Rounding;
  },
): Tensor {
  const info = tf.backend_util.computePool2DInfo(
    input.shape,
    attributes.filterSize,
    attributes.strides,
    1,
    attributes.pad,
    attributes.dimRoundingMode,
  );
  const [batch, inHeight, inWidth, channels] = input.shape;
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const values = input.dataSync();
  const gradient = dy.dataSync();
  const result = new Float32Array(values.length);
  for (let image = 0; image < batch; image++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      for (let outColumn = 0; outColumn < outWidth; outColumn++) {
        for (let channel = 0; channel < channels; channel++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
            const inRow = outRow * strideHeight - top + tapRow;
            if (inRow < 0 || inRow >= inHeight) continue;
            for (let tapColumn = 0; tapColumn < filterWidth; tapColumn++) {
              const inColumn = outColumn * strideWidth - left + tapColumn;
              if (inColumn < 0 || inColumn >= inWidth) continue;
              const index = ((image * inHeight + inRow) * inWidth + inColumn) * channels + channel;
              if (values[index] > best || bestIndex < 0) {
                best = values[index];
                bestIndex = index;
              }
            }
          }
          if (bestIndex >= 0)
            result[bestIndex] +=
              gradient[((image * outHeight + outRow) * outWidth + outColumn) * channels + channel];
        }
      }
    }
  }
  return tf.tensor4d(result, input.shape);
}
