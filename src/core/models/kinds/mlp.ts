/** Multilayer perceptron: dense hidden layers, then the output layer. */
import { mlpBuilder, type ResolvedMlp } from '../architectures';
import { dropoutParameter, forecastParameter, networkSpec, trainingParameters } from './network';
import { layerList } from './spec';

/** The `mlp` kind. */
export const mlp = networkSpec<'mlp', ResolvedMlp>({
  kind: 'mlp',
  summary: 'Multilayer perceptron: dense layers.',
  parameters: {
    layers: { type: layerList, required: true },
    activation: {
      type: { kind: 'enum', values: ['relu', 'tanh', 'sigmoid', 'elu', 'selu'] },
      default: 'relu',
    },
    dropout: dropoutParameter,
    batchNorm: { type: { kind: 'boolean' }, default: false },
    ...trainingParameters({ epochs: 100, learningRate: 0.001 }),
    ...forecastParameter,
  },
  // Text features stay sparse: the typed-array loop's first layer reads them so (loop/sparse-dense.ts).
  sparseInput: true,
  builder: mlpBuilder,
});
