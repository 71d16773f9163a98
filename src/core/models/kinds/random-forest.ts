/** A random forest of CART trees, each on a bootstrap sample and a seeded subset of the features. */
import { RandomForestEstimator, type ResolvedForest } from '../classic';
import { positiveInteger, stateSaving, type ModelSpec } from './spec';

/** The `random-forest` kind. */
export const randomForest: ModelSpec<'random-forest', ResolvedForest> = {
  kind: 'random-forest',
  summary: 'A random forest of CART trees.',
  parameters: {
    trees: { type: positiveInteger, default: 50 },
    maxFeatures: { type: { kind: 'number', min: 0, minExclusive: true }, default: 0.7 },
    maxDepth: { type: positiveInteger, default: 20 },
  },
  tensorflow: false,
  create: (candidate, context) => new RandomForestEstimator(candidate, context),
  saving: stateSaving(RandomForestEstimator),
};
