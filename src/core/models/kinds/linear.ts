/** Logistic or linear regression: one dense layer trained with TensorFlow.js. */
import { linearBuilder, type ResolvedLinear } from '../architectures';
import { forecastParameter, networkSpec, trainingParameters } from './network';

/** The `linear` kind. */
export const linear = networkSpec<'linear', ResolvedLinear>({
  kind: 'linear',
  summary: 'Logistic or linear regression, trained with TensorFlow.js.',
  parameters: { ...trainingParameters({ epochs: 100, learningRate: 0.01 }), ...forecastParameter },
  builder: linearBuilder,
});
