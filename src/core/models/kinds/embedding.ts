/**
 * Text network on padded token ids (the `sequences` op): embedding, an encoder that makes one vector per document
 * (average pooling, Conv1D + max pooling, LSTM or GRU), dense layers, output.
 */
import type { EmbeddingEncoder } from '../../config';
import { embeddingBuilder, type ResolvedEmbedding } from '../architectures';
import { denseParameter, dropoutParameter, networkSpec, trainingParameters } from './network';
import { MAX_LAYER_UNITS, positiveInteger, type Candidate } from './spec';

/** The parameters each encoder reads beyond the embedding, with their defaults. */
const ENCODER_PARAMETERS: Record<
  EmbeddingEncoder,
  Partial<Record<'filters' | 'kernelSize' | 'units', number>>
> = {
  average: {},
  conv: { filters: 64, kernelSize: 5 },
  lstm: { units: 32 },
  gru: { units: 32 },
};

const ENCODER_SETTINGS = ['filters', 'kernelSize', 'units'] as const;

/**
 * The default learning rate of each encoder (Adam): the pooling encoders learn well at 0.01, where an LSTM or GRU
 * overfits after its first epoch; 0.001 (Keras' Adam default) trains those smoothly.
 */
const ENCODER_LEARNING_RATE: Record<EmbeddingEncoder, number> = {
  average: 0.01,
  conv: 0.01,
  lstm: 0.001,
  gru: 0.001,
};

/** The encoder's own parameters and learning rate filled in with their defaults; the others stay absent. */
function withEncoderDefaults(candidate: Candidate<'embedding'>): Candidate<'embedding'> {
  const encoder = candidate.encoder ?? 'average';
  return {
    ...ENCODER_PARAMETERS[encoder],
    ...candidate,
    learningRate: candidate.learningRate ?? ENCODER_LEARNING_RATE[encoder],
  };
}

/** A parameter given for another encoder than the candidate's, named. */
function encoderMismatch(
  candidate: Candidate<'embedding'>,
): { parameter: string; message: string } | undefined {
  const encoder = candidate.encoder ?? 'average';
  const parameter = ENCODER_SETTINGS.find(
    (name) => candidate[name] !== undefined && !(name in ENCODER_PARAMETERS[encoder]),
  );
  if (parameter === undefined) return undefined;
  const owners = (Object.keys(ENCODER_PARAMETERS) as EmbeddingEncoder[]).filter(
    (name) => parameter in ENCODER_PARAMETERS[name],
  );
  return {
    parameter,
    message: `\`${parameter}\` applies to encoder ${owners.map((name) => `\`${name}\``).join(' or ')} only (encoder is \`${encoder}\`); remove it or set "encoder": "${owners[0]}"`,
  };
}

/** The `embedding` kind. */
export const embedding = networkSpec<'embedding', ResolvedEmbedding>({
  kind: 'embedding',
  summary:
    'Text network on token ids (sequences op): embedding, an encoder (average, conv, lstm or gru), dense layers.',
  parameters: {
    embeddingDim: { type: positiveInteger, default: 32 },
    encoder: { type: { kind: 'enum', values: Object.keys(ENCODER_PARAMETERS) }, default: 'average' },
    filters: { type: { kind: 'integer', min: 1, max: MAX_LAYER_UNITS } },
    kernelSize: { type: positiveInteger },
    units: { type: { kind: 'integer', min: 1, max: MAX_LAYER_UNITS } },
    dense: denseParameter,
    dropout: dropoutParameter,
    ...trainingParameters({ epochs: 20 }),
  },
  tasks: {
    allowed: ['binary', 'multiclass', 'regression'],
    needs: 'a classification or regression task on text',
    advice: 'use lstm or gru for time series',
  },
  check: encoderMismatch,
  refine: withEncoderDefaults,
  builder: embeddingBuilder,
});
