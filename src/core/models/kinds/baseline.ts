/** The number to beat: class frequencies, the training mean, or persistence for time series. */
import { BaselineEstimator } from '../baseline';
import { stateSaving, type ModelSpec } from './spec';

/** The `baseline` kind. */
export const baseline: ModelSpec<'baseline'> = {
  kind: 'baseline',
  summary: 'The number to beat: majority class, mean, or persistence (time series).',
  parameters: {},
  // It reads only the targets, so text features stay sparse however large.
  sparseInput: true,
  tensorflow: false,
  create: (candidate, context) => new BaselineEstimator(candidate, context),
  saving: stateSaving(BaselineEstimator),
};
