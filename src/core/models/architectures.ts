/**
 * The built-in network architectures: linear/logistic, MLP, CNN and stacked LSTM/GRU. Each builder returns
 * an uncompiled tf.LayersModel ending in softmax (classification) or a linear layer (regression, time
 * series); NeuralEstimator compiles and trains it. Kernel initializers take seeds derived per layer.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { isClassification } from '../config';
import { TopdownError } from '../errors';
import { deriveSeed } from '../random';
import type { Candidate, WithDefaults } from './kinds/spec';
import type { ModelBuilder } from './neural';
import type { ModelContext, TF } from './types';

/** The resolved candidates the builders read (resolveCandidate fills in these defaults, kinds/<kind>.ts). */
export type ResolvedLinear = WithDefaults<Candidate<'linear'>, 'l2'>;
export type ResolvedMlp = WithDefaults<Candidate<'mlp'>, 'l2' | 'activation' | 'dropout' | 'batchNorm'>;
export type ResolvedCnn = WithDefaults<Candidate<'cnn'>, 'l2' | 'kernelSize' | 'dense' | 'dropout'>;
export type ResolvedRecurrent = WithDefaults<Candidate<'lstm' | 'gru'>, 'l2' | 'dense' | 'dropout'>;

/** Per-layer seeded initializer and optional L2 penalty, shared by every layer with a kernel. */
class LayerFactory {
  private layerIndex = 0;
  constructor(
    private readonly tf: TF,
    private readonly seed: number,
    private readonly l2: number,
  ) {}

  /** Kernel settings for the next layer with weights. */
  kernel(): {
    kernelInitializer: ReturnType<TF['initializers']['glorotUniform']>;
    kernelRegularizer?: ReturnType<TF['regularizers']['l2']>;
  } {
    const seed = deriveSeed(this.seed, 'layer', this.layerIndex++);
    return {
      kernelInitializer: this.tf.initializers.glorotUniform({ seed }),
      kernelRegularizer: this.l2 > 0 ? this.tf.regularizers.l2({ l2: this.l2 }) : undefined,
    };
  }

  /** The output layer: softmax over classes, or linear outputs. */
  output(context: ModelContext): tfTypes.layers.Layer {
    const activation = isClassification(context.task) ? 'softmax' : 'linear';
    return this.tf.layers.dense({ units: context.outputUnits, activation, ...this.kernel() });
  }

  /** Hidden dense layers with ReLU, each followed by dropout when asked. */
  denseHead(model: tfTypes.Sequential, units: number[], dropout: number): void {
    for (const size of units) {
      model.add(this.tf.layers.dense({ units: size, activation: 'relu', ...this.kernel() }));
      if (dropout > 0) model.add(this.tf.layers.dropout({ rate: dropout }));
    }
  }
}

function startModel(tf: TF, context: ModelContext, flatten: boolean): tfTypes.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: context.inputShape }));
  if (flatten && context.inputShape.length > 1) model.add(tf.layers.flatten());
  return model;
}

/** Logistic (softmax) regression for classes, linear regression otherwise. */
export function linearBuilder(candidate: ResolvedLinear): ModelBuilder {
  return (tf, context) => {
    const layers = new LayerFactory(tf, context.seed, candidate.l2);
    const model = startModel(tf, context, true);
    model.add(layers.output(context));
    return model;
  };
}

/** Dense layers with an activation, optional batch normalization and dropout; windows and images are flattened. */
export function mlpBuilder(candidate: ResolvedMlp): ModelBuilder {
  return (tf, context) => {
    const layers = new LayerFactory(tf, context.seed, candidate.l2);
    const model = startModel(tf, context, true);
    const activation = candidate.activation;
    for (const units of candidate.layers) {
      if (candidate.batchNorm) {
        // Normalize before the non-linearity, as in the batch-norm paper.
        model.add(tf.layers.dense({ units, useBias: false, ...layers.kernel() }));
        model.add(tf.layers.batchNormalization());
        model.add(tf.layers.activation({ activation }));
      } else {
        model.add(tf.layers.dense({ units, activation, ...layers.kernel() }));
      }
      if (candidate.dropout > 0) model.add(tf.layers.dropout({ rate: candidate.dropout }));
    }
    model.add(layers.output(context));
    return model;
  };
}

/** Conv blocks (conv k×k same-padded, ReLU, max-pool 2×2), then dense layers and the output. */
export function cnnBuilder(candidate: ResolvedCnn): ModelBuilder {
  return (tf, context) => {
    const shape = context.inputShape;
    if (shape.length !== 2 && shape.length !== 3) {
      throw new TopdownError(
        'MODEL_INVALID',
        `Candidate "${candidate.name}" (cnn) needs image samples [rows, cols, channels], but each sample has shape [${shape.join(', ')}].`,
        { hint: 'Add an `image` step to `prepare` (rows, cols, channels), or use an mlp for tabular data.' },
      );
    }
    const layers = new LayerFactory(tf, context.seed, candidate.l2);
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: shape }));
    if (shape.length === 2) model.add(tf.layers.reshape({ targetShape: [shape[0], shape[1], 1] }));
    let height = shape[0];
    let width = shape[1];
    for (const filters of candidate.filters) {
      const kernelSize = candidate.kernelSize;
      model.add(
        tf.layers.conv2d({ filters, kernelSize, padding: 'same', activation: 'relu', ...layers.kernel() }),
      );
      // Pool only while there is something left to halve.
      if (height >= 2 && width >= 2) {
        model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
        height = Math.floor(height / 2);
        width = Math.floor(width / 2);
      }
    }
    model.add(tf.layers.flatten());
    const dropout = candidate.dropout;
    layers.denseHead(model, candidate.dense, dropout);
    if (dropout > 0 && candidate.dense.length === 0) model.add(tf.layers.dropout({ rate: dropout }));
    model.add(layers.output(context));
    return model;
  };
}

/**
 * Adds the L2 penalty of a recurrent layer's kernel and recurrent kernel to the model's training loss.
 * tfjs-layers (4.22) registers an LSTM's or GRU's regularizers on its inner cell, whose losses the model never
 * collects, so `kernelRegularizer` alone changes nothing; the layer's own loss list is collected. The typed-array
 * loop (loop/recurrent.ts) applies the same penalty.
 */
function penalizeRecurrentKernels(tf: TF, layer: tfTypes.layers.Layer, l2: number): void {
  if (!(l2 > 0)) return;
  const [kernel, recurrentKernel] = layer.trainableWeights;
  if (!kernel || !recurrentKernel) return;
  layer.addLoss(() =>
    tf.tidy(() =>
      tf.mul(l2, tf.add(tf.sum(tf.square(kernel.read())), tf.sum(tf.square(recurrentKernel.read())))),
    ),
  );
}

/** Stacked LSTM or GRU layers (sequences passed on between them), dropout, a dense head, then the outputs. */
export function recurrentBuilder(candidate: ResolvedRecurrent): ModelBuilder {
  return (tf, context) => {
    const shape = context.inputShape;
    if (shape.length !== 2) {
      throw new TopdownError(
        'MODEL_INVALID',
        `Candidate "${candidate.name}" (${candidate.model}) needs windows [lookBack, features], but each sample has shape [${shape.join(', ')}].`,
        { hint: 'Add a `window` step to `prepare` (lookBack, horizon), or use an mlp for tabular data.' },
      );
    }
    const layers = new LayerFactory(tf, context.seed, candidate.l2);
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: shape }));
    const dropout = candidate.dropout;
    candidate.units.forEach((units, index) => {
      const kernel = layers.kernel();
      const settings = {
        units,
        returnSequences: index < candidate.units.length - 1,
        ...kernel,
        // Keras uses an orthogonal recurrent initializer; tfjs computes it with a slow QR (seconds for 50
        // units), so a seeded Glorot uniform is used instead (PyTorch's default is also uniform).
        recurrentInitializer: tf.initializers.glorotUniform({
          seed: deriveSeed(context.seed, 'recurrent', index),
        }),
        recurrentRegularizer: kernel.kernelRegularizer,
      };
      const layer = candidate.model === 'lstm' ? tf.layers.lstm(settings) : tf.layers.gru(settings);
      model.add(layer);
      penalizeRecurrentKernels(tf, layer, candidate.l2);
      if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
    });
    layers.denseHead(model, candidate.dense, dropout);
    model.add(layers.output(context));
    return model;
  };
}

/** The embedding kind's resolved candidate. */
export type ResolvedEmbedding = WithDefaults<
  Candidate<'embedding'>,
  'l2' | 'embeddingDim' | 'encoder' | 'dense' | 'dropout'
>;

/**
 * The layers that make one vector per document of the embedded tokens [length, embeddingDim]: global average
 * pooling; Conv1D (ReLU, same padding) then global max pooling (Keras' text CNN); or an LSTM/GRU going backwards.
 * The `sequences` op pads after the text, so a recurrent layer reading forwards would end on up to `length` pads;
 * backwards, it reads the pads first and ends on the first word, and its last state has seen the whole text.
 */
function addEncoder(
  tf: TF,
  model: tfTypes.Sequential,
  candidate: ResolvedEmbedding,
  layers: LayerFactory,
  seed: number,
): void {
  const setting = (name: 'filters' | 'kernelSize' | 'units'): number => {
    const value = candidate[name];
    if (value === undefined)
      throw new TopdownError(
        'INTERNAL',
        `Candidate "${candidate.name}" reached its builder without ${name}.`,
      );
    return value;
  };
  switch (candidate.encoder) {
    case 'average':
      model.add(tf.layers.globalAveragePooling1d());
      return;
    case 'conv': {
      const settings = { filters: setting('filters'), kernelSize: setting('kernelSize') };
      model.add(tf.layers.conv1d({ ...settings, padding: 'same', activation: 'relu', ...layers.kernel() }));
      model.add(tf.layers.globalMaxPooling1d());
      return;
    }
    case 'lstm':
    case 'gru': {
      const kernel = layers.kernel();
      const settings = {
        units: setting('units'),
        goBackwards: true,
        ...kernel,
        // As recurrentBuilder: a seeded Glorot uniform instead of tfjs' slow orthogonal initializer.
        recurrentInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'recurrent', 0) }),
        recurrentRegularizer: kernel.kernelRegularizer,
      };
      const layer = candidate.encoder === 'lstm' ? tf.layers.lstm(settings) : tf.layers.gru(settings);
      model.add(layer);
      penalizeRecurrentKernels(tf, layer, candidate.l2);
      return;
    }
  }
}

/**
 * Token ids (the `sequences` op) → Embedding → an encoder (addEncoder) → dense layers → outputs: with the default
 * average pooling, Keras' text classification starter (a bag of learned word vectors). The ids include the
 * padding 0, which is embedded like any token, as Keras does without `mask_zero`.
 */
export function embeddingBuilder(candidate: ResolvedEmbedding): ModelBuilder {
  return (tf, context) => {
    const shape = context.inputShape;
    const tokenIds = context.tokenIds;
    if (tokenIds === undefined || shape.length !== 1) {
      throw new TopdownError(
        'MODEL_INVALID',
        `Candidate "${candidate.name}" (embedding) reads padded token ids from a \`sequences\` op, but the features are not token ids.`,
        {
          hint: 'Give this candidate its own pipeline, "prepare": [{"op": "sequences", "columns": ["<text column>"], "length": 200}] (the only features; the other candidates keep the project\'s), or use mlp or logistic on tfidf.',
        },
      );
    }
    const layers = new LayerFactory(tf, context.seed, candidate.l2);
    const model = tf.sequential();
    model.add(
      tf.layers.embedding({
        inputDim: tokenIds,
        outputDim: candidate.embeddingDim,
        inputLength: shape[0],
        embeddingsInitializer: tf.initializers.randomUniform({
          minval: -0.05,
          maxval: 0.05,
          seed: deriveSeed(context.seed, 'embedding'),
        }),
      }),
    );
    addEncoder(tf, model, candidate, layers, context.seed);
    if (candidate.dropout > 0) model.add(tf.layers.dropout({ rate: candidate.dropout }));
    layers.denseHead(model, candidate.dense, candidate.dropout);
    model.add(layers.output(context));
    return model;
  };
}
