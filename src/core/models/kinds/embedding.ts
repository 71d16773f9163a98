/** Text network on padded token ids (the `sequences` op): embedding, global average pooling, dense layers, output. */
import { embeddingBuilder, type ResolvedEmbedding } from '../architectures';
import { denseParameter, dropoutParameter, networkSpec, trainingParameters } from './network';
import { positiveInteger } from './spec';

/** The `embedding` kind. */
export const embedding = networkSpec<'embedding', ResolvedEmbedding>({
  kind: 'embedding',
  summary: 'Text network on token ids (sequences op): embedding, average over tokens, dense layers.',
  parameters: {
    embeddingDim: { type: positiveInteger, default: 32 },
    dense: denseParameter,
    dropout: dropoutParameter,
    ...trainingParameters({ epochs: 20, learningRate: 0.01 }),
  },
  tasks: {
    allowed: ['binary', 'multiclass', 'regression'],
    needs: 'a classification or regression task on text',
    advice: 'use lstm or gru for time series',
  },
  builder: embeddingBuilder,
});
