/** Your own TensorFlow.js model: a JS module of the project exporting build(tf, { inputShape, outputUnits, task, options }). */
import { customBuilder, type ResolvedCustom } from '../custom';
import { forecastParameter, networkSpec, trainingParameters } from './network';

/** The `custom` kind. Step 4 tunes its build options as `options.<name>` (see improve/parameters.ts). */
export const custom = networkSpec<'custom', ResolvedCustom>({
  kind: 'custom',
  summary: 'Your own TensorFlow.js model from a JS module.',
  parameters: {
    module: { type: { kind: 'string' }, required: true, tunable: false },
    options: { type: { kind: 'object' }, default: {}, tunable: false },
    loss: { type: { kind: 'string' }, tunable: false },
    ...trainingParameters({ epochs: 50, learningRate: 0.001 }),
    ...forecastParameter,
  },
  builder: customBuilder,
});
