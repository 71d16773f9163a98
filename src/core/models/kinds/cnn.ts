/** Convolutional network for image tasks: conv blocks (conv, relu, 2×2 max-pool), dense layers, output. */
import { cnnBuilder, type ResolvedCnn } from '../architectures';
import { denseParameter, dropoutParameter, networkSpec, trainingParameters } from './network';
import { layerList, positiveInteger } from './spec';

/** The `cnn` kind. */
export const cnn = networkSpec<'cnn', ResolvedCnn>({
  kind: 'cnn',
  summary: 'Convolutional network (image tasks).',
  parameters: {
    filters: { type: layerList, required: true },
    kernelSize: { type: positiveInteger, default: 3 },
    dense: denseParameter,
    dropout: dropoutParameter,
    ...trainingParameters({ epochs: 20, learningRate: 0.001 }),
  },
  tasks: { allowed: ['image'], needs: 'task `image`', advice: 'use `mlp` for tabular data' },
  builder: cnnBuilder,
});
