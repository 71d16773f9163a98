/** What the recurrent kinds (lstm, gru) share: stacked recurrent layers over windows, dense layers, output. */
import { recurrentBuilder, type ResolvedRecurrent } from '../architectures';
import {
  denseParameter,
  dropoutParameter,
  forecastParameter,
  networkSpec,
  trainingParameters,
} from './network';
import { layerList, type ModelSpec } from './spec';

/** The spec of a recurrent kind: lstm and gru differ only in the layer they stack. */
export function recurrentSpec<K extends 'lstm' | 'gru'>(
  kind: K,
  summary: string,
): ModelSpec<K, ResolvedRecurrent> {
  return networkSpec<K, ResolvedRecurrent>({
    kind,
    summary,
    parameters: {
      units: { type: layerList, required: true },
      dropout: dropoutParameter,
      dense: denseParameter,
      ...trainingParameters({ epochs: 50, learningRate: 0.001 }),
      ...forecastParameter,
    },
    needsWindow: true,
    builder: recurrentBuilder,
  });
}
