/** A CART decision tree (grown by forest.ts on every row and feature). */
import { DecisionTreeEstimator, type ResolvedTree } from '../classic';
import { positiveInteger, stateSaving, type ModelSpec } from './spec';

/** The `decision-tree` kind. */
export const decisionTree: ModelSpec<'decision-tree', ResolvedTree> = {
  kind: 'decision-tree',
  summary: 'A CART decision tree.',
  parameters: {
    maxDepth: { type: positiveInteger, default: 20 },
    minSamples: { type: positiveInteger, default: 3 },
  },
  tensorflow: false,
  create: (candidate, context) => new DecisionTreeEstimator(candidate, context),
  saving: stateSaving(DecisionTreeEstimator),
};
